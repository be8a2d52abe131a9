/**
 * Applies the schema migrations: each pending one in its own transaction, recorded with a checksum
 * of its statements in `hygie_schema_migrations`. Running it again does nothing; an applied
 * migration whose statements changed since (an edited migration, a tampered ledger) stops
 * everything with HYG_MIGRATION_FAILED, because the schema could no longer be trusted to be what
 * the code believes.
 */
import { createHash } from 'node:crypto';
import { HygieError, hygieSchemaMigrationsTable, isHygieError } from '@hygie/core';
import type { WarehouseEngine, WarehouseSession } from './engine.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/index.js';
import { MIGRATIONS_TABLE } from './schema-ddl.js';
import type { SqlDialect } from './sql-dialect.js';

/** A migration as reported. */
export interface MigrationInfo {
  readonly version: number;
  readonly name: string;
}

/** What `migrate` did. */
export interface MigrationReport {
  /** Migrations applied by this run, in order. */
  readonly applied: readonly MigrationInfo[];
  /** Migrations found already applied (checksums verified). */
  readonly alreadyApplied: readonly MigrationInfo[];
  /** Schema version after the run. */
  readonly version: number;
}

/** A migration recorded in the warehouse. */
export interface AppliedMigration extends MigrationInfo {
  readonly checksum: string;
  /** ISO 8601 UTC. */
  readonly appliedAt: string;
  /** False when the code does not know this version (the warehouse is newer than the code). */
  readonly known: boolean;
  /** False when the recorded checksum differs from the code's. */
  readonly checksumMatches: boolean;
}

/** The schema state of a warehouse, read without changing anything. */
export interface SchemaStatus {
  /** Highest applied version, 0 for an empty warehouse. */
  readonly version: number;
  /** Highest version the code knows. */
  readonly latestVersion: number;
  readonly applied: readonly AppliedMigration[];
  readonly pending: readonly MigrationInfo[];
  /** True when nothing is pending and every checksum matches. */
  readonly upToDate: boolean;
}

/** SHA-256 (hex) of a migration's identity and statements in a dialect. */
export function migrationChecksum(migration: Migration, dialect: SqlDialect): string {
  const text = [String(migration.version), migration.name, ...migration.statements(dialect)].join(
    '\n;\n',
  );
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function checkMigrationList(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new HygieError(
        'HYG_MIGRATION_FAILED',
        'migration versions must be increasing positive integers',
        {
          version: m.version,
        },
      );
    }
    previous = m.version;
  }
}

