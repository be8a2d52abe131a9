/**
 * Stateless citizen sessions. A citizen who identified (`citizen-identify.ts`) gets a short-lived
 * bearer token `hyc_<payload>.<signature>`: the payload is base64url JSON `{sid, pid, exp}` — a
 * random session id, the platform person id (decimal text) and the expiry (Unix seconds) — and
 * the signature is base64url HMAC-SHA-256 of `hyc_<payload>` with the key ring's citizen session
 * key (HKDF from the master key, so a new master key invalidates every session).
 *
 * Why stateless: citizens have no account in the governance store, and a session table would be a
 * list of which persons used the service. The price: a session cannot be revoked before it
 * expires, hence the short lifetime (`citizenSessionMinutes`, 30 by default).
 *
 * The person id is in the payload, signed but not encrypted: it is a pseudonym (no NIR), and it
 * only travels between the server and the citizen's own browser. The audit trail names the
 * session (`citizen:<sid>`), never the person id.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HygieError } from '@hygie/core';
import type { KeyRing } from '@hygie/keys';
import type { BearerVerifier } from '../auth/token-authenticator.js';
import type { AuditSink } from '../deps.js';
import type { Principal } from '../roles.js';

/** Prefix of citizen session tokens. */
export const CITIZEN_TOKEN_PREFIX = 'hyc_';

const SID_RE = /^[A-Za-z0-9_-]{22}$/;
const PID_RE = /^[1-9][0-9]{0,18}$/;
const B64URL_RE = /^[A-Za-z0-9_-]+$/;
const MAX_PERSON_ID = (1n << 63n) - 1n;
/** Longer tokens are refused before any decoding (a real one is about 130 characters). */
const MAX_TOKEN_LENGTH = 512;

/** A new citizen session. */
export interface CitizenSession {
  /** The bearer token (`hyc_…`). */
  readonly token: string;
  /** The random session id (the audit trail's `citizen:<sid>`). */
  readonly sessionId: string;
  /** When the token stops being accepted (ISO 8601). */
  readonly expiresAt: string;
}

function sign(key: Buffer, signed: string): Buffer {
  return createHmac('sha256', key).update(signed, 'utf8').digest();
}

/** The audit actor id of a citizen session: the session, never the person. */
export function citizenActorId(sessionId: string): string {
  return `citizen:${sessionId}`;
}

/** Issues a session for `personId`, valid `minutes` from `now`. */
export function issueCitizenSession(
  keyRing: KeyRing,
  personId: bigint,
  now: Date,
  minutes: number,
): CitizenSession {
  if (personId < 1n || personId > MAX_PERSON_ID) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'a person id is a bigint in 1..2^63−1', {
      argument: 'personId',
    });
  }
  const sid = randomBytes(16).toString('base64url');
  const exp = Math.floor(now.getTime() / 1000) + Math.round(minutes * 60);
  const payload = Buffer.from(
    JSON.stringify({ sid, pid: personId.toString(10), exp }),
    'utf8',
  ).toString('base64url');
  const signed = `${CITIZEN_TOKEN_PREFIX}${payload}`;
  const token = `${signed}.${sign(keyRing.citizenSessionKey(), signed).toString('base64url')}`;
  return { token, sessionId: sid, expiresAt: new Date(exp * 1000).toISOString() };
}

/** Why a token was refused (audit reason codes). */
type Refusal =
  'malformed-citizen-session' | 'bad-citizen-session-signature' | 'citizen-session-expired';

function refused(reason: Refusal): HygieError {
  return new HygieError(
    'HYG_UNAUTHENTICATED',
    reason === 'citizen-session-expired' ? 'the session has expired' : 'the token is not valid',
    { reason },
  );
}

/** The checked payload of a token whose signature is good. */
function parsePayload(payload: string): { sid: string; pid: bigint; exp: number } | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { sid, pid, exp } = value as Record<string, unknown>;
  if (typeof sid !== 'string' || !SID_RE.test(sid)) return null;
  if (typeof pid !== 'string' || !PID_RE.test(pid) || BigInt(pid) > MAX_PERSON_ID) return null;
  if (typeof exp !== 'number' || !Number.isSafeInteger(exp)) return null;
  return { sid, pid: BigInt(pid), exp };
}

/**
 * The bearer verifier of citizen sessions (prefix `hyc_`): checks the signature (constant-time),
 * then the payload and the expiry against `clock`. A refused token is recorded in `audit` when
 * given (no actor, reason only: the token is not kept). The principal's `actorId` is
 * `citizen:<sid>`; the person id is in `citizenPersonId`, for the request only.
 */
export function citizenSessionVerifier(
  keyRing: KeyRing,
  clock: () => Date = () => new Date(),
  audit?: AuditSink,
): BearerVerifier {
  const key = keyRing.citizenSessionKey();
  async function refuse(reason: Refusal): Promise<never> {
    await audit?.record({
      actorRole: null,
      actorId: null,
      action: 'citizen.session',
      targetType: 'citizen_session',
      decision: 'deny',
      reason,
    });
    throw refused(reason);
  }
  return {
    prefix: CITIZEN_TOKEN_PREFIX,
    async verify(token): Promise<Principal> {
      if (token.length > MAX_TOKEN_LENGTH || !token.startsWith(CITIZEN_TOKEN_PREFIX)) {
        return refuse('malformed-citizen-session');
      }
      const dot = token.lastIndexOf('.');
      const payload = token.slice(CITIZEN_TOKEN_PREFIX.length, dot);
      const signature = token.slice(dot + 1);
      if (dot < 0 || !B64URL_RE.test(payload) || !B64URL_RE.test(signature)) {
        return refuse('malformed-citizen-session');
      }
      const expected = sign(key, token.slice(0, dot));
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return refuse('bad-citizen-session-signature');
      }
      const session = parsePayload(payload);
      if (session === null) return refuse('malformed-citizen-session');
      if (clock().getTime() >= session.exp * 1000) return refuse('citizen-session-expired');
      return {
        userId: null,
        actorId: citizenActorId(session.sid),
        roles: ['citizen'],
        via: 'citizen-session',
        sessionId: session.sid,
        citizenPersonId: session.pid,
      };
    },
  };
}
