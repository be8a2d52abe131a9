/**
 * Compiles an SNDS Table Schema into what the engine needs to read and check a file in one pass:
 * the typed column list for `read_csv` (type errors become rejected lines, recorded by the
 * engine) and one SQL expression naming the first rule a row breaks (`'COLUMN|rule'`), or NULL.
 * The same rules as `compileRowValidator` in core — types, formats, lengths, ranges, enums,
 * patterns, required values and nomenclature codes — evaluated by the engine, vectorised, instead
 * of row by row in JavaScript. Rules never quote the value (it may be an identifier).
 */
import type { FieldSchema, TableSchema } from '@hygie/core';

/** A column as read from the file: its name and engine type. */
export interface ReadColumn {
  name: string;
  sqlType: 'BIGINT' | 'DOUBLE' | 'DATE' | 'VARCHAR';
}

/** How to resolve a field's nomenclature to the name of a table of codes (column `code`). */
export type NomenclatureTable = (reference: string, field: FieldSchema) => string | undefined;

/** Options of {@link compileSndsValidation}. */
export interface SndsValidationOptions {
  /** Identifier columns: checked by the pseudonymisation step, not by the schema's length rules. */
  identifierColumns: ReadonlySet<string>;
  nomenclatureTable: NomenclatureTable;
  quoteIdent: (name: string) => string;
  quoteLiteral: (value: string) => string;
}

/** The compiled reading and validation of one file layout. */
export interface SndsValidation {
  columns: ReadColumn[];
  /** SQL expression: NULL for a valid row, else `'COLUMN|rule'`. */
  reasonSql: string;
}

function sqlTypeOf(field: FieldSchema): ReadColumn['sqlType'] {
  const format = field.format ?? 'default';
  if (field.type === 'integer') return 'BIGINT';
  if (field.type === 'number') return 'DOUBLE';
  if (field.type === 'date' && (format === 'default' || format === 'any')) return 'DATE';
  return 'VARCHAR';
}

/** SNDS formats use strftime directives (%d %m %Y %b %H %M %S), which DuckDB's strptime reads. */
function strptimeFormat(format: string): string {
  return format;
}

/**
 * Compiles the schema for a file whose header is `header` (all header columns must exist in the
 * schema; the caller checks that first and rejects the file otherwise).
 */
export function compileSndsValidation(
  schema: TableSchema,
  header: readonly string[],
  options: SndsValidationOptions,
): SndsValidation {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const q = options.quoteIdent;
  const lit = options.quoteLiteral;
  const columns: ReadColumn[] = [];
  const cases: string[] = [];
  const rule = (column: string, text: string): string => lit(`${column}|${text}`);
  for (const name of header) {
    const field = byName.get(name) as FieldSchema;
    const sqlType = sqlTypeOf(field);
    columns.push({ name, sqlType });
    const c = q(name);
    const cons = field.constraints ?? {};
    if (cons.required === true)
      cases.push(`WHEN ${c} IS NULL THEN ${rule(name, 'required value missing')}`);
    if (options.identifierColumns.has(name)) continue;
    const format = field.format ?? 'default';
    const checks: string[] = [];
    // Type and format rules beyond what the typed read enforces.
    if (sqlType === 'VARCHAR') {
      switch (field.type) {
        case 'year':
          checks.push(
            `NOT regexp_full_match(${c}, '[0-9]{4}') THEN ${rule(name, 'not a year (YYYY)')}`,
          );
          break;
        case 'yearmonth':
          checks.push(
            `NOT regexp_full_match(${c}, '[0-9]{4}-?(0[1-9]|1[0-2])') THEN ${rule(name, 'not a year-month (YYYYMM)')}`,
          );
          break;
        case 'boolean':
          checks.push(
            `${c} NOT IN ('0', '1', 'true', 'false') THEN ${rule(name, 'not a boolean (0/1)')}`,
          );
          break;
        case 'date':
          if (format === '%m')
            checks.push(
              `NOT regexp_full_match(${c}, '0[1-9]|1[0-2]') THEN ${rule(name, 'not a month (MM)')}`,
            );
          else
            checks.push(
              `try_strptime(${c}, ${lit(strptimeFormat(format))}) IS NULL THEN ${rule(name, `does not match date format ${format}`)}`,
            );
          break;
        case 'datetime':
          if (format === 'default' || format === 'any') {
            checks.push(
              `try_cast(${c} AS TIMESTAMP) IS NULL THEN ${rule(name, 'not a date-time')}`,
            );
          } else {
            checks.push(
              `try_strptime(${c}, ${lit(strptimeFormat(format))}) IS NULL THEN ${rule(name, `does not match date format ${format}`)}`,
            );
          }
          break;
        default:
          break;
      }
    }
    if (cons.minLength !== undefined)
      checks.push(
        `length(${c}::VARCHAR) < ${cons.minLength} THEN ${rule(name, `shorter than ${cons.minLength} characters`)}`,
      );
    let maxLen = cons.maxLength;
    if (
      maxLen === undefined &&
      field.type === 'string' &&
      field.length != null &&
      /^\d+$/.test(String(field.length))
    )
      maxLen = Number(field.length);
    if (maxLen !== undefined)
      checks.push(
        `length(${c}::VARCHAR) > ${maxLen} THEN ${rule(name, `longer than ${maxLen} characters`)}`,
      );
    if (field.type === 'integer' && field.length != null && /^\d+$/.test(String(field.length))) {
      const digits = Number(field.length);
      if (digits < 19)
        checks.push(
          `abs(${c}) >= ${10n ** BigInt(digits)} THEN ${rule(name, `more than ${digits} digits`)}`,
        );
    }
    const numeric = sqlType === 'BIGINT' || sqlType === 'DOUBLE';
    if (cons.minimum !== undefined) {
      const v = numeric ? c : `try_cast(${c} AS DOUBLE)`;
      checks.push(`${v} < ${cons.minimum} THEN ${rule(name, `below minimum ${cons.minimum}`)}`);
    }
    if (cons.maximum !== undefined) {
      const v = numeric ? c : `try_cast(${c} AS DOUBLE)`;
      checks.push(`${v} > ${cons.maximum} THEN ${rule(name, `above maximum ${cons.maximum}`)}`);
    }
    if (cons.enum !== undefined) {
      checks.push(
        `${c}::VARCHAR NOT IN (${cons.enum.map((v) => lit(String(v))).join(', ')}) THEN ${rule(name, 'not one of the allowed values')}`,
      );
    }
    if (cons.pattern !== undefined) {
      checks.push(
        `NOT regexp_full_match(${c}::VARCHAR, ${lit(cons.pattern)}) THEN ${rule(name, 'does not match the required pattern')}`,
      );
    }
    const ref = field.nomenclature;
    if (ref && ref !== '-') {
      const table = options.nomenclatureTable(ref, field);
      if (table)
        checks.push(
          `${c}::VARCHAR NOT IN (SELECT code FROM ${q(table)}) THEN ${rule(name, `code not in nomenclature ${ref.split(':')[0] ?? ref}`)}`,
        );
    }
    // Each check applies to a present value only.
    for (const check of checks) cases.push(`WHEN ${c} IS NOT NULL AND ${check}`);
  }
  return {
    columns,
    reasonSql: cases.length === 0 ? 'NULL::VARCHAR' : `CASE ${cases.join(' ')} END`,
  };
}

/** The `columns` argument of `read_csv` for the compiled columns. */
export function readCsvColumnsSql(
  columns: readonly ReadColumn[],
  quoteLiteral: (v: string) => string,
): string {
  return `{${columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.sqlType)}`).join(', ')}}`;
}
