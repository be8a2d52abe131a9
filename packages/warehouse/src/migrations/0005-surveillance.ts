/**
 * Migration 5: `hygie_surveillance_run`, `hygie_surveillance_value` and
 * `hygie_surveillance_alert`, where the population-health monitoring (issue #7) keeps its runs,
 * the latest indicator series and the detection results — aggregates only.
 */
import { schemaStatements } from '../schema-ddl.js';
import type { Migration } from './migration.js';

/** Creates the tables and columns whose description has `addedIn` 5. */
export const migration0005: Migration = {
  version: 5,
  name: 'surveillance',
  statements: (dialect) => schemaStatements(dialect, 5),
};
