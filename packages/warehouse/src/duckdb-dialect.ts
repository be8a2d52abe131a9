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
  functions: {
    // `/` is DOUBLE division; `//` truncates towards zero on integers.
    intDivide: (a, b) => `(${a} // ${b})`,
    // round(DOUBLE, n) rounds the binary value (1.005 → 1); through DECIMAL it rounds the decimal
    // value like PostgreSQL's numeric. DECIMAL(38, 10) holds up to 1e28: larger values (no
    // decimals left to round in a double anyway) take the DOUBLE path.
    roundDecimal: (expr, digits) =>
      `CAST(CASE WHEN abs(${expr}) < 1e15 THEN round(CAST(${expr} AS DECIMAL(38, 10)), ${digits}) ` +
      `ELSE round(${expr}, ${digits}) END AS DOUBLE)`,
    plusMonths: (expr, months) => `((${expr}) + to_months(${months}))`,
    isoWeekLabel: (expr) => `strftime(${expr}, '%G-W%V')`,
    monthLabel: (expr) => `strftime(${expr}, '%Y-%m')`,
    // DuckDB compares strings byte-wise unless a collation is asked for.
    binaryOrder: (expr) => `(${expr})`,
    integerSeries: (start, end) => `unnest(generate_series(${start}, ${end}))`,
  },
});
