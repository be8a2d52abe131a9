/**
 * SQL the two engines write differently and the warehouse dialect (`SqlDialect`) does not offer
 * yet — keyed by `dialect.name`, to be moved into the dialects.
 *
 * - `seriesColumn`: one row per integer from `start` to `end` (inclusive) as a select-list item.
 *   PostgreSQL's `generate_series(a, b)` is a set-returning function there; DuckDB's scalar
 *   `generate_series(a, b)` returns a LIST, which `unnest` turns into rows. The portable form,
 *   `CROSS JOIN LATERAL generate_series(a, b) AS g(i)`, gives the same rows on both, but DuckDB
 *   decorrelates it into a join on every span column (IS NOT DISTINCT FROM), about ten times
 *   slower on millions of spans than the select-list form.
 */
import type { SqlDialect } from '@hygie/warehouse';

/** A select-list expression yielding one row per integer of [start, end] (both integers). */
export function seriesColumn(dialect: SqlDialect, start: string, end: string): string {
  return dialect.name === 'duckdb'
    ? `unnest(generate_series(${start}, ${end}))`
    : `generate_series(${start}, ${end})`;
}

/**
 * Settings for the transaction an analytic statement runs in. PostgreSQL cannot estimate the
 * sizes of the compiler's CTEs (a grouped, filtered CTE is planned as one row), and then picks
 * nested loops that are quadratic in persons: a cohort over 10,000 persons took 5.7 s instead of
 * 0.1 s. The compiled statements are all large scans, joins and aggregations, for which hash
 * joins are right; nested loops stay available where nothing else can run (range-only joins).
 * DuckDB plans joins on its own statistics and needs nothing.
 */
export function analyticSettings(dialect: SqlDialect): string[] {
  return dialect.name === 'postgres' ? ['SET LOCAL enable_nestloop = off'] : [];
}
