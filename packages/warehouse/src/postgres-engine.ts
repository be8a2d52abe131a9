/**
 * The PostgreSQL warehouse (and Citus, for scale-out), behind the same `WarehouseEngine`
 * interface as DuckDB: the same CDM, the same migrations, the same compiled SQL (DESIGN.md §3).
 *
 * Concurrency model: a `pg` pool (default 4 connections). Each top-level operation borrows a
 * connection; each transaction holds one for its whole life and runs its statements one at a
 * time, so concurrent callers never interleave statements on a connection.
 *
 * Every connection is set up by its startup packet (no extra round trip, no window where it is
 * not): `TimeZone = UTC` (TIMESTAMP columns hold UTC, `now()` must not depend on the server),
 * `DateStyle = ISO` (dates come back as `YYYY-MM-DD`), and for a read-only engine
 * `default_transaction_read_only = on`. Results are converted by per-pool type parsers
 * (`postgres-values.ts`); `pg`'s global parsers are left alone.
 */
import pg from 'pg';
import type { PoolClient } from 'pg';
import { HygieError } from '@hygie/core';
import { distributeCitusTables } from './citus-distribution.js';
import type {
  CsvLoadOptions,
  SqlParam,
  SqlRow,
  WarehouseEngine,
  WarehouseTransaction,
} from './engine.js';
import { postgresDialect } from './postgres-dialect.js';
import { postgresStatementError, postgresUnavailableError } from './postgres-errors.js';
import { runAppend, runExecute, runLoadCsv, runQuery } from './postgres-operations.js';
import { postgresTypes } from './postgres-values.js';
import type { SqlDialect } from './sql-dialect.js';

/** How to open the PostgreSQL warehouse. */
export interface PostgresWarehouseOptions {
  /**
   * `postgres://user[:password]@host[:port]/database[?sslmode=…]`. The password never appears in
   * `location`, messages or logs.
   */
  readonly connectionString: string;
  /** Connections in the pool (1 to 100, default 4). */
  readonly poolSize?: number;
  /** Every transaction read-only (`default_transaction_read_only`): writes fail. */
  readonly readOnly?: boolean;
  /**
   * Citus: `true` requires the `citus` extension in the database and distributes the tables
   * after each migration (`citus-distribution.ts`); `false` never does; absent: when the
   * extension is installed. Untested here (no Citus on the build machines).
   */
  readonly citus?: boolean;
}

/** The PostgreSQL engine, with what it found out when it opened. */
export interface PostgresWarehouseEngine extends WarehouseEngine {
  /** True when the tables are distributed with Citus after migrations. */
  readonly citus: boolean;
  /** The server's `server_version_num` (150004 for 15.4). */
  readonly serverVersion: number;
}

type Rows = Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>;

/** Oldest PostgreSQL accepted (tested on 15). */
const MIN_SERVER_VERSION = 130000;

/** Operations of a transaction, run one at a time on the transaction's connection. */
class PostgresTransaction implements WarehouseTransaction {
  readonly dialect: SqlDialect = postgresDialect;
  private tail: Promise<unknown> = Promise.resolve();
  private active = true;

  constructor(private readonly client: PoolClient) {}

  /** Ends the session: later calls fail instead of running outside the transaction. */
  end(): Promise<unknown> {
    this.active = false;
    return this.tail.catch(() => undefined);
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    if (!this.active) {
      return Promise.reject(
        new HygieError(
          'HYG_WAREHOUSE_ERROR',
          'transaction already finished: use the engine instead',
        ),
      );
    }
    // Statements on one connection must not overlap, even if the caller does not await each one.
    const next = this.tail.then(op, op);
    this.tail = next.catch(() => undefined);
    return next;
  }

  query<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.serial(() => runQuery<T>(this.client, sql, params));
  }

  execute(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.serial(() => runExecute(this.client, sql, params));
  }

  loadCsv(table: string, file: string, options: CsvLoadOptions): Promise<number> {
    return this.serial(() => runLoadCsv(this.client, this.dialect, table, file, options));
  }

  appendRows(table: string, columns: readonly string[], rows: Rows): Promise<number> {
    return this.serial(() => runAppend(this.client, this.dialect, table, columns, rows));
  }
}

/** Carries an error out of a transaction whose connection must be discarded. */
class PoisonedConnection extends Error {
  constructor(readonly error: unknown) {
    super('connection left in an unknown transaction state');
  }
}

