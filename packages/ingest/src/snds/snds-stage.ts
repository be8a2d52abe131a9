/**
 * Stages an SNDS extract in the engine: each file is read once by DuckDB's CSV reader with the
 * column types of its Table Schema, every row is checked against the schema in the same pass
 * (`snds-validation-sql.ts`), and only the columns the mapping needs are kept in temporary tables.
 * Lines the reader cannot type (wrong number of fields, a letter in a number, an impossible date)
 * are recorded by the engine's reject mechanism with their line and column — never their content.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { basename } from 'node:path';
import { HygieError, parseTableSchema, type FieldSchema } from '@hygie/core';
import {
  SNDS_NOMENCLATURES,
  sndsNomenclatureCodeColumn,
  sndsNomenclatureCodes,
  sndsTableOfFile,
  sndsTableSchemaJson,
  type SndsTable,
} from '@hygie/reference';
import type { WarehouseSession } from '@hygie/warehouse';
import type { SourceFile } from '../source-files.js';
import {
  compileSndsValidation,
  readCsvColumnsSql,
  type ReadColumn,
} from './snds-validation-sql.js';
import { SNDS_STAGING, pmsiYear } from './snds-tables.js';

/** One staged file. */
export interface StagedSndsFile {
  file: SourceFile;
  /** Index of the file in the batch (used in row keys). */
  index: number;
  table: SndsTable;
  /** Rows the reader accepted (valid or not). */
  rowsStaged: number;
  /** Lines the reader rejected. */
  linesRejected: number;
}

/** The quarantine work table every connector fills: one row per rejected source row. */
export const QUARANTINE_WORK_TABLE = 'q_rows';

