/** The DuckDB SQL dialect. */
import { createSqlDialect } from './sql-dialect.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * DuckDB: `$n` placeholders, standard types. Secondary indexes are left out (see
 * `SqlDialect.secondaryIndexes`); primary keys are kept, as they catch a batch published twice.
 */
export const duckDbDialect: SqlDialect = createSqlDialect({
  name: 'duckdb',
  secondaryIndexes: false,
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
