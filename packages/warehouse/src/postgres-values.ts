/**
 * Conversions between plain JavaScript values and PostgreSQL values, in both directions, matching
 * the DuckDB engine's (see `SqlRow`): result parsers, statement parameters, and the COPY text
 * encoding of appended rows.
 *
 * The result parsers are given to each pool as its own `types` (a `CustomTypesConfig`): `pg`'s
 * global parsers, which other code in the process (the governance store) relies on, are never
 * changed.
 */
import pg from 'pg';
import type { CustomTypesConfig } from 'pg';
import { HygieError, parseIsoDate } from '@hygie/core';
import type { SqlParam } from './engine.js';
import { microsToTimestampText, parseTimestampMicros, safeInteger } from './js-values.js';

/** Type OIDs of the built-in types converted here (`pg_type.oid`). */
const OID = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  json: 114,
  jsonb: 3802,
  int8Array: 1016,
  numericArray: 1231,
  dateArray: 1182,
  timestampArray: 1115,
  timestamptzArray: 1185,
  intervalArray: 1187,
  jsonArray: 199,
  jsonbArray: 3807,
} as const;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** `int8` (and integer-valued `numeric`, e.g. `sum(bigint)`) as a safe number or a bigint. */
function parseInteger(text: string): number | bigint {
  return safeInteger(BigInt(text));
}

/** `numeric`: integers exactly (like DuckDB's HUGEINT sums), decimals as numbers. */
function parseNumeric(text: string): number | bigint {
  return /^-?\d+$/.test(text) ? parseInteger(text) : Number(text);
}

const PG_TIMESTAMP_RE =
  /^(\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?([+-]\d{2}(?::?\d{2}){0,2})?( BC)?$/;

/**
 * A `timestamp` or `timestamptz` (output with `DateStyle = ISO`) as ISO 8601 UTC text with
 * milliseconds, like DuckDB's `new Date(…).toISOString()` (microseconds floored). Infinite values
 * stay `infinity` / `-infinity`.
 */
export function parseTimestamp(text: string): string {
  const m = PG_TIMESTAMP_RE.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, frac = '', zone, bc] = m;
  let year = Number(y);
  if (bc !== undefined) year = 1 - year;
  let offsetMs = 0;
  if (zone !== undefined) {
    const [hh = '0', mm = '0', ss = '0'] = zone.slice(1).split(':');
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMs = sign * ((Number(hh) * 60 + Number(mm)) * 60 + Number(ss)) * 1000;
  }
  const date = new Date(0);
  date.setUTCFullYear(year, Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  return new Date(date.getTime() - offsetMs).toISOString();
}

/**
 * A PostgreSQL array literal (`{1,NULL,"a b"}`, nested for several dimensions, with an optional
 * `[lo:hi]=` prefix) with each element converted by `element`.
 */
export function parseArray(text: string, element: (value: string) => unknown): unknown[] {
  let i = text.startsWith('[') ? text.indexOf('=') + 1 : 0;
  const level = (): unknown[] => {
    i++; // '{'
    const out: unknown[] = [];
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      if (text[i] === '{') {
        out.push(level());
      } else if (text[i] === '"') {
        i++;
        let value = '';
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\') i++;
          value += text[i++] ?? '';
        }
        i++;
        out.push(element(value));
      } else {
        let j = i;
        while (j < text.length && text[j] !== ',' && text[j] !== '}') j++;
        const raw = text.slice(i, j);
        i = j;
        out.push(raw === 'NULL' ? null : element(raw));
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      i++; // '}'
      return out;
    }
  };
  return level();
}

const asText = (value: string): string => value;

const parsers = new Map<number, (value: string) => unknown>([
  [OID.int8, parseInteger],
  [OID.numeric, parseNumeric],
  [OID.date, asText],
  [OID.timestamp, parseTimestamp],
  [OID.timestamptz, parseTimestamp],
  // DuckDB returns intervals and JSON as text: so does this engine.
  [OID.interval, asText],
  [OID.json, asText],
  [OID.jsonb, asText],
  [OID.int8Array, (v) => parseArray(v, parseInteger)],
  [OID.numericArray, (v) => parseArray(v, parseNumeric)],
  [OID.dateArray, (v) => parseArray(v, asText)],
  [OID.timestampArray, (v) => parseArray(v, parseTimestamp)],
  [OID.timestamptzArray, (v) => parseArray(v, parseTimestamp)],
  [OID.intervalArray, (v) => parseArray(v, asText)],
  [OID.jsonArray, (v) => parseArray(v, asText)],
  [OID.jsonbArray, (v) => parseArray(v, asText)],
]);

