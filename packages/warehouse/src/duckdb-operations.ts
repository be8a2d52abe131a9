/**
 * The session operations (query, execute, CSV load, append) implemented on one DuckDB connection.
 * The engine decides which connection and which transaction they run in; these functions only
 * speak DuckDB.
 */
import { DuckDBDataChunkWriter } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { HygieError } from '@hygie/core';
import { duckDbCsvError, duckDbStatementError } from './duckdb-errors.js';
import { duckDbToJs, jsToDuckDbForAppend, toDuckDbParam } from './duckdb-values.js';
import type { CsvLoadOptions, SqlParam } from './engine.js';
import { checkCsvLoad, columnPositions, noSuchTable } from './load-checks.js';
import type { SqlDialect } from './sql-dialect.js';

function bind(params: readonly SqlParam[]): { values: DuckDBValue[]; types: DuckDBType[] } {
  const values: DuckDBValue[] = [];
  const types: (DuckDBType | undefined)[] = [];
  params.forEach((p, i) => {
    const [value, type] = toDuckDbParam(p, i);
    values.push(value);
    types.push(type);
  });
  // node-api infers the type of an `undefined` entry from the value, which is what we want.
  return { values, types: types as DuckDBType[] };
}

/** Runs a statement and returns its rows as plain JS objects. */
export async function runQuery<T>(
  conn: DuckDBConnection,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<T[]> {
  const { values, types } = bind(params);
  try {
    const reader =
      values.length === 0
        ? await conn.runAndReadAll(sql)
        : await conn.runAndReadAll(sql, values, types);
    return reader.convertRowObjects(duckDbToJs) as T[];
  } catch (e) {
    throw duckDbStatementError(e);
  }
}

/** Runs a statement and returns the number of rows it changed. */
export async function runExecute(
  conn: DuckDBConnection,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<number> {
  const { values, types } = bind(params);
  try {
    const result = values.length === 0 ? await conn.run(sql) : await conn.run(sql, values, types);
    return result.rowsChanged;
  } catch (e) {
    throw duckDbStatementError(e);
  }
}

/** Columns of a table in declaration order, with their DuckDB type names. */
export async function tableColumns(
  conn: DuckDBConnection,
  table: string,
): Promise<{ name: string; type: string }[]> {
  const rows = await runQuery<{ column_name: string; data_type: string }>(
    conn,
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  if (rows.length === 0) throw noSuchTable(table);
  return rows.map((r) => ({ name: r.column_name, type: r.data_type }));
}

/**
 * Bulk-loads a delimited file with `read_csv`, typed by the target table's own column types, in one
 * `INSERT … SELECT` (atomic on its own). Returns the rows loaded.
 */
export async function runLoadCsv(
  conn: DuckDBConnection,
  dialect: SqlDialect,
  table: string,
  file: string,
  options: CsvLoadOptions,
): Promise<number> {
  // read_csv expands glob patterns: checkCsvLoad refuses them, a load names exactly one file.
  const { path, name } = checkCsvLoad(file, options);
  const tableCols = await tableColumns(conn, table);
  columnPositions(table, tableCols, options.columns);

  const lit = dialect.quoteLiteral;
  const typeOf = new Map(tableCols.map((c) => [c.name, c.type]));
  const struct = options.columns
    .map((c) => `${lit(c)}: ${lit(typeOf.get(c) ?? 'VARCHAR')}`)
    .join(', ');
  const cols = options.columns.map(dialect.quoteIdent).join(', ');
  const quote = options.quote === undefined ? '"' : (options.quote ?? '');
  const dateFormat = options.dateFormat === 'YYYYMMDD' ? '%Y%m%d' : '%Y-%m-%d';
  // auto_detect=false: the layout is declared, never guessed from a sample of the data.
  const sql =
    `INSERT INTO ${dialect.quoteIdent(table)} (${cols}) SELECT ${cols} FROM read_csv($1, ` +
    `delim=${lit(options.delimiter)}, header=${options.header ? 'true' : 'false'}, ` +
    `quote=${lit(quote)}, escape=${lit(quote)}, columns={${struct}}, ` +
    `dateformat=${lit(dateFormat)}, auto_detect=false)`;
  try {
    return (await conn.run(sql, [path])).rowsChanged;
  } catch (e) {
    throw duckDbCsvError(e, table, name);
  }
}

/**
 * Appends rows through the DuckDB appender, a data chunk (2048 rows) at a time. Each value is
 * converted up front so a bad one is reported with its row number and column (never its value).
 * The caller provides the transaction that makes this all or nothing.
 */
export async function runAppend(
  conn: DuckDBConnection,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>,
): Promise<number> {
  const tableCols = await tableColumns(conn, table);
  const positions = columnPositions(table, tableCols, columns);
  const appender = await conn.createAppender(table).catch((e: unknown) => {
    throw duckDbStatementError(e);
  });
  try {
    const types = tableCols.map((_, i) => appender.columnType(i));
    const writer = DuckDBDataChunkWriter.forAppender(appender);
    // Columns not listed stay null; the same array is reused (the writer copies each row).
    const full: DuckDBValue[] = tableCols.map(() => null);
    let count = 0;
    for await (const row of rows) {
      count++;
      if (row.length !== columns.length) {
        throw new HygieError(
          'HYG_INVALID_ARGUMENT',
          `row ${count} has ${row.length} values, expected ${columns.length}`,
          {
            table,
            row: count,
          },
        );
      }
      for (let j = 0; j < positions.length; j++) {
        const pos = positions[j] as number;
        try {
          full[pos] = jsToDuckDbForAppend(row[j], types[pos] as DuckDBType, jsToDuckDbForAppend);
        } catch (e) {
          const expected = e instanceof TypeError ? e.message : 'a valid value';
          throw new HygieError(
            'HYG_SCHEMA_VIOLATION',
            `row ${count}, column "${columns[j]}": expected ${expected}`,
            {
              table,
              row: count,
              column: columns[j] ?? null,
            },
          );
        }
      }
      writer.appendRow(full);
    }
    writer.flush();
    appender.flushSync();
    appender.closeSync();
    return count;
  } catch (e) {
    // Drop what is buffered so that closing does not write part of a failed append.
    try {
      appender.clear();
      appender.closeSync();
    } catch {
      // The appender is already in error; the transaction rollback discards what it wrote.
    }
    throw duckDbStatementError(e);
  }
}
