/**
 * Stages an SNDS extract in the engine: each file is read once by DuckDB's CSV reader with the
 * column types of its Table Schema, every row is checked against the schema in the same pass
 * (`snds-validation-sql.ts`), and only the columns the mapping needs are kept in temporary tables.
 * Lines the reader cannot type (wrong number of fields, a letter in a number, an impossible date)
 * are recorded by the engine's reject mechanism with their line and column — never their content.
 */
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
import { firstLine, type SourceFile } from '../source-files.js';
import {
  compileSndsValidation,
  readCsvColumnsSql,
  type ReadColumn,
} from './snds-validation-sql.js';
import { SNDS_CLAIM_KEY, SNDS_STAGING, pmsiYear } from './snds-tables.js';
import { sourcePseudonymSql } from '../person-map.js';

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
  await s.execute('CREATE OR REPLACE TEMP SEQUENCE stg_snds_big_seq');
  for (const spec of Object.values(SNDS_STAGING)) {
    const schema = parseTableSchema(sndsTableSchemaJson(spec.table));
    const byName = new Map(schema.fields.map((f) => [f.name, f]));
    const cols = spec.keep.map((c) => {
      const f = byName.get(c);
      if (!f) throw new HygieError('HYG_INTERNAL', `${spec.table} has no column ${c}`);
      return `${s.dialect.quoteIdent(c)} ${sqlTypeOfField(f)}`;
    });
    // Small tables number their rows in file order (_row); large ones get an unordered _id and,
    // when they name a person, the person id resolved while reading (_person) or, for a person
    // not in the beneficiary file, the source pseudonym of its identifier (_unmapped) — never a
    // raw NIR. Large tables are ordinary (compressed) tables rather than TEMP ones, which would
    // be uncompressed and spill; they are dropped before the batch commits.
    const person = spec.big && spec.identifier ? ', _person BIGINT, _unmapped VARCHAR' : '';
    // Large tables carry their claim key folded into two 64-bit hashes (two argument orders), a
    // 128-bit key the claims-to-lines join compares instead of nine columns.
    const claimKey = spec.big ? ', _k1 UBIGINT, _k2 UBIGINT' : '';
    await s.execute(
      `CREATE OR REPLACE ${spec.big ? '' : 'TEMP '}TABLE ${spec.stage} (_fi INTEGER, _row BIGINT, _id BIGINT, _year INTEGER, _reason VARCHAR${person}${claimKey}, ${cols.join(', ')})`,
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

/** SQL of the two 64-bit hashes of a row's claim key (columns prefixed by `alias`). */
export function claimKeySql(alias: string): string {
  const cols = SNDS_CLAIM_KEY.map((c) => `${alias}"${c}"`);
  return `hash(${cols.join(', ')}) AS _k1, hash(${[...cols].reverse().join(', ')}, 'hygie') AS _k2`;
}

/** How one file is read: kept for the second pass that finds lines of quarantined rows. */
export interface SndsFileRead {
  file: SourceFile;
  index: number;
  table: SndsTable;
  /** The `read_csv(...)` call. */
  readSql: string;
}

/** A planned SNDS file: its table, header and compiled validation. */
interface PlannedFile extends SndsFileRead {
  reasonSql: string;
  header: string[];
}

/** Checks every file's header against its table schema and compiles its reading. */
export function planSndsFiles(
  s: WarehouseSession,
  files: readonly SourceFile[],
  nomenclatures: ReadonlyMap<string, string>,
): PlannedFile[] {
  const q = s.dialect.quoteIdent;
  const lit = s.dialect.quoteLiteral;
  return files.map((file, index) => {
    const name = basename(file.path)
      .replace(/\.(csv|txt)$/i, '')
      .toUpperCase();
    const table = sndsTableOfFile(name);
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
        { path: basename(file.path), table },
      );
    }
    const validation = compileSndsValidation(schema, detected.header, {
      identifierColumns: new Set(spec.identifier ? [spec.identifier] : []),
      nomenclatureTable: (ref) => nomenclatures.get(ref.split(':')[0] ?? ''),
      quoteIdent: q,
      quoteLiteral: lit,
    });
    const readSql = `read_csv(${lit(file.path)}, delim = ${lit(detected.delimiter)}, header = true, auto_detect = false,
         columns = ${readCsvColumnsSql(validation.columns, lit)}, dateformat = '%Y-%m-%d', quote = '"', escape = '"'`;
    return {
      file,
      index,
      table,
      readSql,
      reasonSql: validation.reasonSql,
      header: detected.header,
    };
  });
}