/** The PostgreSQL engine. Create it with `openPostgresWarehouse`. */
class PostgresWarehouse implements PostgresWarehouseEngine {
  readonly dialect: SqlDialect = postgresDialect;
  private readonly busy = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
    readonly readOnly: boolean,
    readonly citus: boolean,
    readonly serverVersion: number,
  ) {}

  private withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    if (this.closed) {
      return Promise.reject(new HygieError('HYG_WAREHOUSE_ERROR', 'the warehouse is closed'));
    }
    const op = this.borrow(fn);
    // close() waits for operations in flight before ending the pool.
    const settled = op.catch(() => undefined);
    this.busy.add(settled);
    void settled.then(() => this.busy.delete(settled));
    return op;
  }

  private async borrow<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw postgresUnavailableError(this.location, e);
    }
    let discard = false;
    try {
      return await fn(client);
    } catch (e) {
      // A connection whose transaction could not be rolled back is not reused.
      if (e instanceof PoisonedConnection) {
        discard = true;
        throw e.error;
      }
      throw e;
    } finally {
      client.release(discard);
    }
  }

  /** Runs `fn` between BEGIN and COMMIT on `client`, rolling back when it throws. */
  private async inTransaction<T>(client: PoolClient, fn: () => Promise<T>): Promise<T> {
    await runExecute(client, 'BEGIN');
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      try {
        await client.query('ROLLBACK');
      } catch {
        throw new PoisonedConnection(e);
      }
      throw e;
    }
    // A failed COMMIT (a deferred constraint, a serialization failure) rolls back by itself.
    await runExecute(client, 'COMMIT');
    return result;
  }

  query<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.withClient((c) => runQuery<T>(c, sql, params));
  }

  execute(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.withClient((c) => runExecute(c, sql, params));
  }

  loadCsv(table: string, file: string, options: CsvLoadOptions): Promise<number> {
    // A transaction of its own: the YYYYMMDD path stages the file and uses savepoints.
    return this.withClient((c) =>
      this.inTransaction(c, () => runLoadCsv(c, this.dialect, table, file, options)),
    );
  }

  appendRows(table: string, columns: readonly string[], rows: Rows): Promise<number> {
    // One COPY statement: atomic by itself.
    return this.withClient((c) => runAppend(c, this.dialect, table, columns, rows));
  }

  transaction<T>(fn: (tx: WarehouseTransaction) => Promise<T>): Promise<T> {
    return this.withClient((c) =>
      this.inTransaction(c, async () => {
        const tx = new PostgresTransaction(c);
        try {
          return await fn(tx);
        } finally {
          // Statements the callback started without awaiting finish before COMMIT/ROLLBACK.
          await tx.end();
        }
      }),
    );
  }

  async afterMigrate(): Promise<void> {
    if (this.citus && !this.readOnly) await distributeCitusTables(this);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.busy]);
    await this.pool.end();
  }
}

/** Settings every connection starts with (PostgreSQL `-c name=value` startup options). */
function sessionSettings(readOnly: boolean): string {
  const settings = ['TimeZone=UTC', 'DateStyle=ISO', 'IntervalStyle=postgres'];
  if (readOnly) settings.push('default_transaction_read_only=on');
  return settings.map((s) => `-c ${s}`).join(' ');
}

/**
 * The connection string without its `options` parameter (which `pg` would let override the
 * session settings), and that parameter's value, kept in front of the settings.
 */
function splitOptions(connectionString: string): { url: string; options: string | null } {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return { url: connectionString, options: null };
  }
  const options = url.searchParams.get('options');
  if (options === null) return { url: connectionString, options: null };
  url.searchParams.delete('options');
  return { url: url.toString(), options };
}

/** The server address for `location`: `postgres://user@host:port/db`, never the password. */
export function redactConnectionString(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const user = url.username === '' ? '' : `${url.username}@`;
    return `${url.protocol}//${user}${url.host}${url.pathname}`;
  } catch {
    return 'postgres (unparsable connection string)';
  }
}

function checkOptions(options: PostgresWarehouseOptions): void {
  if (typeof options.connectionString !== 'string' || options.connectionString.trim() === '') {
    throw new HygieError('HYG_INVALID_CONFIG', 'the PostgreSQL connection string is empty');
  }
  const { poolSize } = options;
  if (poolSize !== undefined && (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 100)) {
    throw new HygieError(
      'HYG_INVALID_CONFIG',
      'warehouse pool size must be an integer from 1 to 100',
    );
  }
}

/**
 * Opens the PostgreSQL warehouse and checks the server answers (version 13 or later), and
 * whether Citus is there. Throws HYG_UNAVAILABLE when the server cannot be reached or refuses the
 * connection, HYG_INVALID_CONFIG for bad options, a too old server, or `citus: true` without the
 * extension. The schema is not touched: run `migrate` next.
 */
export async function openPostgresWarehouse(
  options: PostgresWarehouseOptions,
): Promise<PostgresWarehouseEngine> {
  checkOptions(options);
  const readOnly = options.readOnly === true;
  const location = redactConnectionString(options.connectionString);
  const { url, options: fromUrl } = splitOptions(options.connectionString);
  const settings = sessionSettings(readOnly);
  const pool = new pg.Pool({
    connectionString: url,
    options: fromUrl === null ? settings : `${fromUrl} ${settings}`,
    max: options.poolSize ?? 4,
    types: postgresTypes,
    application_name: 'hygie-warehouse',
    idleTimeoutMillis: 30_000,
  });
  // An idle connection dropped by the server is removed from the pool; without a listener the
  // pool's 'error' event would end the process.
  pool.on('error', () => undefined);

  let serverVersion: number;
  let citusInstalled: boolean;
  try {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw postgresUnavailableError(location, e);
    }
    try {
      const [row] = await runQuery<{ version: number; citus: boolean }>(
        client,
        `SELECT current_setting('server_version_num')::int AS version,
                EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus`,
      );
      serverVersion = row?.version ?? 0;
      citusInstalled = row?.citus === true;
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end();
    throw postgresStatementError(e, location);
  }
  if (serverVersion < MIN_SERVER_VERSION || (options.citus === true && !citusInstalled)) {
    await pool.end();
    throw new HygieError(
      'HYG_INVALID_CONFIG',
      serverVersion < MIN_SERVER_VERSION
        ? `the PostgreSQL warehouse needs PostgreSQL 13 or later (server ${location} is ${serverVersion})`
        : `citus was asked for but the citus extension is not installed in ${location} ` +
            '(CREATE EXTENSION citus, on the coordinator)',
      { location },
    );
  }
  return new PostgresWarehouse(
    pool,
    location,
    readOnly,
    options.citus ?? citusInstalled,
    serverVersion,
  );
}
