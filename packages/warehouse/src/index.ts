/**
 * @hygie/warehouse — the OMOP CDM warehouse behind one engine interface: DuckDB embedded by default,
 * PostgreSQL (Citus-aware) for scale-out; SQL dialects with the functions a query compiler needs,
 * schema migrations generated from the core CDM description, bulk loading, vocabulary loading with
 * `concept_ancestor` computed in SQL, and status summaries.
 */
export * from './engine.js';
export * from './sql-dialect.js';
export * from './sql-functions.js';
export * from './duckdb-dialect.js';
export * from './postgres-dialect.js';
export { openDuckDbWarehouse, openInMemoryWarehouse, WAREHOUSE_FILE } from './duckdb-engine.js';
export type { DuckDbWarehouseOptions } from './duckdb-engine.js';
export { openPostgresWarehouse, redactConnectionString } from './postgres-engine.js';
export type { PostgresWarehouseEngine, PostgresWarehouseOptions } from './postgres-engine.js';
export { distributeCitusTables, CITUS_COLOCATION_ANCHOR } from './citus-distribution.js';
export type { CitusDistributionReport } from './citus-distribution.js';
export { safeInteger } from './js-values.js';
export * from './schema-ddl.js';
export * from './migrations/index.js';
export * from './migrate.js';
export * from './concept-ancestor.js';
export * from './vocabulary-loader.js';
export * from './warehouse-summary.js';
export * from './copy-warehouse.js';
export * from './warehouse-keys.js';
