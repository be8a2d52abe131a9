/** Migration 1: the OMOP CDM v5.4 subset and Hygie's batch table, as first described. */
import { schemaStatements } from '../schema-ddl.js';
import type { Migration } from './migration.js';

/** Creates every table whose description has `addedIn` 1 (the default). */
export const migration0001: Migration = {
  version: 1,
  name: 'omop-cdm-v5.4-subset',
  statements: (dialect) => schemaStatements(dialect, 1),
};