async function ledgerExists(session: WarehouseSession): Promise<boolean> {
  const rows = await session.query<{ n: number }>(
    `SELECT count(*) AS n FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_name = $1`,
    [MIGRATIONS_TABLE],
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

async function readLedger(
  session: WarehouseSession,
  migrations: readonly Migration[],
): Promise<AppliedMigration[]> {
  if (!(await ledgerExists(session))) return [];
  const q = session.dialect.quoteIdent;
  const rows = await session.query<{
    version: number;
    name: string;
    checksum: string;
    applied_at: string;
  }>(
    `SELECT ${q('version')}, ${q('name')}, ${q('checksum')}, ${q('applied_at')}
     FROM ${q(MIGRATIONS_TABLE)} ORDER BY ${q('version')}`,
  );
  return rows.map((r) => {
    const m = migrations.find((x) => x.version === r.version);
    return {
      version: r.version,
      name: r.name,
      checksum: r.checksum,
      appliedAt: r.applied_at,
      known: m !== undefined,
      checksumMatches: m !== undefined && migrationChecksum(m, session.dialect) === r.checksum,
    };
  });
}

/** Reads the schema state without changing anything. */
export async function schemaStatus(
  engine: WarehouseSession,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<SchemaStatus> {
  checkMigrationList(migrations);
  const applied = await readLedger(engine, migrations);
  const done = new Set(applied.map((a) => a.version));
  const pending = migrations.filter((m) => !done.has(m.version)).map(info);
  return {
    version: applied.reduce((v, a) => Math.max(v, a.version), 0),
    latestVersion: migrations.at(-1)?.version ?? 0,
    applied,
    pending,
    upToDate: pending.length === 0 && applied.every((a) => a.known && a.checksumMatches),
  };
}

function info(m: MigrationInfo): MigrationInfo {
  return { version: m.version, name: m.name };
}

/** Refuses a ledger the code cannot build on. */
function verify(status: SchemaStatus): void {
  const unknown = status.applied.filter((a) => !a.known);
  if (unknown.length > 0) {
    throw new HygieError(
      'HYG_MIGRATION_FAILED',
      `the warehouse has migrations this version of Hygie does not know (${unknown.map((a) => a.version).join(', ')}): upgrade Hygie`,
      { versions: unknown.map((a) => String(a.version)) },
    );
  }
  const changed = status.applied.filter((a) => !a.checksumMatches);
  if (changed.length > 0) {
    throw new HygieError(
      'HYG_MIGRATION_FAILED',
      `checksum mismatch for applied migration(s) ${changed.map((a) => a.version).join(', ')}: ` +
        'the migration or the ledger was modified after it ran; restore the original before migrating',
      { versions: changed.map((a) => String(a.version)) },
    );
  }
  const first = status.pending[0];
  if (first !== undefined && first.version < status.version) {
    throw new HygieError(
      'HYG_MIGRATION_FAILED',
      `migration ${first.version} is missing from a warehouse already at version ${status.version}`,
      { versions: [String(first.version)] },
    );
  }
}

/** The engine's own schema work after migrations (Citus distribution), as a migration failure. */
async function afterMigrate(engine: WarehouseEngine): Promise<void> {
  if (engine.afterMigrate === undefined) return;
  try {
    await engine.afterMigrate();
  } catch (e) {
    const reason = isHygieError(e) ? e.message : String(e);
    throw new HygieError(
      'HYG_MIGRATION_FAILED',
      `the ${engine.dialect.name} engine's post-migration step failed: ${reason}`,
      {},
      { cause: e },
    );
  }
}

/**
 * Applies the pending migrations in order, each in a transaction of its own, and returns what was
 * done, then lets the engine do its own schema work (`WarehouseEngine.afterMigrate`: Citus
 * distribution). Idempotent. Throws HYG_MIGRATION_FAILED on a checksum mismatch, an unknown applied
 * version, a read-only warehouse with pending migrations, or a failing statement (that migration
 * is rolled back; earlier ones stay applied).
 */
export async function migrate(
  engine: WarehouseEngine,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  let status = await schemaStatus(engine, migrations);
  verify(status);
  const alreadyApplied = status.applied.map(info);
  if (status.pending.length === 0) {
    if (!engine.readOnly) await afterMigrate(engine);
    return { applied: [], alreadyApplied, version: status.version };
  }
  if (engine.readOnly) {
    throw new HygieError(
      'HYG_MIGRATION_FAILED',
      'the warehouse is open read-only and its schema is not up to date',
      {
        version: status.version,
      },
    );
  }

  const q = engine.dialect.quoteIdent;
  const p = engine.dialect.placeholder;
  // The ledger itself is created outside the numbered migrations, so they can all be recorded.
  await engine.execute(
    engine.dialect.createTable(hygieSchemaMigrationsTable, { ifNotExists: true }),
  );
  const applied: MigrationInfo[] = [];
  for (const m of migrations.filter((x) => status.pending.some((pm) => pm.version === x.version))) {
    try {
      await engine.transaction(async (tx) => {
        for (const statement of m.statements(tx.dialect)) await tx.execute(statement);
        await tx.execute(
          `INSERT INTO ${q(MIGRATIONS_TABLE)} (${q('version')}, ${q('name')}, ${q('checksum')}, ${q('applied_at')})
           VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})`,
          [m.version, m.name, migrationChecksum(m, tx.dialect), new Date()],
        );
      });
    } catch (e) {
      const reason = isHygieError(e) ? e.message : String(e);
      throw new HygieError(
        'HYG_MIGRATION_FAILED',
        `migration ${m.version} (${m.name}) failed: ${reason}`,
        {
          version: m.version,
        },
        { cause: e },
      );
    }
    applied.push(info(m));
  }
  await afterMigrate(engine);
  status = await schemaStatus(engine, migrations);
  return { applied, alreadyApplied, version: status.version };
}
