/**
 * `prevalence`: persons with at least one event of the criterion during their time at risk in
 * the period — or in each calendar bucket — over the persons at risk in it (observed, or followed
 * in the cohort). SQL counts cases and persons; the rate (and its direct standardisation, over
 * the same counts by 5-year age band and sex) is worked out from them in `result-cells.ts`.
 *
 * The persons with an event in a cell (`prev_cases`: person, and bucket) are joined to the
 * persons' segments on the person (and bucket), never on the strata: a person's strata in a
 * bucket are the same whichever stretch of time they come from, and strata may be NULL.
 */
import type { EventCriterion } from '@hygie/core';
import type { CompileScope } from './compile-scope.js';
import { membershipSelect } from './measure-sql.js';
import type { MeasureSelects } from './measure-sql.js';
import { positionedEventsFrom, segmentsFrom, spansCte } from './spans-sql.js';
import { dimensionGroupBy, dimensionSelect, standardStrataSelect } from './strata-sql.js';

/** The SELECTs of a prevalence; `standardised` adds the `std_band`, `std_sex` strata. */
export function prevalenceSelects(
  s: CompileScope,
  events: EventCriterion,
  standardised: boolean,
): MeasureSelects {
  const calendar = s.needs.calendar !== null;
  const cases = s.b.cte(
    'prev_cases',
    () =>
      `SELECT DISTINCT pe.person_id${calendar ? ', pe.bucket_index' : ''}\n` +
      `FROM ${positionedEventsFrom(s, events)}`,
  );
  const from =
    `${segmentsFrom(s, spansCte(s))}\n` +
    `LEFT JOIN ${cases} pc ON pc.person_id = sg.person_id` +
    (calendar ? ' AND pc.bucket_index = sg.bucket_index' : '');
  const isCase = 'CASE WHEN pc.person_id IS NULL THEN 0 ELSE 1 END';
  const dims = dimensionSelect(s, 'sg', 'sg.bucket_label');
  const strata = standardised ? standardStrataSelect(s, 'sg') : [];
  const counts = [`SUM(${isCase} * sg.first_in_cell) AS cases`, 'SUM(sg.first_in_cell) AS persons'];
  const rows =
    `(SELECT ${[...dims, 'sg.person_id', `${isCase} AS is_case`].join(', ')}\nFROM ${from}\n` +
    `WHERE sg.first_in_cell = 1) r`;
  return {
    select:
      `SELECT ${[...dims, ...strata, ...counts].join(', ')}\nFROM ${from}` +
      dimensionGroupBy(s, standardised ? ['std_band', 'std_sex'] : []),
    membership: membershipSelect(s, rows, 'r.is_case'),
  };
}
