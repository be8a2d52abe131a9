/**
 * Demo identification of a citizen by NIR and birth date (production uses OpenID Connect, e.g.
 * FranceConnect: `config.citizenNirLogin` turns this off). The NIR is used in memory only, to
 * compute the person id with the same keys as ingestion (`citizenPersonId`); it is never stored,
 * logged, audited or echoed (DESIGN.md §4.1). Body fields are named `nir` and `birthDate`, which
 * the server's log redaction covers.
 *
 * Checks, in order: a valid NIR; a real `YYYY-MM-DD` date whose two-digit year matches the NIR's,
 * and whose month matches the NIR's unless the NIR's month code is a special one (20 and above:
 * unknown month, or registration codes); a person row in the warehouse with that person id, the
 * same year of birth, and the same month of birth when the warehouse knows it. Every failure gets
 * the SAME error (`HYG_UNAUTHENTICATED`, reason `citizen-identification-failed`), so the answer
 * never tells whether a NIR is known to the platform.
 *
 * The birth date is no secret: the NIR encodes the year and month of birth, and the warehouse
 * keeps no day of birth (DESIGN.md §4.1), so the day cannot be checked; the birth date catches
 * mistyped NIRs and nothing more. Whoever holds someone's NIR can therefore identify as them —
 * acceptable for the demonstration this login exists for, not beyond (hence OIDC in production
 * and the switch). `AttemptLimiter` slows the enumeration of NIRs: after `maxFailures` failed
 * attempts within `windowMs`, from one client address or for one (valid) NIR, attempts are
 * refused (`HYG_FORBIDDEN`, reason `too-many-attempts`) until the window passes — also for a
 * correct pair, so the refusal reveals nothing either. In memory, per server process: not a
 * defence against a distributed attacker.
 */
import { HygieError, normaliseNir } from '@hygie/core';
import { citizenPersonId } from '@hygie/governance';
import type { KeyRing } from '@hygie/keys';
import type { WarehouseEngine } from '@hygie/warehouse';
import type { ServerConfig } from '../config.js';
import type { AuditSink } from '../deps.js';
import { citizenActorId, issueCitizenSession } from './citizen-session.js';
import type { CitizenSession } from './citizen-session.js';

/** What a citizen submits. */
export interface CitizenCredentials {
  readonly nir: string;
  readonly birthDate: string;
}

/** What identification needs. */
export interface CitizenIdentifyDeps {
  readonly config: Pick<ServerConfig, 'citizenNirLogin' | 'citizenSessionMinutes'>;
  readonly keyRing: KeyRing | undefined;
  readonly warehouse: WarehouseEngine;
  readonly audit: AuditSink;
  readonly clock: () => Date;
  /** Failed-attempt limiter; none in unit tests that do not need one. */
  readonly limiter?: AttemptLimiter;
}

/** The one error of a failed identification, whatever failed. */
export function identificationFailed(): HygieError {
  return new HygieError(
    'HYG_UNAUTHENTICATED',
    'identification failed: check the NIR and the birth date',
    { reason: 'citizen-identification-failed' },
  );
}

/** Counts failed attempts per key in a sliding window; bounded in memory. */
export class AttemptLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    readonly maxFailures = 10,
    readonly windowMs = 15 * 60 * 1000,
    /** Keys tracked at most; the oldest are forgotten first. */
    readonly maxKeys = 10_000,
  ) {}

  #recent(key: string, now: number): number[] {
    const kept = (this.#failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (kept.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, kept);
    return kept;
  }

  /** True when any of `keys` has reached the limit. */
  blocked(keys: readonly string[], now: number): boolean {
    return keys.some((k) => this.#recent(k, now).length >= this.maxFailures);
  }

  /** Records a failure for each of `keys`. */
  fail(keys: readonly string[], now: number): void {
    for (const key of keys) {
      const list = this.#recent(key, now);
      this.#failures.delete(key);
      this.#failures.set(key, [...list, now]);
      while (this.#failures.size > this.maxKeys) {
        const oldest = this.#failures.keys().next().value;
        if (oldest === undefined) break;
        this.#failures.delete(oldest);
      }
    }
  }
}

