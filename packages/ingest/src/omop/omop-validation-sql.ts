/**
 * Typing and checking of OMOP CSV values in the engine. A file is read with every column as text
 * (so that one bad value names its column and rule instead of failing the line); each staged
 * column is then an SQL expression typing the text, and one CASE expression names the first rule
 * a row breaks (`'column|rule'`) or is NULL. Rules never quote the value: it may be an identifier.
 */
import type { OmopColumn, OmopColumnKind } from './omop-tables.js';

/** Date layout of a file: `YYYY-MM-DD` or `YYYYMMDD` (found per file). */
export type OmopDateFormat = 'iso' | 'compact';

/** Engine type of a staged column of each kind (`dropped` columns are not staged). */
export const STAGED_TYPE: Readonly<Record<Exclude<OmopColumnKind, 'dropped'>, string>> = {
  source_id: 'BIGINT',
  concept: 'INTEGER',
  integer: 'BIGINT',
  number: 'DOUBLE',
  date: 'DATE',
  datetime: 'TIMESTAMP',
  code: 'VARCHAR',
  label: 'VARCHAR',
  identifier: 'VARCHAR',
  place: 'VARCHAR',
};

/** Engine type of a staged column. */
export function stagedTypeOf(c: OmopColumn): string {
  return c.kind === 'dropped' ? 'VARCHAR' : STAGED_TYPE[c.kind];
}

/** Longest `*_source_value` kept (OMOP's varchar(50)); a longer one is free text. */
export const MAX_CODE_LENGTH = 50;

/** A NIR body (13 characters) somewhere in a value, separators removed. */
const NIR_BODY_PATTERN = '[12][0-9]{4}([0-9]{2}|2A|2B)[0-9]{6}';

/** A UUID (record ids of many tools). */
const UUID_PATTERN = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';

/** Years a date may have. */
const YEARS = [1850, 2100] as const;

/** SQL: a date column's text as a DATE in the file's format (NULL when it is not a valid date). */
export function dateSql(v: string, format: OmopDateFormat): string {
  // A time of day after the date (`2021-03-01 00:00:00`, as some databases export dates) is allowed.
  const [pattern, len, fmt] =
    format === 'iso' ? ['[0-9]{4}-[0-9]{2}-[0-9]{2}', 10, '%Y-%m-%d'] : ['[0-9]{8}', 8, '%Y%m%d'];
  const d = `try_strptime(substr(${v}, 1, ${len}), '${fmt}')::DATE`;
  return `(CASE WHEN regexp_full_match(${v}, '${pattern}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)?')
    AND year(${d}) BETWEEN ${YEARS[0]} AND ${YEARS[1]} THEN ${d} END)`;
}

/** SQL: a date-time (ISO `YYYY-MM-DD[ T]HH:MM:SS`, or `YYYYMMDD[ HH:MM:SS]`) as a TIMESTAMP. */
export function datetimeSql(v: string): string {
  const t = `coalesce(CASE WHEN regexp_matches(${v}, '^[0-9]{4}-') THEN try_cast(${v} AS TIMESTAMP) END,
    try_strptime(${v}, ['%Y%m%d %H:%M:%S', '%Y%m%d%H%M%S', '%Y%m%d %H:%M', '%Y%m%d']))`;
  return `(CASE WHEN year(${t}) BETWEEN ${YEARS[0]} AND ${YEARS[1]} THEN ${t} END)`;
}

/**
 * SQL: a `*_source_value` kept only when it looks like a code — at most 50 characters, no NIR-like
 * run of digits, no UUID; anything else is free text or an identifier and is dropped.
 */
export function codeSql(v: string): string {
  return `(CASE WHEN length(${v}) <= ${MAX_CODE_LENGTH}
    AND NOT regexp_matches(upper(regexp_replace(${v}, '[ .-]', '', 'g')), '${NIR_BODY_PATTERN}')
    AND NOT regexp_matches(${v}, '${UUID_PATTERN}')
    THEN ${v} END)`;
}

/**
 * SQL: a source value from a short list (sex, visit kind, unit…) kept only when it looks like a
 * code and not like a record number (six digits or more in a row).
 */
export function labelSql(v: string): string {
  return `(CASE WHEN NOT regexp_matches(${v}, '[0-9]{6}') THEN ${codeSql(v)} END)`;
}

/** SQL typing the (trimmed, non-empty or NULL) text `v` of a column. */
export function typedSql(
  kind: Exclude<OmopColumnKind, 'dropped'>,
  v: string,
  format: OmopDateFormat,
): string {
  switch (kind) {
    case 'source_id':
    case 'integer':
      return `(CASE WHEN regexp_full_match(${v}, '[+-]?[0-9]{1,18}') THEN ${v}::BIGINT END)`;
    case 'concept':
      return `(CASE WHEN regexp_full_match(${v}, '[0-9]{1,10}') THEN try_cast(${v} AS INTEGER) END)`;
    case 'number':
      return `(CASE WHEN isfinite(try_cast(${v} AS DOUBLE)) THEN try_cast(${v} AS DOUBLE) END)`;
    case 'date':
      return dateSql(v, format);
    case 'datetime':
      return datetimeSql(v);
    case 'code':
      return codeSql(v);
    case 'label':
      return labelSql(v);
    case 'identifier':
    case 'place':
      return v;
  }
}

const TYPE_RULES: Partial<Record<OmopColumnKind, string>> = {
  source_id: 'not an integer identifier',
  concept: 'not a concept id',
  integer: 'not an integer',
  number: 'not a number',
  datetime: 'not a date-time',
};

/** The rule broken by a value that does not type. */
function typeRule(kind: OmopColumnKind, format: OmopDateFormat): string | null {
  if (kind === 'date') return `not a date (${format === 'iso' ? 'YYYY-MM-DD' : 'YYYYMMDD'})`;
  return TYPE_RULES[kind] ?? null;
}

/**
 * The CASE expression of a row's first broken rule, over staged columns: `raw(c)` is the text of
 * column c (NULL when empty or absent), `typed(c)` its typed value.
 */
export function reasonSql(
  columns: readonly OmopColumn[],
  raw: (c: OmopColumn) => string,
  typed: (c: OmopColumn) => string,
  format: OmopDateFormat,
  quoteLiteral: (v: string) => string,
): string {
  const cases: string[] = [];
  const rule = (c: OmopColumn, text: string): string => quoteLiteral(`${c.name}|${text}`);
  for (const c of columns) {
    if (c.kind === 'dropped') continue;
    if (c.required) cases.push(`WHEN ${raw(c)} IS NULL THEN ${rule(c, 'required value missing')}`);
    const broken = typeRule(c.kind, format);
    if (broken !== null) {
      cases.push(`WHEN ${raw(c)} IS NOT NULL AND ${typed(c)} IS NULL THEN ${rule(c, broken)}`);
    }
    if (c.range) {
      const [lo, hi] = c.range;
      cases.push(
        `WHEN ${typed(c)} NOT BETWEEN ${lo} AND ${hi} THEN ${rule(c, `out of range ${lo}–${hi}`)}`,
      );
    }
  }
  return cases.length === 0 ? 'NULL::VARCHAR' : `CASE ${cases.join(' ')} END`;
}
