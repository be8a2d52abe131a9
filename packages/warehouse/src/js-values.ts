/**
 * Engine-neutral pieces of the value conventions of `SqlRow` (see `engine.ts`): safe integers,
 * ISO 8601 timestamps read as microseconds and written back as UTC text. Each engine's value
 * module (`duckdb-values.ts`, `postgres-values.ts`) builds on them, so both return the same
 * representation.
 */
import { parseIsoDate } from '@hygie/core';

/**
 * A 64-bit (or wider) integer as a `number` when it is exactly representable, else as a `bigint`.
 * Counts and sums, by far the most common results, then behave as ordinary numbers, while a large
 * key (a person key derived from a pseudonym) never loses digits. The price: a `bigint` column
 * can yield both types, so compare keys with `String(a) === String(b)` or `BigInt(a)`.
 */
export function safeInteger(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Microseconds since the epoch of an ISO 8601 timestamp (no zone = UTC); null when malformed. */
export function parseTimestampMicros(text: string): bigint | null {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) return null;
  const day = parseIsoDate(`${m[1]}-${m[2]}-${m[3]}`);
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (Number.isNaN(day) || h > 23 || mi > 59 || s > 59) return null;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  const seconds = BigInt(day) * 86_400n + BigInt(h * 3600 + mi * 60 + s - offsetMinutes * 60);
  const fraction = BigInt((m[7] ?? '').padEnd(6, '0'));
  return seconds * 1_000_000n + fraction;
}

/** Floor division of microseconds to milliseconds (bigint `/` truncates towards zero). */
export function microsToMillis(micros: bigint): number {
  const rem = ((micros % 1000n) + 1000n) % 1000n;
  return Number((micros - rem) / 1000n);
}

/**
 * Microseconds since the epoch as PostgreSQL timestamp input text in UTC,
 * `YYYY-MM-DD HH:MM:SS.ffffff` (years 1 to 9999; null outside).
 */
export function microsToTimestampText(micros: bigint): string | null {
  const ms = microsToMillis(micros);
  const iso = new Date(ms).toISOString();
  if (!/^\d{4}-/.test(iso) || iso.startsWith('0000')) return null;
  const fraction = String(((micros % 1_000_000n) + 1_000_000n) % 1_000_000n).padStart(6, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}`;
}
