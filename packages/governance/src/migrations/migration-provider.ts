/**
 * The governance migrations, in code (no directory scan at run time, so a bundled or compiled
 * server carries them). Names sort in the order they apply: `NNNN-what`.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { DialectKind } from '../database.js';
import { governanceSchemaV1 } from './0001-governance-schema.js';
import { projectResultsV1 } from './0002-project-results.js';
import { analyticsV1 } from './0003-analytics.js';
import { loginFailuresV1 } from './0004-login-failures.js';

/** Every migration of the governance store, by name, for an engine. */
export function governanceMigrations(kind: DialectKind): Record<string, Migration> {
  return {
    '0001-governance-schema': governanceSchemaV1(kind),
    '0002-project-results': projectResultsV1(),
    '0003-analytics': analyticsV1(kind),
    '0004-login-failures': loginFailuresV1(),
  };
}

/** A Kysely migration provider over the in-code migrations. */
export function governanceMigrationProvider(kind: DialectKind): MigrationProvider {
  return { getMigrations: async () => governanceMigrations(kind) };
}
