/**
 * The PostgreSQL SQL dialect, used by the PostgreSQL/Citus engine (`postgres-engine.ts`). Also
 * checked by the unit tests on every schema change, engine or not.
 */
import { createSqlDialect } from './sql-dialect.js';
import type { SqlDialect } from './sql-dialect.js';

/** PostgreSQL 15 (and Citus): `$n` placeholders, `TEXT`, `DOUBLE PRECISION`, secondary indexes. */
export const postgresDialect: SqlDialect = createSqlDialect({
  name: 'postgres',
  secondaryIndexes: true,
  analyticSettings: ['SET LOCAL enable_nestloop = off'],
  inlinedCte: 'NOT MATERIALIZED',
  types: {
    bigint: 'BIGINT',
    integer: 'INTEGER',
    text: 'TEXT',
    date: 'DATE',
    timestamp: 'TIMESTAMP',
    double: 'DOUBLE PRECISION',
    boolean: 'BOOLEAN',
  },
  functions: {
    // `/` on two integers truncates towards zero.
    intDivide: (a, b) => `(${a} / ${b})`,
    // round(numeric, n) rounds half away from zero; there is no round(double precision, n).
    roundDecimal: (expr, digits) =>
      `CAST(round(CAST(${expr} AS NUMERIC), ${digits}) AS DOUBLE PRECISION)`,
    plusMonths: (expr, months) => `((${expr}) + make_interval(months => ${months}))`,
    isoWeekLabel: (expr) => `to_char(${expr}, 'IYYY-"W"IW')`,
    monthLabel: (expr) => `to_char(${expr}, 'YYYY-MM')`,
    binaryOrder: (expr) => `(${expr}) COLLATE "C"`,
    integerSeries: (start, end) => `generate_series(${start}, ${end})`,
  },
});
