/**
 * @hygie/warehouse — the OMOP CDM warehouse behind one engine interface: DuckDB embedded by default
 * (PostgreSQL/Citus to come), schema migrations generated from the core CDM description, bulk
 * loading, vocabulary loading with `concept_ancestor` computed in SQL, and status summaries.
 */
export * from './engine.js';
export * from './sql-dialect.js';
export * from './duckdb-dialect.js';
export * from './postgres-dialect.js';
export { openDuckDbWarehouse, openInMemoryWarehouse, WAREHOUSE_FILE } from './duckdb-engine.js';
export type { DuckDbWarehouseOptions } from './duckdb-engine.js';
export { safeInteger } from './duckdb-values.js';
export * from './schema-ddl.js';
export * from './migrations/index.js';
export * from './migrate.js';
export * from './concept-ancestor.js';
export * from './vocabulary-loader.js';
export * from './warehouse-summary.js';
