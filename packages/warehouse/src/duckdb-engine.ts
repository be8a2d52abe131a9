/**
 * The embedded DuckDB warehouse: one database file per data directory (or memory, for tests),
 * behind the `WarehouseEngine` interface.
 *
 * Concurrency model: DuckDB lets one process open a file read-write (or several read-only), and
 * inside that process many connections share one database with MVCC. The engine keeps a small
 * pool of connections: each top-level operation borrows one, and each transaction holds one for
 * its whole life, so concurrent callers never interleave statements on a connection.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { HygieError } from '@hygie/core';
import { duckDbDialect } from './duckdb-dialect.js';
import { duckDbStatementError, isDuckDbLockError, warehouseLockedError } from './duckdb-errors.js';
import { runAppend, runExecute, runLoadCsv, runQuery } from './duckdb-operations.js';
import type {
  CsvLoadOptions,
  SqlParam,
  SqlRow,
  WarehouseEngine,
  WarehouseTransaction,
} from './engine.js';
import type { SqlDialect } from './sql-dialect.js';

/** Name of the database file inside the data directory. */
export const WAREHOUSE_FILE = 'warehouse.duckdb';

/** How to open the DuckDB warehouse. */
export interface DuckDbWarehouseOptions {
  /** Data directory holding `warehouse.duckdb`; created with mode 0700. Default `./hygie-data`. */
  readonly dataDir?: string;
  /** Keep everything in memory (tests, throwaway work); `dataDir` is then ignored. */
  readonly inMemory?: boolean;
  /** Open read-only: several processes may then read the same file, none may write. */
  readonly readOnly?: boolean;
  /** DuckDB memory limit, e.g. `4GB` (default: 80% of RAM). */
  readonly memoryLimit?: string;
  /** Worker threads (default: one per core). */
  readonly threads?: number;
}

type Rows = Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>;

/**
 * Files this process has open. DuckDB's lock only stops *other* processes: a second instance on
 * the same file inside this process would be accepted, and two writers would corrupt it.
 */
const openFiles = new Set<string>();

const MAX_IDLE_CONNECTIONS = 4;

/** Operations of a transaction, run one at a time on the transaction's connection. */
class DuckDbTransaction implements WarehouseTransaction {
  readonly dialect: SqlDialect = duckDbDialect;
  private tail: Promise<unknown> = Promise.resolve();
  private active = true;

  constructor(private readonly conn: DuckDBConnection) {}

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
    return this.serial(() => runQuery<T>(this.conn, sql, params));
  }

  execute(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.serial(() => runExecute(this.conn, sql, params));
  }

  loadCsv(table: string, file: string, options: CsvLoadOptions): Promise<number> {
    return this.serial(() => runLoadCsv(this.conn, this.dialect, table, file, options));
  }

  appendRows(table: string, columns: readonly string[], rows: Rows): Promise<number> {
    return this.serial(() => runAppend(this.conn, table, columns, rows));
  }
}

/** The DuckDB engine. Create it with `openDuckDbWarehouse`. */
class DuckDbWarehouse implements WarehouseEngine {
  readonly dialect: SqlDialect = duckDbDialect;
  private readonly idle: DuckDBConnection[] = [];
  private readonly busy = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    readonly location: string,
    readonly readOnly: boolean,
    private readonly onClose: () => void,
  ) {}

  private withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) {
      return Promise.reject(new HygieError('HYG_WAREHOUSE_ERROR', 'the warehouse is closed'));
    }
    const op = this.borrow(fn);
    // close() waits for operations in flight before releasing the database.
    const settled = op.catch(() => undefined);
    this.busy.add(settled);
    void settled.then(() => this.busy.delete(settled));
    return op;
  }

  private async borrow<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = this.idle.pop() ?? (await this.instance.connect());
    let reusable = true;
    try {
      return await fn(conn);
    } catch (e) {
      // A connection whose transaction could not be rolled back is not reused.
      if (e instanceof PoisonedConnection) {
        reusable = false;
        throw e.error;
      }
      throw e;
    } finally {
      if (reusable && !this.closed && this.idle.length < MAX_IDLE_CONNECTIONS) this.idle.push(conn);
      else conn.closeSync();
    }
  }

  /** Runs `fn` between BEGIN and COMMIT on `conn`, rolling back when it throws. */
  private async inTransaction<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
    await runExecute(conn, 'BEGIN TRANSACTION');
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      try {
        await conn.run('ROLLBACK');
      } catch {
        throw new PoisonedConnection(e);
      }
      throw e;
    }
    // A failed COMMIT (write conflict, constraint) leaves nothing behind: DuckDB aborts it.
    await runExecute(conn, 'COMMIT');
    return result;
  }

  query<T extends object = SqlRow>(sql: string, params?: readonly SqlParam[]): Promise<T[]> {
    return this.withConnection((c) => runQuery<T>(c, sql, params));
  }

  execute(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.withConnection((c) => runExecute(c, sql, params));
  }

  loadCsv(table: string, file: string, options: CsvLoadOptions): Promise<number> {
    return this.withConnection((c) => runLoadCsv(c, this.dialect, table, file, options));
  }

  appendRows(table: string, columns: readonly string[], rows: Rows): Promise<number> {
    // The appender flushes chunk by chunk; the transaction makes a failed append leave nothing.
    return this.withConnection((c) =>
      this.inTransaction(c, () => runAppend(c, table, columns, rows)),
    );
  }

  transaction<T>(fn: (tx: WarehouseTransaction) => Promise<T>): Promise<T> {
    return this.withConnection((c) =>
      this.inTransaction(c, async () => {
        const tx = new DuckDbTransaction(c);
        try {
          return await fn(tx);
        } finally {
          // Statements the callback started without awaiting finish before COMMIT/ROLLBACK.
          await tx.end();
        }
      }),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.busy]);
    for (const conn of this.idle.splice(0)) conn.closeSync();
    this.instance.closeSync();
    this.onClose();
  }
}