/** Stages one file; returns rows staged and lines the reader rejected. */
async function stageFile(
  s: WarehouseSession,
  f: PlannedFile,
  sourcePads: { ipadHex: string; opadHex: string },
): Promise<StagedSndsFile> {
  const q = s.dialect.quoteIdent;
  const lit = s.dialect.quoteLiteral;
  const spec = SNDS_STAGING[f.table];
  const schema = parseTableSchema(sndsTableSchemaJson(f.table));
  const byName = new Map(schema.fields.map((x) => [x.name, x]));
  const present = new Set(f.header);
  const col = (c: string): string =>
    present.has(c) ? q(c) : `NULL::${sqlTypeOfField(byName.get(c) as FieldSchema)}`;
  const keep = spec.keep.map(col);
  const year = pmsiYear(basename(f.file.path).toUpperCase());
  const rejects = `rej_${f.index}`;
  await s.execute(`DROP TABLE IF EXISTS ${rejects}_errors`);
  await s.execute(`DROP TABLE IF EXISTS ${rejects}_scans`);
  const read = `${f.readSql}, store_rejects = true, rejects_table = '${rejects}_errors', rejects_scan = '${rejects}_scans')`;
  // Large tables read the kept columns plus the claim key columns the folded key is made of.
  const projected = spec.big
    ? [...new Set([...spec.keep, ...SNDS_CLAIM_KEY])].map((c) => `${col(c)} AS ${q(c)}`).join(', ')
    : '';
  let n: number;
  if (!spec.big) {
    n = await s.execute(
      `INSERT INTO ${spec.stage} (_fi, _row, _year, _reason, ${spec.keep.map(q).join(', ')})
       SELECT ${f.index}, row_number() OVER (), ${year ?? 'NULL'}, ${f.reasonSql}, ${keep.join(', ')} FROM ${read}`,
    );
  } else if (spec.identifier) {
    // The person is resolved while reading: a hash join with the (small) person map.
    const id = col(spec.identifier);
    n = await s.execute(
      `INSERT INTO ${spec.stage} (_fi, _id, _reason, _person, _unmapped, _k1, _k2, ${spec.keep.map(q).join(', ')})
       SELECT ${f.index}, nextval('stg_snds_big_seq'), r._reason, m.person_id,
         CASE WHEN m.raw IS NULL THEN ${sourcePseudonymSql('r._ident', '$1', '$2')} END,
         ${claimKeySql('r.')}, ${spec.keep.map((c) => `r.${q(c)}`).join(', ')}
       FROM (SELECT ${f.reasonSql} AS _reason, ${id} AS _ident, ${projected} FROM ${read}) r
       LEFT JOIN person_map m ON m.raw = r._ident AND m.namespace IS NULL`,
      [sourcePads.ipadHex, sourcePads.opadHex],
    );
  } else {
    n = await s.execute(
      `INSERT INTO ${spec.stage} (_fi, _id, _reason, _k1, _k2, ${spec.keep.map(q).join(', ')})
       SELECT ${f.index}, nextval('stg_snds_big_seq'), r._reason, ${claimKeySql('r.')}, ${spec.keep.map((c) => `r.${q(c)}`).join(', ')}
       FROM (SELECT ${f.reasonSql} AS _reason, ${projected} FROM ${read}) r`,
    );
  }
  // Lines the reader rejected: line, column and kind of error only (csv_line holds the raw row).
  const rejected = await s.execute(
    `INSERT INTO ${QUARANTINE_WORK_TABLE}
     SELECT ${lit(f.file.path)}, ${lit(f.table)}, line, any_value(column_name), 'cannot be read: ' || lower(replace(any_value(error_type)::VARCHAR, '_', ' '))
     FROM ${rejects}_errors GROUP BY line`,
  );
  await s.execute(`DROP TABLE IF EXISTS ${rejects}_errors`);
  await s.execute(`DROP TABLE IF EXISTS ${rejects}_scans`);
  return { file: f.file, index: f.index, table: f.table, rowsStaged: n, linesRejected: rejected };
}

/** Prepares staging: nomenclature code tables and empty staging tables. */
export async function prepareSndsStaging(s: WarehouseSession): Promise<Map<string, string>> {
  const nomenclatures = await stageNomenclatures(s);
  await createStagingTables(s);
  return nomenclatures;
}

/** Stages planned files (small tables before large ones is the caller's choice). */
export async function stageSndsFiles(
  s: WarehouseSession,
  planned: readonly PlannedFile[],
  /** HMAC padded keys of the source NIR key (claims store source pseudonyms, never raw NIRs). */
  sourcePads: { ipadHex: string; opadHex: string },
  onFile?: (path: string) => void,
): Promise<StagedSndsFile[]> {
  const out: StagedSndsFile[] = [];
  for (const f of planned) {
    out.push(await stageFile(s, f, sourcePads));
    onFile?.(f.file.path);
  }
  return out;
}
