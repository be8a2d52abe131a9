/**
 * The PostgreSQL SQL dialect (DDL and placeholders only: the PostgreSQL engine itself is a later
 * piece of work). Kept here so every schema change is checked against both dialects from day one.
 */
import { createSqlDialect } from './sql-dialect.js';
import type { SqlDialect } from './sql-dialect.js';

/** PostgreSQL 15 (and Citus): `$n` placeholders, `TEXT`, `DOUBLE PRECISION`, secondary indexes. */
export const postgresDialect: SqlDialect = createSqlDialect({
  name: 'postgres',
  secondaryIndexes: true,
  types: {
    bigint: 'BIGINT',
    integer: 'INTEGER',
    text: 'TEXT',
    date: 'DATE',
    timestamp: 'TIMESTAMP',
    double: 'DOUBLE PRECISION',
    boolean: 'BOOLEAN',
  },
});
