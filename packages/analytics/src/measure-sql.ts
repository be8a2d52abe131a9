/**
 * What the SQL of every measure has in common: a measure compiles to a SELECT of cells (the
 * dimension columns `d_<dimension>`, its statistics, `persons`) and to a membership SELECT
 * (`d_<dimension>…, person_id, counted`) that lists who is behind each cell, for the
 * differencing defence of disclosure control. Both run over the same CTE pipeline.
 */
import { HygieError } from '@hygie/core';
import type { CompileScope } from './compile-scope.js';
import { cohortCte } from './cohort-sql.js';
import { dimensionColumn, dimensionGroupBy } from './strata-sql.js';

/** The two SELECTs of a measure, over the CTEs its builder holds. */
export interface MeasureSelects {
  /** One row per cell: `d_<dimension>…`, statistics, `persons`. */
  readonly select: string;
  /**
   * One row per cell and person behind it: `d_<dimension>…`, `person_id`, `counted` (1 when the
   * person counts in the cell's value or numerator, 0 when only in its denominator).
   */
  readonly membership: string;
}

/** The dimension output columns of the query, for the outer SELECT over a row source `r`. */
export function dimensionOutput(s: CompileScope, row = 'r'): string[] {
  return s.query.stratify.map((d) => `${row}.${dimensionColumn(d)}`);
}

/**
 * The membership SELECT over a row source `from` whose rows carry the dimension columns,
 * `person_id` and a 0/1 column `counted` (`1` when every row counts).
 */
export function membershipSelect(s: CompileScope, from: string, counted = '1'): string {
  const dims = dimensionOutput(s);
  return (
    `SELECT ${[...dims, 'r.person_id', `MAX(${counted}) AS counted`].join(', ')}\nFROM ${from}` +
    dimensionGroupBy(s, ['r.person_id'])
  );
}

/**
 * The cohort's rows as a FROM item aliased `c`, with `age` (the age at the index date) as the
 * stratification expects it. The query must have a cohort.
 */
export function cohortRowsFrom(s: CompileScope): string {
  const cohort = s.query.cohort;
  if (cohort === undefined) {
    throw new HygieError(
      'HYG_INTERNAL',
      'the query compiler asked for cohort rows without a cohort',
    );
  }
  return `(SELECT ch.*, ch.index_age AS age FROM ${cohortCte(s, cohort)} ch) c`;
}

/** The calendar label of a cohort row `c` (its index date), when the query has one. */
export function indexDateLabel(s: CompileScope): string {
  const unit = s.needs.calendar;
  return unit === null ? 'NULL' : s.dialect.periodLabel(unit, 'c.index_date');
}
