/**
 * Stages an OMOP CSV export in the engine. Each file is read once by DuckDB's CSV reader (every
 * column as text, rows numbered in file order), its date layout is found (`YYYY-MM-DD` or
 * `YYYYMMDD`, whichever its dates use), and its rows are typed and checked in one INSERT into the
 * table's temporary staging table (`omop-validation-sql.ts`). Lines the reader cannot split (too
 * many or too few fields, a broken quote) are recorded by the engine's reject mechanism with their
 * line — never their content. Dropped columns (identifying or free text) are never staged.
 */
import type { WarehouseSession } from '@hygie/warehouse';
import { QUARANTINE_WORK_TABLE } from '../snds/snds-stage.js';
import type { SourceFile } from '../source-files.js';
import { tagRows } from './omop-tags.js';
import {
  firstLine,
  omopTableOfFile,
  readOmopFileLayout,
  type OmopFileLayout,
} from './omop-files.js';
import { OMOP_STAGING, type OmopColumn, type OmopTable } from './omop-tables.js';
import { reasonSql, stagedTypeOf, typedSql, type OmopDateFormat } from './omop-validation-sql.js';

/** One staged file. */
export interface StagedOmopFile {
  file: SourceFile;
  /** Index of the file in the batch (used in row keys). */
  index: number;
  table: OmopTable;
  dateFormat: OmopDateFormat;
  /** Rows the reader accepted (valid or not). */
  rowsStaged: number;
  /** Lines the reader rejected. */
  linesRejected: number;
}

/** Staged columns of a table (all but the dropped ones). */
export function stagedColumns(table: OmopTable): OmopColumn[] {
  return OMOP_STAGING[table].columns.filter((c) => c.kind !== 'dropped');
}

/**
 * Creates the staging table of every OMOP table: file index, row number in the file (accepted
 * rows), the first broken rule, the staged columns, and for tables naming a person the resolved
 * warehouse person (`_person`, filled by `omop-persons.ts`).
 */
export async function createOmopStagingTables(s: WarehouseSession): Promise<void> {
  const q = s.dialect.quoteIdent;
  for (const spec of Object.values(OMOP_STAGING)) {
    const cols = stagedColumns(spec.table).map((c) => `${q(c.name)} ${stagedTypeOf(c)}`);
    const extra =
      spec.table === 'person'
        ? ', _ident_raw VARCHAR, _ident_ns VARCHAR'
        : spec.table === 'location'
          ? ''
          : ', _person BIGINT';
    await s.execute(
      `CREATE OR REPLACE TEMP TABLE ${spec.stage} (_fi INTEGER, _row BIGINT, _reason VARCHAR${extra}, ${cols.join(', ')})`,
    );
  }
}

/** Name of a header position when reading: its OMOP column, or `_x<i>` for an unknown one. */
const readName = (layout: OmopFileLayout, i: number): string => layout.columns[i] ?? `_x${i}`;

/** The date layout most of a file's dates use (YYYY-MM-DD when it has none). */
async function detectDateFormat(
  s: WarehouseSession,
  raw: string,
  dateColumns: readonly string[],
): Promise<OmopDateFormat> {
  if (dateColumns.length === 0) return 'iso';
  const [r] = await s.query<{ iso: number | bigint; compact: number | bigint }>(
    `SELECT count(*) FILTER (WHERE regexp_matches(v, '^[0-9]{4}-[0-9]{2}-[0-9]{2}')) AS iso,
            count(*) FILTER (WHERE regexp_matches(v, '^[0-9]{8}($|[ T])')) AS compact
     FROM (SELECT unnest([${dateColumns.join(', ')}]) AS v FROM ${raw})`,
  );
  return Number(r?.compact ?? 0) > Number(r?.iso ?? 0) ? 'compact' : 'iso';
}