/**
 * The result parsers of the warehouse's pools: the conversions above for text results, `pg`'s
 * built-in ones for everything else (booleans, int2/int4, float4/float8, bytea as Buffer like
 * DuckDB's BLOB, text). Never installed globally.
 */
export const postgresTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const own = format === 'binary' ? undefined : parsers.get(oid);
    return own ?? pg.types.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};

/**
 * A statement parameter as `pg` should send it. Dates are sent as ISO text in UTC (`pg` would
 * otherwise write them in the process's local time zone, and a `timestamp` column ignores the
 * offset); Uint8Array as a Buffer (bytea). Throws HYG_INVALID_ARGUMENT for anything else than
 * `SqlParam`, without echoing the value.
 */
export function toPostgresParam(value: SqlParam, index: number): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      if (value.includes('\0')) {
        throw new HygieError(
          'HYG_INVALID_ARGUMENT',
          `parameter $${index + 1} holds a NUL character, which PostgreSQL text cannot store`,
          { parameter: index + 1 },
        );
      }
      return value;
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      break;
    case 'bigint':
      return value.toString();
    default:
      if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
      if (value instanceof Uint8Array) {
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      }
  }
  throw new HygieError('HYG_INVALID_ARGUMENT', `parameter $${index + 1} has an unsupported type`, {
    parameter: index + 1,
  });
}

function fail(expected: string): never {
  throw new TypeError(expected);
}

/** Escapes text for COPY's text format: backslash, tab, newline and carriage return. */
function escapeCopyText(value: string): string {
  if (value.includes('\0')) fail('a string without NUL characters');
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

function dateText(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    const iso = value.toISOString();
    if (/^\d{4}-/.test(iso)) return iso.slice(0, 10);
  }
  if (typeof value === 'string' && !Number.isNaN(parseIsoDate(value))) return value;
  return fail('a YYYY-MM-DD date');
}

function timestampText(value: unknown): string {
  let micros: bigint | null = null;
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    micros = BigInt(value.getTime()) * 1000n;
  } else if (typeof value === 'string') {
    micros = parseTimestampMicros(value);
  }
  const text = micros === null ? null : microsToTimestampText(micros);
  return text ?? fail('an ISO 8601 timestamp');
}

/**
 * One value of an appended row as a field of COPY's text format, for a column of type `udt`
 * (`pg_type.typname`: int8, text, date…). Accepts what the DuckDB appender accepts (rows
 * round-trip): `\N` for null, `t`/`f`, integers as safe numbers or bigints, dates as `YYYY-MM-DD`
 * or `Date`, timestamps as ISO 8601 (no zone = UTC; an offset is applied) or `Date`, bytes as
 * Uint8Array. Throws a TypeError naming what was expected, never the value.
 */
export function copyTextField(value: unknown, udt: string): string {
  if (value === null || value === undefined) return '\\N';
  switch (udt) {
    case 'bool':
      return typeof value === 'boolean' ? (value ? 't' : 'f') : fail('a boolean');
    case 'int2':
    case 'int4':
      return typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= INT32_MIN &&
        value <= INT32_MAX
        ? String(value)
        : fail('an integer');
    case 'int8':
      if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) {
        return value.toString();
      }
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      return fail('a 64-bit integer (safe number or bigint)');
    case 'float4':
    case 'float8':
      // String() gives NaN, Infinity and -Infinity as PostgreSQL spells them, but 0 for -0.
      if (typeof value !== 'number') return fail('a number');
      return Object.is(value, -0) ? '-0' : String(value);
    case 'numeric':
      return typeof value === 'number' || typeof value === 'bigint'
        ? String(value)
        : fail('a number');
    case 'text':
    case 'varchar':
    case 'bpchar':
      return typeof value === 'string' ? escapeCopyText(value) : fail('a string');
    case 'date':
      return dateText(value);
    case 'timestamp':
      return timestampText(value);
    case 'timestamptz':
      return `${timestampText(value)}+00`;
    case 'bytea':
      // The bytea hex form `\x…`, its backslash escaped for the text format.
      return value instanceof Uint8Array
        ? `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`
        : fail('bytes (Uint8Array)');
    default:
      // Other types (uuid, json…) take their text form and are checked by PostgreSQL.
      if (typeof value === 'string') return escapeCopyText(value);
      if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
        return String(value);
      }
      return fail(`a ${udt} value as text`);
  }
}
