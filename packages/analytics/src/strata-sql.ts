/**
 * Stratification in SQL: the expression of each dimension over a row of the pipeline, which
 * always carries `gender_concept_id`, `age`, `departement` and `region` (and the bucket label
 * when the query has a calendar dimension). Unknown values are NULL — an unknown sex, a person
 * without a location — never a sentinel string, as the disclosure-control tables expect.
 *
 * Also the strata of direct standardisation: 5-year age bands 0–4 … 95+ by sex.
 */
import { CALENDAR_DIMENSIONS } from '@hygie/core';
import type { StratificationDimension } from '@hygie/core';
import type { CompileScope } from './compile-scope.js';
import { FEMALE_CONCEPT_ID, MALE_CONCEPT_ID } from './person-sql.js';

/** The label of each age band: `0-17`, `18-64`, `65+` for the lower bounds `[0, 18, 65]`. */
export function ageBandLabels(bounds: readonly number[]): string[] {
  return bounds.map((lower, i) => {
    const next = bounds[i + 1];
    if (next === undefined) return `${lower}+`;
    return next - 1 === lower ? String(lower) : `${lower}-${next - 1}`;
  });
}

/** The age band (label) of an integer age expression, for the query's bands. */
export function ageBandSql(bounds: readonly number[], age: string): string {
  const labels = ageBandLabels(bounds);
  // Highest band first: the first bound that the age reaches names its band. Labels are made
  // of digits, '-' and '+' only (built above from validated integers).
  const cases = bounds
    .map((lower, i) => [lower, labels[i] ?? ''] as const)
    .reverse()
    .map(([lower, label]) => `WHEN ${age} >= ${lower} THEN '${label}'`);
  return `CASE ${cases.join(' ')} END`;
}

/** The sex label (`female`, `male`, NULL) of a `gender_concept_id` expression. */
export function sexSql(genderConceptId: string): string {
  return (
    `CASE ${genderConceptId} WHEN ${FEMALE_CONCEPT_ID} THEN 'female' ` +
    `WHEN ${MALE_CONCEPT_ID} THEN 'male' END`
  );
}

/** Result column of a dimension. */
export function dimensionColumn(dimension: StratificationDimension): string {
  return `d_${dimension}`;
}

/**
 * The dimension columns of a SELECT over the row alias `row`: `<expr> AS d_<dimension>` for each
 * dimension of the query, in the query's order. `calendar` is the calendar label expression of
 * that row (the bucket's label, or the label of an index date).
 */
export function dimensionSelect(s: CompileScope, row: string, calendar: string): string[] {
  return s.query.stratify.map((d) => {
    let expr: string;
    if (CALENDAR_DIMENSIONS.includes(d)) expr = calendar;
    else if (d === 'sex') expr = sexSql(`${row}.gender_concept_id`);
    else if (d === 'age_band') expr = ageBandSql(s.query.ageBands, `${row}.age`);
    else if (d === 'departement') expr = `${row}.departement`;
    else expr = `${row}.region`;
    return `${expr} AS ${dimensionColumn(d)}`;
  });
}

/** The GROUP BY list of the dimension columns (output names), or nothing. */
export function dimensionGroupBy(s: CompileScope, extra: readonly string[] = []): string {
  const columns = [...s.query.stratify.map(dimensionColumn), ...extra];
  return columns.length === 0 ? '' : `\nGROUP BY ${columns.join(', ')}`;
}

/** Lower bound of the highest standard age band (95+). */
export const STANDARD_TOP_BAND = 95;

/**
 * The standardisation strata columns over the row alias `row`: `std_band` (lower bound of the
 * 5-year band, 95 for 95+) and `std_sex` (`female`, `male`, NULL for an unknown sex, which no
 * standard population weighs).
 */
export function standardStrataSelect(s: CompileScope, row: string): string[] {
  const band = `${s.dialect.intDiv(`${row}.age`, '5')} * 5`;
  return [
    `CASE WHEN ${row}.age >= ${STANDARD_TOP_BAND} THEN ${STANDARD_TOP_BAND} ELSE ${band} END AS std_band`,
    `${sexSql(`${row}.gender_concept_id`)} AS std_sex`,
  ];
}
