/**
 * Opening the governance store: one schema, one set of queries, two engines behind Kysely's
 * dialects (Kysely's dialect/driver idea, as the warehouse does for its engines).
 *
 * Why SQLite as the embedded default: the governance store is small (users, projects, permits,
 * the audit trail), written by one process (the server) and must be transactional and durable;
 * SQLite is embedded (no server to run), one file with WAL and full ACID transactions, foreign
 * keys and triggers, and runs offline everywhere. DuckDB, already embedded for the warehouse, is
 * columnar and tuned for scans, not for many small transactional writes, and allows one writing
 * process per file — which the warehouse already claims; the analytics warehouse stays a separate
 * DuckDB file. PostgreSQL is the production choice when the platform runs as several processes or
 * needs replication: same migrations, same queries, through `PostgresDialect`.
 */
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { HygieError } from '@hygie/core';
import { insertAuditRow } from './audit-writer.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { DialectKind, GovernanceDatabase } from './database.js';
import { currentMigration, migrateGovernance } from './migrate.js';
import type { MigrationReport } from './migrate.js';
import { createRepositories } from './repositories/index.js';
import type { GovernanceRepositories } from './repositories/index.js';
import { resolveSettings } from './settings.js';
import type { GovernanceSettings } from './settings.js';
import { prepareSqliteFile } from './sqlite-file.js';
import type { OuterTransaction, StoreContext } from './store-context.js';

/** Options every engine shares. */
export interface GovernanceStoreCommonOptions {
  /** The store's clock (tests move time); default the system clock. */
  clock?: Clock;
  /** Policy settings; defaults in `DEFAULT_GOVERNANCE_SETTINGS`. */
  settings?: Partial<GovernanceSettings>;
}

/** Where the store lives. */
export type GovernanceStoreOptions = GovernanceStoreCommonOptions &
  (
    | {
        kind: 'sqlite';
        /** The SQLite file, normally `<data-dir>/governance.sqlite`. */ file: string;
      }
    | { kind: 'sqlite-memory' }
    | {
        kind: 'postgres';
        connectionString: string;
        /** Pool size (default 10). */ poolSize?: number;
      }
  );

/** The governance store: its repositories, migrations and transactions. */
export interface GovernanceStore extends GovernanceRepositories {
  /** The engine. */
  readonly kind: DialectKind;
  /** The settings in force. */
  readonly settings: Readonly<GovernanceSettings>;
  /** Applies pending migrations (idempotent). */
  migrate(): Promise<MigrationReport>;
  /** The latest applied migration, or null before `migrate`. */
  schemaVersion(): Promise<string | null>;
  /**
   * Runs `fn` in one transaction: commit when it resolves, roll back when it throws. `fn` gets
   * repositories bound to the transaction — use those, not the store's, inside it. Each
   * repository call inside runs in a savepoint and is audited; refusals recorded inside are kept
   * even if the transaction rolls back.
   */
  transaction<T>(fn: (tx: GovernanceRepositories) => Promise<T>): Promise<T>;
  /** Throws unless the store answers (readiness probe). */
  ping(): Promise<void>;
  /** Closes the connections. */
  close(): Promise<void>;
}

async function sqliteDialect(file: string): Promise<SqliteDialect> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  // WAL: readers do not block the writer and a crash never leaves a half-written page.
  db.pragma('journal_mode = WAL');
  // SQLite leaves foreign keys off unless asked, per connection.
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Safe with WAL: a power loss may lose the last commits, never corrupt the file.
  db.pragma('synchronous = NORMAL');
  return new SqliteDialect({ database: db });
}

async function postgresDialect(
  connectionString: string,
  poolSize: number,
): Promise<PostgresDialect> {
  const { default: pg } = await import('pg');
  return new PostgresDialect({ pool: new pg.Pool({ connectionString, max: poolSize }) });
}

/** Opens a governance store. Call `migrate()` before first use. */
export async function openGovernanceStore(
  options: GovernanceStoreOptions,
): Promise<GovernanceStore> {
  const settings = resolveSettings(options.settings);
  const clock = options.clock ?? systemClock;
  let kind: DialectKind;
  let dialect: SqliteDialect | PostgresDialect;
  switch (options.kind) {
    case 'sqlite':
      prepareSqliteFile(options.file);
      kind = 'sqlite';
      dialect = await sqliteDialect(options.file);
      break;
    case 'sqlite-memory':
      kind = 'sqlite';
      dialect = await sqliteDialect(':memory:');
      break;
    case 'postgres':
      kind = 'postgres';
      dialect = await postgresDialect(options.connectionString, options.poolSize ?? 10);
      break;
    default:
      throw new HygieError('HYG_INVALID_CONFIG', 'unknown governance store kind', {
        argument: 'kind',
      });
  }
  const db = new Kysely<GovernanceDatabase>({ dialect });
  const ctx: StoreContext = { db, root: db, outer: null, kind, clock, settings };
  const repositories = createRepositories(ctx);

  return {
    ...repositories,
    kind,
    settings: Object.freeze({ ...settings }),
    migrate: () => migrateGovernance(db, kind),
    schemaVersion: async () => (await currentMigration(db, kind)) ?? null,

    async transaction(fn) {
      const trx = await db.startTransaction().execute();
      const outer: OuterTransaction = { trx, denialsToKeep: [], savepoints: 0 };
      try {
        const value = await fn(createRepositories({ ...ctx, db: trx, outer }));
        await trx.commit().execute();
        return value;
      } catch (e) {
        try {
          await trx.rollback().execute();
        } catch {
          // Already ended (a failed commit); nothing to undo.
        }
        for (const row of outer.denialsToKeep) {
          try {
            await insertAuditRow(db, row);
          } catch {
            // Keep the original error; the store is failing.
          }
        }
        throw e;
      }
    },

    async ping() {
      await sql`SELECT 1`.execute(db);
    },

    close: () => db.destroy(),
  };
}
