/**
 * @hygie/analytics — governed analytics: the analytic query model of `@hygie/core` compiled to
 * SQL for each warehouse dialect (DuckDB, PostgreSQL), run behind a permit's population, with
 * results shaped for disclosure control. Also the permit population compiler every research
 * query starts from.
 */
export * from './population-sql.js';
export { compileQuery, quantileName } from './compile-query.js';
export type {
  CompileContext,
  CompiledAttrition,
  CompiledMeasure,
  CompiledQuery,
  CompiledStandardisation,
} from './compile-query.js';
export { requiredData } from './required-data.js';
export { runMembership, runQuery } from './run-query.js';
export { resultTable, DAYS_PER_YEAR } from './result-cells.js';
export type * from './result-table.js';
export type { AttritionStep } from './cohort-sql.js';
export { calendarBuckets, calendarLabel } from './calendar-buckets.js';
export type { CalendarBucket } from './calendar-buckets.js';
export { EUROPE_2013_PER_100000, standardPopulation } from './standard-populations.js';
export type { StandardStratum } from './standard-populations.js';
export { directlyStandardisedRate, stratumInCell } from './standardisation.js';
export type { CellScope, StratumCounts } from './standardisation.js';
export { ageBandLabels } from './strata-sql.js';
export { normaliseConceptCode } from './concept-set-sql.js';
export { populationColumns, queryNeeds } from './query-needs.js';
export type { QueryNeeds } from './query-needs.js';
export { toAggregateTable } from './aggregate-tables.js';
