/**
 * Migration 6: expected counts and excess (with its 95 % band) on `hygie_surveillance_value`,
 * for the all-cause excess mortality series of population-health monitoring (issue #7).
 */
import { schemaStatements } from '../schema-ddl.js';
import type { Migration } from './migration.js';

/** Adds the columns whose description has `addedIn` 6. */
export const migration0006: Migration = {
  version: 6,
  name: 'excess-mortality',
  statements: (dialect) => schemaStatements(dialect, 6),
};
