/** The DuckDB SQL dialect. */
import { createSqlDialect } from './sql-dialect.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * DuckDB: `$n` placeholders, standard types. Secondary indexes are left out (see
 * `SqlDialect.secondaryIndexes`), and so are primary keys of person and event tables (see
 * `DialectSpec.primaryKeys`): DuckDB keeps them as in-memory indexes, which would make memory grow
 * with the data.
 */
export const duckDbDialect: SqlDialect = createSqlDialect({
  name: 'duckdb',
  secondaryIndexes: false,
  primaryKeys: 'reference',
  types: {
    bigint: 'BIGINT',
    integer: 'INTEGER',
    text: 'VARCHAR',
    date: 'DATE',
    timestamp: 'TIMESTAMP',
    double: 'DOUBLE',
    boolean: 'BOOLEAN',
  },
});
