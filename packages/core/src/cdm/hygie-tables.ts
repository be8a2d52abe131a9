/**
 * Hygie's own bookkeeping tables in the warehouse, kept minimal and prefixed `hygie_` so they are
 * never mistaken for OMOP tables. They hold no person data.
 */
import { defineTable, optional, primaryKey, required, singleColumnIndexes } from './cdm-define.js';

/** HYGIE_SCHEMA_MIGRATIONS: which schema migrations ran, with a checksum of their DDL. */
export const hygieSchemaMigrationsTable = defineTable({
  name: 'hygie_schema_migrations',
  kind: 'hygie',
  description: 'One row per applied schema migration.',
  columns: [
    primaryKey('version', 'integer', 'Migration number, applied in increasing order.'),
    required('name', 'text', 'Short name of the migration.'),
    required('checksum', 'text', 'SHA-256 of the migration DDL; a change means tampering.'),
    required('applied_at', 'timestamp', 'When the migration was applied (UTC).'),
  ],
  indexes: [],
});

/** HYGIE_BATCH: one row per ingestion batch, so a load can be traced and undone. */
export const hygieBatchTable = defineTable({
  name: 'hygie_batch',
  kind: 'hygie',
  description: 'One row per ingestion batch: its source, format, outcome and row counts.',
  columns: [
    primaryKey('batch_id', 'text', 'Batch key (a UUID).'),
    required('source', 'text', 'Name of the source (e.g. snds-dcir, fhir-chu-lyon).'),
    required('format', 'text', 'Input format (snds-csv, fhir-ndjson, omop-csv, …).'),
    required('started_at', 'timestamp', 'When the batch started (UTC).'),
    optional('finished_at', 'timestamp', 'When the batch finished (UTC); null while running.'),
    required('status', 'text', 'running, published, failed or rolled_back.'),
    optional('row_counts', 'text', 'JSON object of row counts (read, rejected, per table).'),
  ],
  indexes: singleColumnIndexes('status'),
});
