/**
 * `person_count`: persons in the cohort, stratified at their index date (calendar dimension: the
 * index date's period); or, without a cohort, persons of the population observed during the query
 * period — during each calendar bucket with a calendar dimension, aged as at its start.
 *
 * Without a cohort and without a calendar dimension a person is in exactly one cell, so the
 * count needs no spans at all: a person counts when one of their observation periods, clipped
 * to the query period and cut at death, is not empty — an existence test per person, which the
 * engines run as a semi-join. That is the same set as the merged spans of `spans-sql.ts`: a
 * merged stretch survives the death cut exactly when its earliest period does (its start is the
 * stretch's start, and it ends no earlier than it starts once clipped).
 */
import { periodFrom, periodTo } from './compile-scope.js';
import type { CompileScope } from './compile-scope.js';
import { cohortRowsFrom, indexDateLabel, membershipSelect } from './measure-sql.js';
import type { MeasureSelects } from './measure-sql.js';
import { ageOnSql, deathsCte, personAttrCte } from './person-sql.js';
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
  if (s.needs.calendar === null) return observedPersonSelects(s);
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

/** Population mode without a calendar dimension: one row per observed person (module comment). */
function observedPersonSelects(s: CompileScope): MeasureSelects {
  const attr = personAttrCte(s);
  const deaths = deathsCte(s);
  const from = periodFrom(s);
  const to = periodTo(s);
  const observed = s.b.cte(
    'observed_persons',
    () =>
      `SELECT pa.*, ${ageOnSql(s, 'pa', s.query.period.from)} AS age\n` +
      `FROM ${attr} pa\n` +
      `WHERE EXISTS (\n` +
      `  SELECT 1 FROM observation_period op\n` +
      `  LEFT JOIN ${deaths} d ON d.person_id = op.person_id\n` +
      `  WHERE op.person_id = pa.person_id\n` +
      `    AND op.observation_period_start_date <= ${to}\n` +
      `    AND op.observation_period_end_date >= ${from}\n` +
      `    AND greatest(op.observation_period_start_date, ${from})\n` +
      `        <= least(op.observation_period_end_date, ${to}, d.death_date))`,
  );
  const dims = dimensionSelect(s, 'o', 'NULL');
  const rows = `(SELECT ${[...dims, 'o.person_id'].join(', ')} FROM ${observed} o) r`;
  return {
    select: `SELECT ${[...dims, 'COUNT(*) AS persons'].join(', ')}\nFROM ${observed} o${dimensionGroupBy(s)}`,
    membership: membershipSelect(s, rows),
  };
}
