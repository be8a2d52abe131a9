/**
 * The warehouse engine interface: what every SQL engine behind Hygie offers (DuckDB embedded,
 * `duckdb-engine.ts`; PostgreSQL/Citus for scale-out, `postgres-engine.ts`). Like Kysely's dialect/driver split, the engine runs SQL and bulk
 * loads, and its `SqlDialect` says how to write SQL for it; the layers above (migrations,
 * vocabulary loading, the query compiler) only ever talk to these two interfaces.
 */
import type { SqlDialect } from './sql-dialect.js';

/**
 * A value bound to a statement parameter. User-supplied values always travel as parameters, never
 * spliced into SQL text. A `Date` binds as a UTC timestamp; dates and timestamps may also be
 * given as ISO text and are cast by the engine.
 */
export type SqlParam = null | undefined | boolean | number | bigint | string | Date | Uint8Array;

/**
 * A result row, with values converted to plain JavaScript: integers as `number` (a 64-bit integer
 * outside ±2^53 stays a `bigint` rather than silently losing digits), decimals and doubles as
 * `number`, dates as `YYYY-MM-DD` text, timestamps as ISO 8601 UTC text, null as `null`.
 */
export type SqlRow = Record<string, unknown>;

/** How a delimited file is laid out, for `loadCsv`. */
export interface CsvLoadOptions {
  /** Field separator, one character (`\t` for OMOP/Athena files, `;` or `|` for SNDS extracts). */
  readonly delimiter: string;
  /** True when the first line is a header (it is skipped; `columns` gives the layout). */
  readonly header: boolean;
  /** The file's columns, in file order; each must be a column of the target table. */
  readonly columns: readonly string[];
  /**
   * Quote character, or null when fields are never quoted (Athena files: a `"` inside a concept
   * name is data). Default `"`.
   */
  readonly quote?: string | null;
  /** How dates are written in the file. Default `YYYY-MM-DD`; Athena files use `YYYYMMDD`. */
  readonly dateFormat?: 'YYYY-MM-DD' | 'YYYYMMDD';
}

/** The operations available both on an engine and inside one of its transactions. */
export interface WarehouseSession {
  /** How to write SQL for this engine. */
  readonly dialect: SqlDialect;

  /**
   * Runs one statement and returns its rows. Placeholders are written `dialect.placeholder(i)`
   * (`$1`, `$2`, … on both DuckDB and PostgreSQL) and bound from `params`.
   */
  query<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;

  /** Runs one statement for its effect and returns the number of rows it changed. */
  execute(sql: string, params?: readonly SqlParam[]): Promise<number>;

  /**
   * Bulk-loads a delimited file into `table` inside the engine (DuckDB `read_csv`, PostgreSQL
   * `COPY`): values are typed and checked by the engine, never parsed row by row in JavaScript.
   * All or nothing. Errors name the line and column, never the offending value (the file may
   * hold identifiers). Returns the number of rows loaded.
   */
  loadCsv(table: string, file: string, options: CsvLoadOptions): Promise<number>;

  /**
   * Bulk-appends rows (DuckDB appender, PostgreSQL `COPY FROM STDIN`), not row-by-row `INSERT`.
   * `columns` names the values of each row, in order; other columns get null. All or nothing.
   * Returns the number of rows appended.
   */
  appendRows(
    table: string,
    columns: readonly string[],
    rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>,
  ): Promise<number>;
}

/** A session inside a transaction: everything it does commits or rolls back together. */
export type WarehouseTransaction = WarehouseSession;

/** A warehouse engine: a session plus transactions and lifecycle. */
export interface WarehouseEngine extends WarehouseSession {
  /** True when opened read-only: writes fail. */
  readonly readOnly: boolean;
  /** Where the data lives, for status output (`:memory:` or a file or server address). */
  readonly location: string;

  /**
   * Runs `fn` in a transaction on a session of its own: commits when `fn` resolves, rolls back
   * when it throws (and rethrows). DDL is transactional too. Transactions do not nest; the
   * session must not be used after `fn` settles.
   */
  transaction<T>(fn: (tx: WarehouseTransaction) => Promise<T>): Promise<T>;

  /**
   * Engine-specific schema work after the migrations (Citus: distributing the tables they
   * created). `migrate` calls it after every run on a writable engine; it must be idempotent.
   */
  afterMigrate?(): Promise<void>;

  /** Releases the engine (and, for DuckDB, the database file lock). Idempotent. */
  close(): Promise<void>;
}