/** Stages one file; returns how many rows it staged and lines the reader rejected. */
export async function stageOmopFile(
  s: WarehouseSession,
  file: SourceFile,
  index: number,
): Promise<StagedOmopFile> {
  const q = s.dialect.quoteIdent;
  const lit = s.dialect.quoteLiteral;
  // An empty file (an export of an empty table, without even a header) stages nothing.
  const table = omopTableOfFile(file.path);
  if (table !== null && firstLine(file.path).trim() === '') {
    return { file, index, table, dateFormat: 'iso', rowsStaged: 0, linesRejected: 0 };
  }
  const layout: OmopFileLayout = readOmopFileLayout(file.path);
  const spec = OMOP_STAGING[layout.table];
  const columns = stagedColumns(layout.table);
  const positionOf = new Map<string, number>();
  layout.columns.forEach((c, i) => {
    if (c !== null) positionOf.set(c, i);
  });
  // Every header position is read as text; the raw work table keeps the staged columns only,
  // trimmed, empty as NULL, and the row's number among the rows the reader accepted.
  const readColumns = `{${layout.columns.map((_, i) => `${lit(readName(layout, i))}: 'VARCHAR'`).join(', ')}}`;
  const rejects = `omop_rej_${index}`;
  await s.execute(`DROP TABLE IF EXISTS ${rejects}_errors`);
  await s.execute(`DROP TABLE IF EXISTS ${rejects}_scans`);
  const present = columns.filter((c) => positionOf.has(c.name));
  const rawColumns = present.map((c) => `nullif(trim(${q(c.name)}), '') AS ${q(c.name)}`);
  // parallel = false: one reader thread, so row_number() follows the file's order.
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE omop_raw AS
     SELECT row_number() OVER () AS _row${rawColumns.map((c) => `, ${c}`).join('')}
     FROM read_csv(${lit(file.path)}, delim = ${lit(layout.delimiter)}, header = true, auto_detect = false,
       columns = ${readColumns}, quote = '"', escape = '"', parallel = false, null_padding = false,
       store_rejects = true, rejects_table = '${rejects}_errors', rejects_scan = '${rejects}_scans')`,
  );
  const dateFormat = await detectDateFormat(
    s,
    'omop_raw',
    present.filter((c) => c.kind === 'date').map((c) => q(c.name)),
  );
  const raw = (c: OmopColumn): string => (positionOf.has(c.name) ? q(c.name) : 'NULL::VARCHAR');
  const typed = (c: OmopColumn): string =>
    positionOf.has(c.name) && c.kind !== 'dropped'
      ? typedSql(c.kind, q(c.name), dateFormat)
      : `NULL::${stagedTypeOf(c)}`;
  const reason = reasonSql(columns, raw, typed, dateFormat, lit);
  const rows = await s.execute(
    `INSERT INTO ${spec.stage} (_fi, _row, _reason, ${columns.map((c) => q(c.name)).join(', ')})
     SELECT ${index}, _row, ${reason}, ${columns.map(typed).join(', ')} FROM omop_raw`,
  );
  await s.execute('DROP TABLE omop_raw');
  // An end before its start breaks the period, whichever column is wrong: the end is named.
  for (const [start, end] of spec.periods) {
    await tagRows(
      s,
      spec.stage,
      `_fi = ${index} AND ${q(end)} < ${q(start)}`,
      `${end}|before ${start}`,
    );
  }
  // Lines the reader rejected: line, column and kind of error only (csv_line holds the raw row).
  const rejected = await s.execute(
    `INSERT INTO ${QUARANTINE_WORK_TABLE}
     SELECT ${lit(file.path)}, ${lit(layout.table)}, line,
       CASE WHEN NOT starts_with(any_value(column_name), '_x') THEN any_value(column_name) END,
       'cannot be read: ' || lower(replace(any_value(error_type)::VARCHAR, '_', ' '))
     FROM ${rejects}_errors GROUP BY line`,
  );
  await s.execute(`DROP TABLE IF EXISTS ${rejects}_errors`);
  await s.execute(`DROP TABLE IF EXISTS ${rejects}_scans`);
  return {
    file,
    index,
    table: layout.table,
    dateFormat,
    rowsStaged: rows,
    linesRejected: rejected,
  };
}
