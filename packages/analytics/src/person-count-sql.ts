/**
 * `person_count`: persons in the cohort, stratified at their index date (calendar dimension: the
 * index date's period); or, without a cohort, persons of the population observed during the query
 * period — during each calendar bucket with a calendar dimension, aged as at its start.
 */
import type { CompileScope } from './compile-scope.js';
import { cohortRowsFrom, indexDateLabel, membershipSelect } from './measure-sql.js';
import type { MeasureSelects } from './measure-sql.js';
import { segmentsFrom, spansCte } from './spans-sql.js';
import { dimensionGroupBy, dimensionSelect } from './strata-sql.js';

/** The SELECTs of a person count. */
export function personCountSelects(s: CompileScope): MeasureSelects {
  if (s.query.cohort !== undefined) {
    const from = cohortRowsFrom(s);
    const dims = dimensionSelect(s, 'c', indexDateLabel(s));
    const rows = `(SELECT ${[...dims, 'c.person_id'].join(', ')} FROM ${from}) r`;
    return {
      select: `SELECT ${[...dims, 'COUNT(*) AS persons'].join(', ')}\nFROM ${from}${dimensionGroupBy(s)}`,
      membership: membershipSelect(s, rows),
    };
  }
  const from = segmentsFrom(s, spansCte(s));
  const dims = dimensionSelect(s, 'sg', 'sg.bucket_label');
  // A person may have several observed stretches in one bucket: count each person once.
  const rows = `(SELECT ${[...dims, 'sg.person_id'].join(', ')} FROM ${from}\nWHERE sg.first_in_cell = 1) r`;
  return {
    select:
      `SELECT ${[...dims, 'SUM(sg.first_in_cell) AS persons'].join(', ')}\n` +
      `FROM ${from}${dimensionGroupBy(s)}`,
    membership: membershipSelect(s, rows),
  };
}
