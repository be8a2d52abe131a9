/**
 * Zod schemas for warehouse rows, built from the table descriptions: the check an ingestion
 * connector runs at its boundary before handing rows to the warehouse. Issues name the column and
 * the rule, never the value (a rejected value may be an identifier, DESIGN.md §4.1).
 */
import { z } from 'zod';
import { parseIsoDate } from '../dates.js';
import { normaliseNir } from '../nir.js';
import type { CdmColumn, CdmTable, CdmType } from './cdm-types.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z?$/;

function baseSchema(type: CdmType): z.ZodType {
  switch (type) {
    case 'bigint':
      return z.union([
        z.number().int().refine(Number.isSafeInteger, 'must be a safe integer (use a bigint)'),
        z.bigint().refine((v) => v >= INT64_MIN && v <= INT64_MAX, 'must fit in 64 bits'),
      ]);
    case 'integer':
      return z.number().int().min(-2147483648).max(2147483647);
    case 'text':
      return z.string();
    case 'date':
      return z.string().refine((v) => !Number.isNaN(parseIsoDate(v)), 'must be a YYYY-MM-DD date');
    case 'timestamp':
      return z
        .string()
        .refine(
          (v) => TIMESTAMP_RE.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))),
          'must be an ISO 8601 UTC timestamp',
        );
    case 'double':
      return z.number().finite();
    case 'boolean':
      return z.boolean();
  }
}

/** True when a text value looks like a NIR (with or without key, spaces or dots). */
function looksLikeNir(value: string): boolean {
  return normaliseNir(value) !== null;
}

/** The zod schema of one column's value. */
export function cdmColumnSchema(column: CdmColumn): z.ZodType {
  let schema = baseSchema(column.type);
  if (column.pseudonym === true) {
    schema = schema.refine(
      (v) => typeof v !== 'string' || !looksLikeNir(v),
      'must hold a pseudonym, never an identifier',
    );
  }
  // A nullable column may also be left out of the row: the warehouse stores null.
  return column.nullable ? schema.nullish() : schema;
}

/**
 * The zod schema of a whole row of `table`: known columns only (an unknown key is an error, so a
 * typo cannot silently drop a value), required columns present and non-null.
 */
export function cdmRowSchema(table: CdmTable): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const column of table.columns) shape[column.name] = cdmColumnSchema(column);
  return z.strictObject(shape);
}
