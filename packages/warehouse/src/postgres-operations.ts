/**
 * The session operations (query, execute, CSV load, append) implemented on one PostgreSQL
 * connection. The engine decides which connection and which transaction they run in; these
 * functions only speak PostgreSQL. Bulk loads use `COPY … FROM STDIN` (pg-copy-streams): a file
 * is streamed from disk, appended rows are encoded in COPY's text format chunk by chunk, and
 * nothing is ever held whole in memory.
 */
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { finished, pipeline } from 'node:stream/promises';
import type { ClientBase, QueryResult } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { HygieError, isHygieError } from '@hygie/core';
import type { CsvLoadOptions, SqlParam } from './engine.js';
import { checkCsvLoad, columnPositions, noSuchTable } from './load-checks.js';
import { csvLoadError, postgresCopyError, postgresStatementError } from './postgres-errors.js';
import { copyTextField, toPostgresParam } from './postgres-values.js';
import type { SqlDialect } from './sql-dialect.js';

type Rows = Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>;

/** A column of a table as the loads need it. */
export interface PgColumn {
  readonly name: string;
  /** `pg_type.typname`: int8, text, date, timestamp… */
  readonly udt: string;
  /** The declared type, as SQL (`format_type`): `bigint`, `timestamp without time zone`… */
  readonly sqlType: string;
}

/** Statements one `query` call may return several results for (simple protocol, no params). */
function lastResult(result: QueryResult | QueryResult[]): QueryResult | undefined {
  return Array.isArray(result) ? result.at(-1) : result;
}