/** Creates the quarantine work table. */
export async function createQuarantineWorkTable(s: WarehouseSession): Promise<void> {
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE ${QUARANTINE_WORK_TABLE} (path VARCHAR, source_table VARCHAR, line BIGINT, field VARCHAR, rule VARCHAR)`,
  );
}

/** Accepts SNDS file names (`IR_BEN_R.csv`, `T_MCO19B.csv`, …, also `.txt`). */
export function isSndsFile(path: string): boolean {
  const name = basename(path).replace(/\.(csv|txt)$/i, '');
  return /\.(csv|txt)$/i.test(path) && sndsTableOfFile(name) !== null;
}

function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf
      .subarray(0, n)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}

const DELIMITERS = [';', '|', '\t', ','] as const;

/** Finds the delimiter whose header splits into columns the schema knows. */
function detectHeader(
  line: string,
  known: ReadonlySet<string>,
): { delimiter: string; header: string[] } | null {
  for (const delimiter of DELIMITERS) {
    const header = line.split(delimiter).map((h) =>
      h
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toUpperCase(),
    );
    if (header.length > 1 && header.every((h) => known.has(h))) return { delimiter, header };
  }
  return null;
}

/** Loads the nomenclatures the schemas refer to into temporary code tables. */
async function stageNomenclatures(s: WarehouseSession): Promise<Map<string, string>> {
  const tables = new Map<string, string>();
  for (const name of SNDS_NOMENCLATURES) {
    const column = sndsNomenclatureCodeColumn(name);
    const table = `nom_${name.toLowerCase()}`;
    await s.execute(`CREATE OR REPLACE TEMP TABLE ${table} (code VARCHAR)`);
    await s.appendRows(
      table,
      ['code'],
      [...sndsNomenclatureCodes(name, column)].filter((c) => c !== '').map((c) => [c]),
    );
    tables.set(name, table);
  }
  return tables;
}

/** Creates the staging tables of every SNDS table. */
async function createStagingTables(s: WarehouseSession): Promise<void> {
  for (const spec of Object.values(SNDS_STAGING)) {
    const schema = parseTableSchema(sndsTableSchemaJson(spec.table));
    const byName = new Map(schema.fields.map((f) => [f.name, f]));
    const cols = spec.keep.map((c) => {
      const f = byName.get(c);
      if (!f) throw new HygieError('HYG_INTERNAL', `${spec.table} has no column ${c}`);
      return `${s.dialect.quoteIdent(c)} ${sqlTypeOfField(f)}`;
    });
    await s.execute(
      `CREATE OR REPLACE TEMP TABLE ${spec.stage} (_fi INTEGER, _row BIGINT, _year INTEGER, _reason VARCHAR, ${cols.join(', ')})`,
    );
  }
}

function sqlTypeOfField(f: FieldSchema): ReadColumn['sqlType'] {
  const format = f.format ?? 'default';
  if (f.type === 'integer') return 'BIGINT';
  if (f.type === 'number') return 'DOUBLE';
  if (f.type === 'date' && (format === 'default' || format === 'any')) return 'DATE';
  return 'VARCHAR';
}

/**
 * Stages SNDS files. Returns per-file counts; rows breaking a rule keep their reason in `_reason`,
 * lines the reader rejected go to the quarantine work table.
 */
export async function stageSnds(
  s: WarehouseSession,
  files: readonly SourceFile[],
  onFile?: (done: number, total: number, path: string) => void,
): Promise<StagedSndsFile[]> {
  const nomenclatures = await stageNomenclatures(s);
  await createStagingTables(s);
  const q = s.dialect.quoteIdent;
  const lit = s.dialect.quoteLiteral;
  const staged: StagedSndsFile[] = [];
  for (let index = 0; index < files.length; index++) {
    const file = files[index] as SourceFile;
    const name = basename(file.path).replace(/\.(csv|txt)$/i, '');
    const table = sndsTableOfFile(name.toUpperCase());
    if (!table)
      throw new HygieError(
        'HYG_INVALID_ARGUMENT',
        `not an SNDS table file: ${basename(file.path)}`,
      );
    const spec = SNDS_STAGING[table];
    const schema = parseTableSchema(sndsTableSchemaJson(table));
    const known = new Set(schema.fields.map((f) => f.name));
    const detected = detectHeader(firstLine(file.path), known);
    if (!detected) {
      throw new HygieError(
        'HYG_SCHEMA_VIOLATION',
        `${basename(file.path)}: the header does not match the ${table} table schema (unknown columns or separator)`,
        { path: file.path, table },
      );
    }
    const validation = compileSndsValidation(schema, detected.header, {
      identifierColumns: new Set(spec.identifier ? [spec.identifier] : []),
      nomenclatureTable: (ref) => nomenclatures.get(ref.split(':')[0] ?? ''),
      quoteIdent: q,
      quoteLiteral: lit,
    });
    const present = new Set(detected.header);
    const byName = new Map(schema.fields.map((f) => [f.name, f]));
    const keep = spec.keep.map((c) =>
      present.has(c) ? q(c) : `NULL::${sqlTypeOfField(byName.get(c) as FieldSchema)}`,
    );
    const year = pmsiYear(name.toUpperCase());
    const rejects = `rej_${index}`;
    await s.execute(`DROP TABLE IF EXISTS ${rejects}_errors`);
    await s.execute(`DROP TABLE IF EXISTS ${rejects}_scans`);
    const n = await s.execute(
      `INSERT INTO ${spec.stage} SELECT ${index}, row_number() OVER (), ${year ?? 'NULL'}, ${validation.reasonSql}, ${keep.join(', ')}
       FROM read_csv(${lit(file.path)}, delim = ${lit(detected.delimiter)}, header = true, auto_detect = false,
         columns = ${readCsvColumnsSql(validation.columns, lit)}, dateformat = '%Y-%m-%d', quote = '"', escape = '"',
         store_rejects = true, rejects_table = '${rejects}_errors', rejects_scan = '${rejects}_scans')`,
    );
    // Lines the reader rejected: line, column and kind of error only (csv_line holds the raw row).
    const rejected = await s.execute(
      `INSERT INTO ${QUARANTINE_WORK_TABLE}
       SELECT ${lit(file.path)}, ${lit(table)}, line, any_value(column_name), 'cannot be read: ' || lower(replace(any_value(error_type)::VARCHAR, '_', ' '))
       FROM ${rejects}_errors GROUP BY line`,
    );
    await s.execute(`DROP TABLE IF EXISTS ${rejects}_errors`);
    await s.execute(`DROP TABLE IF EXISTS ${rejects}_scans`);
    staged.push({ file, index, table, rowsStaged: n, linesRejected: rejected });
    onFile?.(index + 1, files.length, file.path);
  }
  return staged;
}
