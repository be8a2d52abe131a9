/**
 * The citizen's session token, kept apart from an account's (`hygie.session`): a citizen is not
 * an account and the two must never be mixed up. In the tab's sessionStorage, so it goes with
 * the tab; forgetting it is how a citizen logs out (the token is stateless and expires alone).
 */
import { ApiError } from '../../api/client';

const KEY = 'hygie.citizen-session';

/** A citizen session. */
export interface CitizenSession {
  readonly token: string;
  readonly expiresAt: string;
}

/** The stored session, unless missing or expired. */
export function loadCitizenSession(): CitizenSession | null {
  const raw = sessionStorage.getItem(KEY);
  if (raw === null) return null;
  try {
    const s = JSON.parse(raw) as Partial<CitizenSession>;
    if (typeof s.token !== 'string' || typeof s.expiresAt !== 'string') return null;
    if (new Date(s.expiresAt).getTime() <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return { token: s.token, expiresAt: s.expiresAt };
  } catch {
    return null;
  }
}

/** Stores (or forgets, with null) the session. */
export function saveCitizenSession(session: CitizenSession | null): void {
  if (session === null) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, JSON.stringify(session));
}

/** True when an error means the citizen session is no longer valid. */
export function isSessionExpired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** The citizen's opt-out status (`GET /api/v1/citizen/opt-out`). */
export interface OptOutStatus {
  readonly optedOut: boolean;
  readonly since: string | null;
  readonly surveillanceExempt: boolean;
  readonly history: readonly {
    readonly since: string;
    readonly withdrawnAt: string | null;
    readonly surveillanceExempt: boolean;
  }[];
}