/** Carries an error out of a transaction whose connection must be discarded. */
class PoisonedConnection extends Error {
  constructor(readonly error: unknown) {
    super('connection left in an unknown transaction state');
  }
}

function checkOptions(options: DuckDbWarehouseOptions): void {
  const { threads, memoryLimit } = options;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 1024)) {
    throw new HygieError(
      'HYG_INVALID_CONFIG',
      'warehouse threads must be an integer from 1 to 1024',
    );
  }
  if (memoryLimit !== undefined && !/^\d+(\.\d+)?\s*(B|[KMGT]i?B)$/i.test(memoryLimit)) {
    throw new HygieError(
      'HYG_INVALID_CONFIG',
      'warehouse memory limit must look like 512MB or 4GB',
    );
  }
}

/**
 * Opens the DuckDB warehouse: `<dataDir>/warehouse.duckdb`, or memory when `inMemory`.
 *
 * Throws HYG_WAREHOUSE_LOCKED when another process holds the file (normally the server, which owns
 * it: writes go through its API), or when this process already has it open; HYG_NOT_FOUND when
 * opening read-only a warehouse that does not exist yet.
 */
export async function openDuckDbWarehouse(
  options: DuckDbWarehouseOptions = {},
): Promise<WarehouseEngine> {
  checkOptions(options);
  const readOnly = options.readOnly === true;
  const config: Record<string, string> = {
    access_mode: readOnly ? 'READ_ONLY' : 'READ_WRITE',
    // Air-gapped by design (DESIGN.md §4.6): never download an extension; use the built-in ones.
    autoinstall_known_extensions: 'false',
    allow_community_extensions: 'false',
  };
  if (options.memoryLimit !== undefined) config['memory_limit'] = options.memoryLimit;
  if (options.threads !== undefined) config['threads'] = String(options.threads);

  let location = ':memory:';
  if (options.inMemory !== true) {
    const dataDir = resolve(options.dataDir ?? './hygie-data');
    location = join(dataDir, WAREHOUSE_FILE);
    if (openFiles.has(location)) {
      throw new HygieError(
        'HYG_WAREHOUSE_LOCKED',
        `The warehouse ${location} is already open in this process: share that engine instead.`,
        { file: location, pid: process.pid, readOnly },
      );
    }
    if (readOnly && !existsSync(location)) {
      throw new HygieError(
        'HYG_NOT_FOUND',
        `no warehouse at ${location}: open it read-write once to create it`,
        {
          file: location,
        },
      );
    }
    // The warehouse holds pseudonymised health data: only the operator's account may enter.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  }

  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(location, config);
  } catch (e) {
    if (isDuckDbLockError(e)) throw warehouseLockedError(location, readOnly, e);
    throw new HygieError(
      'HYG_WAREHOUSE_ERROR',
      `cannot open the warehouse ${location}: ${firstLine(e)}`,
      {
        file: location,
      },
    );
  }
  if (location !== ':memory:') {
    openFiles.add(location);
    if (!readOnly) restrictToOwner(location);
  }
  const engine = new DuckDbWarehouse(instance, location, readOnly, () =>
    openFiles.delete(location),
  );
  try {
    // TIMESTAMP columns hold UTC; casts from zoned text and now() must not depend on the host.
    await engine.execute("SET GLOBAL TimeZone = 'UTC'");
  } catch (e) {
    await engine.close();
    throw duckDbStatementError(e);
  }
  return engine;
}

/** Best effort: the directory is already 0700; a file owned by someone else keeps its mode. */
function restrictToOwner(file: string): void {
  try {
    chmodSync(file, 0o600);
  } catch {
    // Not the owner: nothing more this process may do about it.
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n', 1)[0] ?? '';
}

/** An in-memory DuckDB warehouse, for tests and throwaway work. */
export function openInMemoryWarehouse(
  options: Omit<DuckDbWarehouseOptions, 'dataDir' | 'inMemory' | 'readOnly'> = {},
): Promise<WarehouseEngine> {
  return openDuckDbWarehouse({ ...options, inMemory: true });
}
