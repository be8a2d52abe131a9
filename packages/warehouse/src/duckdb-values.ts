/**
 * Conversions between plain JavaScript values and DuckDB values, in both directions: results on
 * the way out, statement parameters and appended rows on the way in. One place, so every caller
 * sees the same representation (see `SqlRow`).
 */
import {
  BIGINT,
  DuckDBTypeId,
  JSDuckDBValueConverter,
  JSToDuckDBValueConverter,
  blobValue,
  dateValue,
  timestampValue,
} from '@duckdb/node-api';
import type {
  DuckDBDateValue,
  DuckDBTimestampValue,
  DuckDBType,
  DuckDBValue,
  DuckDBValueConverter,
  JS,
  ToDuckDBValueConverter,
} from '@duckdb/node-api';
import { HygieError, parseIsoDate } from '@hygie/core';
import type { SqlParam } from './engine.js';
import { microsToMillis, parseTimestampMicros, safeInteger } from './js-values.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MS_PER_DAY = 86_400_000;

function isoFromDate(d: Date): string {
  return d.toISOString();
}

/**
 * Result converter: DuckDB values to plain JS (see `SqlRow`). Nested values (lists, structs) are
 * converted recursively through the same rules.
 */
export const duckDbToJs: DuckDBValueConverter<JS> = (value, type, converter) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return safeInteger(value as bigint);
    case DuckDBTypeId.DATE:
      // toString gives YYYY-MM-DD, and 'infinity' / '-infinity' for the infinite dates.
      return (value as DuckDBDateValue).toString();
    case DuckDBTypeId.TIMESTAMP: {
      const ts = value as DuckDBTimestampValue;
      return ts.isFinite ? new Date(microsToMillis(ts.micros)).toISOString() : ts.toString();
    }
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ: {
      const d = JSDuckDBValueConverter(value, type, converter);
      return d instanceof Date && !Number.isNaN(d.getTime()) ? isoFromDate(d) : String(value);
    }
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.INTERVAL:
      return String(value);
    default:
      // DECIMAL → number, VARCHAR/UUID/ENUM → string, LIST/STRUCT → recursive, BLOB → bytes.
      return JSDuckDBValueConverter(value, type, converter);
  }
};

/**
 * A statement parameter as a DuckDB value and, for bigints, an explicit BIGINT type (DuckDB would
 * otherwise infer HUGEINT). Throws HYG_INVALID_ARGUMENT for anything else than `SqlParam`.
 */
export function toDuckDbParam(
  value: SqlParam,
  index: number,
): [DuckDBValue, DuckDBType | undefined] {
  if (value === null || value === undefined) return [null, undefined];
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return [value, undefined];
    case 'number':
      if (!Number.isFinite(value)) break;
      return [value, undefined];
    case 'bigint':
      return [value, value >= INT64_MIN && value <= INT64_MAX ? BIGINT : undefined];
    default:
      if (value instanceof Date && !Number.isNaN(value.getTime())) {
        return [timestampValue(BigInt(value.getTime()) * 1000n), undefined];
      }
      if (value instanceof Uint8Array) return [blobValue(value), undefined];
  }
  // The value itself is not echoed: it may be anything the caller holds.
  throw new HygieError('HYG_INVALID_ARGUMENT', `parameter $${index + 1} has an unsupported type`, {
    parameter: index + 1,
  });
}

function fail(expected: string): never {
  throw new TypeError(expected);
}

/**
 * Appender converter: a JS value to the DuckDB value of the target column's type. Accepts the
 * representations the warehouse returns (so rows round-trip) plus `Date` objects: dates as
 * `YYYY-MM-DD`, timestamps as ISO 8601 (no zone = UTC), 64-bit integers as safe `number` or
 * `bigint`. Throws a TypeError naming what was expected, never the value.
 */
export const jsToDuckDbForAppend: ToDuckDBValueConverter<unknown> = (value, type) => {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return typeof value === 'boolean' ? value : fail('a boolean');
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
      return typeof value === 'number' && Number.isInteger(value) ? value : fail('an integer');
    case DuckDBTypeId.BIGINT:
      if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value;
      if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
      return fail('a 64-bit integer (safe number or bigint)');
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.FLOAT:
      return typeof value === 'number' ? value : fail('a number');
    case DuckDBTypeId.VARCHAR:
      return typeof value === 'string' ? value : fail('a string');
    case DuckDBTypeId.DATE: {
      if (value instanceof Date && !Number.isNaN(value.getTime())) {
        return dateValue(Math.floor(value.getTime() / MS_PER_DAY));
      }
      const day = typeof value === 'string' ? parseIsoDate(value) : Number.NaN;
      return Number.isNaN(day) ? fail('a YYYY-MM-DD date') : dateValue(day);
    }
    case DuckDBTypeId.TIMESTAMP: {
      if (value instanceof Date && !Number.isNaN(value.getTime())) {
        return timestampValue(BigInt(value.getTime()) * 1000n);
      }
      const micros = typeof value === 'string' ? parseTimestampMicros(value) : null;
      return micros === null ? fail('an ISO 8601 timestamp') : timestampValue(micros);
    }
    default:
      return JSToDuckDBValueConverter(value as JS, type, JSToDuckDBValueConverter);
  }
};