/** Runs a statement and returns its rows as plain JS objects. */
export async function runQuery<T>(
  client: ClientBase,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<T[]> {
  const values = params.map(toPostgresParam);
  try {
    const result = lastResult(await client.query({ text: sql, values }));
    return (result?.rows ?? []) as T[];
  } catch (e) {
    throw postgresStatementError(e);
  }
}

const CHANGING_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

/** Runs a statement and returns the number of rows it changed (0 for queries and DDL). */
export async function runExecute(
  client: ClientBase,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<number> {
  const values = params.map(toPostgresParam);
  try {
    const result = lastResult(await client.query({ text: sql, values }));
    return result && CHANGING_COMMANDS.has(result.command) ? (result.rowCount ?? 0) : 0;
  } catch (e) {
    throw postgresStatementError(e);
  }
}

/**
 * Columns of a table in declaration order, resolved like the statements that use it (search path,
 * temporary tables first).
 */
export async function tableColumns(client: ClientBase, table: string): Promise<PgColumn[]> {
  const rows = await runQuery<{ name: string; udt: string; sql_type: string }>(
    client,
    `SELECT a.attname AS name, t.typname AS udt, format_type(a.atttypid, a.atttypmod) AS sql_type
     FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`,
    [`"${table.replaceAll('"', '""')}"`],
  );
  if (rows.length === 0) throw noSuchTable(table);
  return rows.map((r) => ({ name: r.name, udt: r.udt, sqlType: r.sql_type }));
}

/** Streams a file into a `COPY … FROM STDIN` and returns the rows copied. */
async function copyFile(client: ClientBase, sql: string, path: string): Promise<number> {
  const stream = client.query(copyFrom(sql));
  await pipeline(createReadStream(path), stream);
  return stream.rowCount;
}

/**
 * The quote character given to COPY when fields are never quoted (`quote: null`): PostgreSQL's
 * CSV format always has one, so a control character no delimited text file uses stands in
 * (a file holding U+0001 would see it taken as a quote).
 */
const NO_QUOTE = '\u0001';

/** The staging table's column numbering the file's records (1, 2, …), for error reports. */
const RECORD = 'hygie csv record';

/** At most this many arguments per `num_nulls` call (PostgreSQL allows 100). */
const NUM_NULLS_ARGS = 90;

let stagingTables = 0;

/**
 * Bulk-loads a delimited file with `COPY … FROM STDIN (FORMAT csv)`, typed and checked by
 * PostgreSQL, streamed from disk. Dates written `YYYYMMDD`, which COPY cannot read, go through a
 * temporary table of text columns and one `INSERT … SELECT` that converts them; a failing value
 * is then located (record and column) by a bisection under savepoints. Must run inside a
 * transaction (the engine provides one): all or nothing. Returns the rows loaded.
 */
export async function runLoadCsv(
  client: ClientBase,
  dialect: SqlDialect,
  table: string,
  file: string,
  options: CsvLoadOptions,
): Promise<number> {
  const { path, name } = checkCsvLoad(file, options);
  const tableCols = await tableColumns(client, table);
  const target = columnPositions(table, tableCols, options.columns).map(
    (i) => tableCols[i] as PgColumn,
  );
  const q = dialect.quoteIdent;
  const lit = dialect.quoteLiteral;
  const quote = options.quote === undefined ? '"' : (options.quote ?? NO_QUOTE);
  const columnList = target.map((c) => q(c.name)).join(', ');
  // An empty field is NULL, quoted ("") or not, as DuckDB reads it (FORCE_NULL for the quoted).
  const copyOptions =
    `FORMAT csv, DELIMITER ${lit(options.delimiter)}, HEADER ${options.header ? 'true' : 'false'}, ` +
    `QUOTE ${lit(quote)}, ESCAPE ${lit(quote)}, NULL '', FORCE_NULL (${columnList}), ENCODING 'UTF8'`;
  const load = {
    table,
    file: name,
    fields: target.length,
    typeOf: (column: string) =>
      (tableCols.find((c) => c.name === column)?.sqlType ?? 'value').toUpperCase(),
  };
  const compactDates = options.dateFormat === 'YYYYMMDD' && target.some((c) => c.udt === 'date');
  if (!compactDates) {
    try {
      return await copyFile(
        client,
        `COPY ${q(table)} (${columnList}) FROM STDIN WITH (${copyOptions})`,
        path,
      );
    } catch (e) {
      throw postgresCopyError(e, load);
    }
  }

  const stage = q(`hygie_csv_stage_${++stagingTables}`);
  const stageCols = target.map((c) => `${q(c.name)} TEXT`).join(', ');
  await runExecute(
    client,
    `CREATE TEMP TABLE ${stage} (${stageCols}, ${q(RECORD)} BIGINT GENERATED ALWAYS AS IDENTITY) ON COMMIT DROP`,
  );
  let records: number;
  try {
    records = await copyFile(
      client,
      `COPY ${stage} (${columnList}) FROM STDIN WITH (${copyOptions})`,
      path,
    );
  } catch (e) {
    throw postgresCopyError(e, load);
  }
  const converted = target.map((c) => convertFromText(q(c.name), c, dialect));
  let inserted: number;
  await runExecute(client, 'SAVEPOINT hygie_csv_load');
  try {
    inserted = await runExecute(
      client,
      `INSERT INTO ${q(table)} (${columnList}) SELECT ${converted.join(', ')} FROM ${stage}`,
    );
    await runExecute(client, 'RELEASE SAVEPOINT hygie_csv_load');
  } catch (e) {
    const sqlState = (e as { details?: { sqlState?: unknown } }).details?.sqlState;
    await runExecute(client, 'ROLLBACK TO SAVEPOINT hygie_csv_load');
    if (typeof sqlState === 'string' && sqlState.startsWith('22')) {
      const at = await locateBadValue(client, stage, target, converted, records, q);
      throw csvLoadError({
        ...load,
        line: at.record + (options.header ? 1 : 0),
        column: at.column,
        problem:
          at.column === null
            ? 'a value is invalid'
            : `column "${at.column}" is not a valid ${load.typeOf(at.column)}`,
      });
    }
    if (sqlState === '23502') {
      const column = await firstNull(client, stage, target, q, table);
      if (column) {
        throw csvLoadError({
          ...load,
          line: column.record + (options.header ? 1 : 0),
          column: column.name,
          problem: `column "${column.name}" must not be empty`,
        });
      }
    }
    throw isHygieError(e) && e.code === 'HYG_CONFLICT'
      ? csvLoadError({
          ...load,
          line: null,
          column: null,
          problem: `a row repeats a key of ${table}`,
        })
      : e;
  }
  await runExecute(client, `DROP TABLE ${stage}`);
  return inserted;
}

/** The expression converting a staged text column to its target column's type. */
function convertFromText(column: string, target: PgColumn, dialect: SqlDialect): string {
  if (target.udt === 'text' || target.udt === 'varchar') return column;
  if (target.udt === 'date') {
    // Exactly eight digits; anything else (even a valid ISO date) fails the cast, as in DuckDB.
    return (
      `CAST(CASE WHEN ${column} ~ '^[0-9]{8}$' THEN substr(${column}, 1, 4) || '-' || ` +
      `substr(${column}, 5, 2) || '-' || substr(${column}, 7, 2) WHEN ${column} IS NULL THEN NULL ` +
      `ELSE ${dialect.quoteLiteral('not a YYYYMMDD date')} END AS DATE)`
    );
  }
  return `CAST(${column} AS ${target.sqlType})`;
}

/** True when evaluating `sql` fails with a data exception (class 22), under a savepoint. */
async function failsWithDataError(
  client: ClientBase,
  sql: string,
  params: readonly SqlParam[],
): Promise<boolean> {
  await runExecute(client, 'SAVEPOINT hygie_csv_probe');
  try {
    await runQuery(client, sql, params);
    await runExecute(client, 'RELEASE SAVEPOINT hygie_csv_probe');
    return false;
  } catch (e) {
    await runExecute(client, 'ROLLBACK TO SAVEPOINT hygie_csv_probe');
    const sqlState = (e as { details?: { sqlState?: unknown } }).details?.sqlState;
    if (typeof sqlState === 'string' && sqlState.startsWith('22')) return true;
    throw e;
  }
}

/**
 * Finds the first record (and its column) whose conversion fails: a bisection over record numbers
 * (about log2(records) scans of the staging table), then one probe per column of that record.
 * Only runs after a failed load.
 */
async function locateBadValue(
  client: ClientBase,
  stage: string,
  target: readonly PgColumn[],
  converted: readonly string[],
  records: number,
  q: (name: string) => string,
): Promise<{ record: number; column: string | null }> {
  const rec = q(RECORD);
  // Every conversion must be evaluated: num_nulls takes all its arguments, and the condition
  // never holds. OFFSET 0 keeps the range filter from being reordered after it.
  const checks: string[] = [];
  for (let i = 0; i < converted.length; i += NUM_NULLS_ARGS) {
    checks.push(`num_nulls(${converted.slice(i, i + NUM_NULLS_ARGS).join(', ')})`);
  }
  const probe =
    `SELECT count(*) AS n FROM (SELECT * FROM ${stage} WHERE ${rec} BETWEEN $1 AND $2 OFFSET 0) s ` +
    `WHERE ${checks.join(' + ')} < 0`;
  let lo = 1;
  let hi = Math.max(records, 1);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (await failsWithDataError(client, probe, [lo, mid])) hi = mid;
    else lo = mid + 1;
  }
  for (let i = 0; i < target.length; i++) {
    const sql = `SELECT num_nulls(${converted[i]}) AS n FROM ${stage} WHERE ${rec} = $1`;
    if (await failsWithDataError(client, sql, [lo])) {
      return { record: lo, column: target[i]?.name ?? null };
    }
  }
  return { record: lo, column: null };
}

/** The first staged record leaving a NOT NULL column of the table empty, if any. */
async function firstNull(
  client: ClientBase,
  stage: string,
  target: readonly PgColumn[],
  q: (name: string) => string,
  table: string,
): Promise<{ record: number; name: string } | null> {
  const notNull = new Set(
    (
      await runQuery<{ name: string }>(
        client,
        `SELECT attname AS name FROM pg_attribute
         WHERE attrelid = to_regclass($1) AND attnum > 0 AND attnotnull AND NOT attisdropped`,
        [q(table)],
      )
    ).map((r) => r.name),
  );
  let best: { record: number; name: string } | null = null;
  for (const c of target.filter((t) => notNull.has(t.name))) {
    const [row] = await runQuery<{ r: number | null }>(
      client,
      `SELECT min(${q(RECORD)}) AS r FROM ${stage} WHERE ${q(c.name)} IS NULL`,
    );
    if (row?.r != null && (best === null || row.r < best.record)) {
      best = { record: Number(row.r), name: c.name };
    }
  }
  return best;
}

/** Appended text is sent to the server in chunks of about this many characters. */
const APPEND_CHUNK = 256 * 1024;

/**
 * Appends rows with `COPY … FROM STDIN` in text format, encoded chunk by chunk as the rows come
 * (honouring the connection's back-pressure). Each value is checked against its column's type so
 * a bad one is reported with its row number and column, never its value; the COPY is then
 * cancelled (CopyFail) and nothing is appended. One COPY is one statement, hence atomic even
 * outside a transaction. Returns the rows appended.
 */
export async function runAppend(
  client: ClientBase,
  dialect: SqlDialect,
  table: string,
  columns: readonly string[],
  rows: Rows,
): Promise<number> {
  const tableCols = await tableColumns(client, table);
  const udts = columnPositions(table, tableCols, columns).map(
    (i) => (tableCols[i] as PgColumn).udt,
  );
  const list = columns.map(dialect.quoteIdent).join(', ');
  const stream = client.query(copyFrom(`COPY ${dialect.quoteIdent(table)} (${list}) FROM STDIN`));
  // Once the server has refused the COPY (a constraint, a read-only session), the stream has let
  // go of the connection: nothing more may be written to it, nor may it be cancelled.
  let refused = false;
  stream.once('error', () => {
    refused = true;
  });
  const done = finished(stream);
  done.catch(() => undefined); // observed below; not an unhandled rejection meanwhile
  const send = async (text: string): Promise<void> => {
    if (refused) await done;
    if (!stream.write(text)) await Promise.race([once(stream, 'drain'), done]);
  };
  let count = 0;
  try {
    let chunk = '';
    for await (const row of rows) {
      count++;
      if (row.length !== columns.length) {
        throw new HygieError(
          'HYG_INVALID_ARGUMENT',
          `row ${count} has ${row.length} values, expected ${columns.length}`,
          { table, row: count },
        );
      }
      const fields: string[] = [];
      for (let j = 0; j < udts.length; j++) {
        try {
          fields.push(copyTextField(row[j], udts[j] as string));
        } catch (e) {
          const expected = e instanceof TypeError ? e.message : 'a valid value';
          throw new HygieError(
            'HYG_SCHEMA_VIOLATION',
            `row ${count}, column "${columns[j]}": expected ${expected}`,
            { table, row: count, column: columns[j] ?? null },
          );
        }
      }
      chunk += `${fields.join('\t')}\n`;
      if (chunk.length >= APPEND_CHUNK) {
        await send(chunk);
        chunk = '';
      }
    }
    if (chunk.length > 0) await send(chunk);
    if (refused) await done;
    stream.end();
    await done;
    return count;
  } catch (e) {
    // CopyFail: the server discards the COPY; the connection is usable again once it answers.
    if (!refused && !stream.writableFinished) {
      stream.destroy(new Error('append cancelled'));
      await done.catch(() => undefined);
    }
    throw postgresStatementError(e);
  }
}
