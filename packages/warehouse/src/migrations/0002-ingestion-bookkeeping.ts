/**
 * Migration 2: ingestion bookkeeping — batch manifests and content hashes, source files with their
 * row counts, quarantine, and person identity fingerprints.
 */
import { schemaStatements } from '../schema-ddl.js';
import type { Migration } from './migration.js';

/** Creates the tables and columns whose description has `addedIn` 2. */
export const migration0002: Migration = {
  version: 2,
  name: 'ingestion-bookkeeping',
  statements: (dialect) => schemaStatements(dialect, 2),
};