const DATE_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** Year, month of a real calendar date `YYYY-MM-DD`, or null. */
function parseBirthDate(text: string): { year: number; month: number } | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return null;
  }
  return { year, month };
}

/** The NIR's person id (null for an invalid NIR) and whether the birth date agrees with it. */
function checkCredentials(
  keyRing: KeyRing,
  credentials: CitizenCredentials,
): { personId: bigint | null; birth: { year: number; month: number } | null } {
  const body = typeof credentials.nir === 'string' ? normaliseNir(credentials.nir) : null;
  if (body === null) return { personId: null, birth: null };
  const personId = citizenPersonId(keyRing, body);
  const birth =
    typeof credentials.birthDate === 'string' ? parseBirthDate(credentials.birthDate) : null;
  if (birth === null || Number(body.slice(1, 3)) !== birth.year % 100) {
    return { personId, birth: null };
  }
  const nirMonth = Number(body.slice(3, 5));
  // Codes 20 and above (unknown month, registration without birth record) carry no month.
  if (nirMonth >= 1 && nirMonth <= 12 && nirMonth !== birth.month) return { personId, birth: null };
  return { personId, birth };
}

/**
 * Identifies a citizen and opens a session; throws the one identification error on any mismatch,
 * `HYG_FORBIDDEN` when NIR login is turned off or too many attempts failed, `HYG_UNAVAILABLE`
 * without a key ring. Every attempt is audited (`citizen.identify`, allow or deny) without the
 * NIR, the birth date or the person id. `clientKey` is the caller's address, for the limiter.
 */
export async function identifyCitizen(
  deps: CitizenIdentifyDeps,
  credentials: CitizenCredentials,
  clientKey: string,
): Promise<CitizenSession> {
  const now = deps.clock();
  const base = {
    actorRole: null,
    action: 'citizen.identify',
    targetType: 'citizen_session',
  };
  const deny = async (error: HygieError): Promise<never> => {
    const reason = error.details.reason;
    await deps.audit.record({
      ...base,
      actorId: null,
      decision: 'deny',
      reason: typeof reason === 'string' ? reason : error.code,
    });
    throw error;
  };
  if (!deps.config.citizenNirLogin) {
    return deny(
      new HygieError('HYG_FORBIDDEN', 'identification by NIR is turned off on this platform', {
        reason: 'nir-login-disabled',
      }),
    );
  }
  if (deps.keyRing === undefined) {
    return deny(
      new HygieError('HYG_UNAVAILABLE', 'citizen identification needs the key ring', {
        reason: 'no-key-ring',
      }),
    );
  }
  const { personId, birth } = checkCredentials(deps.keyRing, credentials);
  // The person key is in memory only; it makes a NIR tried from many addresses count as one.
  const keys = [`client:${clientKey}`, ...(personId === null ? [] : [`person:${personId}`])];
  if (deps.limiter?.blocked(keys, now.getTime())) {
    return deny(
      new HygieError('HYG_FORBIDDEN', 'too many failed attempts; try again later', {
        reason: 'too-many-attempts',
      }),
    );
  }
  let known = false;
  if (personId !== null && birth !== null) {
    const [row] = await deps.warehouse.query<{
      year_of_birth: number;
      month_of_birth: number | null;
    }>('SELECT year_of_birth, month_of_birth FROM person WHERE person_id = $1', [personId]);
    known =
      row !== undefined &&
      Number(row.year_of_birth) === birth.year &&
      (row.month_of_birth === null || Number(row.month_of_birth) === birth.month);
  }
  if (personId === null || !known) {
    deps.limiter?.fail(keys, now.getTime());
    return deny(identificationFailed());
  }
  const session = issueCitizenSession(
    deps.keyRing,
    personId,
    now,
    deps.config.citizenSessionMinutes,
  );
  await deps.audit.record({
    ...base,
    actorId: citizenActorId(session.sessionId),
    targetId: session.sessionId,
    decision: 'allow',
    details: { method: 'nir-birth-date', expiresAt: session.expiresAt },
  });
  return session;
}
