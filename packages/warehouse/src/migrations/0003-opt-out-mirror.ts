/**
 * Migration 3: `hygie_opt_out`, the warehouse mirror of the citizens' active opt-outs, which every
 * research query joins against to exclude those persons (DESIGN.md §4.4).
 */
import { schemaStatements } from '../schema-ddl.js';
import type { Migration } from './migration.js';

/** Creates the tables and columns whose description has `addedIn` 3. */
export const migration0003: Migration = {
  version: 3,
  name: 'opt-out-mirror',
  statements: (dialect) => schemaStatements(dialect, 3),
};
