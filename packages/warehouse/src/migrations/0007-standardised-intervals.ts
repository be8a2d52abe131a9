/**
 * Migration 7: the 95 % interval of the age-standardised rate on `hygie_surveillance_value`
 * (population-health monitoring, issue #7: runs store standardised rates with their interval).
 */
import { schemaStatements } from '../schema-ddl.js';
import type { Migration } from './migration.js';

/** Adds the columns whose description has `addedIn` 7. */
export const migration0007: Migration = {
  version: 7,
  name: 'standardised-intervals',
  statements: (dialect) => schemaStatements(dialect, 7),
};
