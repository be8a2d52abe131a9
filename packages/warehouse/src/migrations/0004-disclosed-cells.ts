/**
 * Migration 4: `hygie_disclosed_cell` and `hygie_disclosed_member`, the memory of what each
 * permit's project has been shown, for the differencing defence of governed analytics (issue #5).
 */
import { schemaStatements } from '../schema-ddl.js';
import type { Migration } from './migration.js';

/** Creates the tables and columns whose description has `addedIn` 4. */
export const migration0004: Migration = {
  version: 4,
  name: 'disclosed-cells',
  statements: (dialect) => schemaStatements(dialect, 4),
};
