/**
 * Versioned migrations of the governance store, run by Kysely's Migrator: each pending migration
 * in its own transaction, recorded in `gov_migrations`, with a lock table so that two processes
 * starting together do not both migrate. Kysely refuses to go on when an applied migration is
 * unknown to this build or the order was broken; that is reported as `HYG_MIGRATION_FAILED`.
 */
import { Migrator } from 'kysely';
import type { Kysely } from 'kysely';
import { HygieError } from '@hygie/core';
import type { DialectKind, GovernanceDatabase } from './database.js';
import {
  governanceMigrationProvider,
  governanceMigrations,
} from './migrations/migration-provider.js';

/** Table recording applied migrations. */
export const MIGRATION_TABLE = 'gov_migrations';

/** Lock table of the migrator. */
export const MIGRATION_LOCK_TABLE = 'gov_migration_lock';

/** The outcome of `migrate`. */
export interface MigrationReport {
  /** Migrations applied by this call, in order (empty when the schema was current). */
  applied: string[];
  /** The latest migration now applied. */
  current: string | null;
}

function migrator(db: Kysely<GovernanceDatabase>, kind: DialectKind): Migrator {
  return new Migrator({
    db,
    provider: governanceMigrationProvider(kind),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
}

/** Applies every pending migration. Idempotent: a current schema applies nothing. */
export async function migrateGovernance(
  db: Kysely<GovernanceDatabase>,
  kind: DialectKind,
): Promise<MigrationReport> {
  const { error, results } = await migrator(db, kind).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? null;
    throw new HygieError(
      'HYG_MIGRATION_FAILED',
      failed
        ? `governance migration ${failed} failed and was rolled back`
        : 'the governance store cannot be migrated (an applied migration is unknown to this version, or out of order)',
      { migration: failed },
      { cause: error },
    );
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  return { applied, current: (await currentMigration(db, kind)) ?? null };
}

/** The latest applied migration, or undefined before the first. */
export async function currentMigration(
  db: Kysely<GovernanceDatabase>,
  kind: DialectKind,
): Promise<string | undefined> {
  const all = await migrator(db, kind).getMigrations();
  return all.filter((m) => m.executedAt !== undefined).at(-1)?.name;
}

/** Names of every migration this version knows, in order. */
export function knownMigrations(kind: DialectKind): string[] {
  return Object.keys(governanceMigrations(kind)).sort();
}
