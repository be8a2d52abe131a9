/**
 * The transparency log's store, export and offline verifier (issue #6); the Merkle math, tree
 * heads and the entry schema are in `@hygie/core` (`core/src/transparency/`).
 */
export * from './transparency-log.js';
export * from './log-export.js';
export * from './verify-log-export.js';
export { TLOG_SCHEMA_VERSION, TLOG_TABLES, migrateTransparencyLog } from './log-schema.js';
