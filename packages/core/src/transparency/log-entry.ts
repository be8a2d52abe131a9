/**
 * The entry of the transparency log (version 1): one audit event as the public may see it — who
 * acted under a pseudonym, what, on which pseudonymous target, under which permit, with what
 * outcome. Never patient data, never a direct identifier (DESIGN.md §4.1): the actor is an
 * HMAC pseudonym, every free-text field passes a NIR guard, and an entry is encoded in RFC 8785
 * canonical JSON so that anyone can recompute its leaf hash.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { HygieError } from '../errors.js';
import { AUDIT_DECISIONS } from '../governance/audit-event.js';
import { parseGovernanceInput } from '../governance/parse.js';
import { NIR_SEARCH_PATTERN } from '../nir.js';
import { jcs } from './canonical-json.js';

// The same codes and action names the audit trail accepts (core/src/governance/audit-event.ts).
const codeString = z.string().regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/, 'must be a short code');
const actionString = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/, 'must be a dotted action name');

/** The zod schema of a log entry, version 1 (strict: an unknown field is refused). */
export const logEntrySchema = z.strictObject({
  /** Entry format version. */
  v: z.literal(1),
  /** Id of the source audit event: the feeder's cursor, strictly increasing along the log. */
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** When the audited action happened (ISO 8601 UTC). */
  at: z.iso.datetime(),
  /** Roles the actor acted with (`researcher,reviewer`, `system`, `anonymous`). */
  actorRole: z.string().min(1).max(200),
  /** Pseudonymous actor: 32 hex characters (`pseudonymousActorId`). */
  actorId: z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lower-case hex characters'),
  action: actionString,
  decision: z.enum(AUDIT_DECISIONS),
  targetType: codeString.optional(),
  targetId: z.string().min(1).max(200).optional(),
  permitId: z.string().min(1).max(200).optional(),
  /** SHA-256 of the query (hex), for data accesses. */
  queryHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters')
    .optional(),
  /** Stable reason code of a denial or an error. */
  reason: codeString.optional(),
  /** Safe, flat, scalar facts about the action (counts, flags, codes). */
  shape: z
    .record(
      z.string().min(1).max(100),
      z.union([z.string().max(1000), z.number().finite(), z.boolean(), z.null()]),
    )
    .refine((d) => Object.keys(d).length <= 50, { message: 'at most 50 fields' })
    .optional(),
});

/** A log entry (version 1). */
export type LogEntry = z.output<typeof logEntrySchema>;

const NIR_LIKE = new RegExp(NIR_SEARCH_PATTERN.source);

/**
 * Refuses (HYG_INVALID_ARGUMENT) an entry with a NIR-shaped string in any field or `shape` key or
 * value — the same pattern as the audit trail's guard. The two hex digests (`actorId`,
 * `queryHash`) are exempt: their schema already pins them to a fixed-length lower-case hex
 * string, which cannot spell a readable NIR, while about 0.1 % (actorId) and 0.25 % (queryHash) of
 * genuine digests contain 13 digits that look like one and would otherwise block the feeder.
 */
export function assertNoPersonalData(entry: LogEntry): void {
  const check = (field: string, s: string): void => {
    if (NIR_LIKE.test(s)) {
      // The message names the field, never the value.
      throw new HygieError(
        'HYG_INVALID_ARGUMENT',
        `log entry: ${field}: must not contain a NIR-shaped value`,
        { argument: field, what: 'log entry' },
      );
    }
  };
  for (const [k, v] of Object.entries(entry)) {
    if (k === 'actorId' || k === 'queryHash' || k === 'shape') continue;
    if (typeof v === 'string') check(k, v);
  }
  for (const [k, v] of Object.entries(entry.shape ?? {})) {
    check('shape', k);
    if (typeof v === 'string') check(`shape.${k}`, v);
  }
}

/**
 * Validates a log entry (schema and NIR guard); HYG_INVALID_ARGUMENT naming the first bad field.
 * Keys whose value is `undefined` are dropped first: an absent optional field and an explicit
 * `undefined` are the same entry and must hash the same.
 */
export function parseLogEntry(raw: unknown): LogEntry {
  const cleaned =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw)
      ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined))
      : raw;
  const entry = parseGovernanceInput(logEntrySchema, cleaned, 'log entry');
  assertNoPersonalData(entry);
  return entry;
}

/** The bytes that are hashed into the log: UTF-8 of the RFC 8785 form of the validated entry. */
export function encodeLogEntry(entry: LogEntry): Buffer {
  return Buffer.from(jcs(parseLogEntry(entry)), 'utf8');
}

/**
 * The pseudonymous actor id of the log: the first 16 bytes (32 hex characters) of
 * HMAC-SHA-256(key, actorId). The key is a secret of the platform, so the public cannot link a
 * pseudonym back to an account, while the same account keeps the same pseudonym along the log.
 */
export function pseudonymousActorId(key: Uint8Array, actorId: string): string {
  if (!(key instanceof Uint8Array) || key.length < 16) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'the actor pseudonym key needs ≥ 16 bytes', {
      argument: 'key',
    });
  }
  if (typeof actorId !== 'string' || actorId.length === 0) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'an actor id is a non-empty string', {
      argument: 'actorId',
    });
  }
  return createHmac('sha256', key).update(actorId, 'utf8').digest().subarray(0, 16).toString('hex');
}
