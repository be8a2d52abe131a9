/**
 * `distribution`: the number of values, their mean, sample standard deviation and continuous
 * quantiles (`percentile_cont`, linear interpolation) — never the minimum or maximum, which are
 * single persons' values.
 *
 * - `age`: one value per person — the age at the index date (cohort, calendar dimension on the
 *   index date), or per person and cell of the population, the age at the start of the bucket
 *   or period.
 * - `follow_up_days`: days from the index date to the exit (`exit − index`), one value per person
 *   of the cohort; a cohort notion, refused without one.
 * - `measurement_value`: every non-null value of the criterion's measurements during follow-up or
 *   observed time in the period (a person may give several), placed by measurement date.
 */
import { HygieError } from '@hygie/core';
import type { Measure } from '@hygie/core';
import type { CompileScope } from './compile-scope.js';
import {
  cohortRowsFrom,
  dimensionOutput,
  indexDateLabel,
  membershipSelect,
} from './measure-sql.js';
import type { MeasureSelects } from './measure-sql.js';
import { positionedEventsFrom, segmentsFrom, spansCte } from './spans-sql.js';
import { dimensionGroupBy, dimensionSelect } from './strata-sql.js';

type DistributionMeasure = Extract<Measure, { kind: 'distribution' }>;

/** Result column of the `i`-th quantile. */
export function quantileColumn(i: number): string {
  return `q_${i}`;
}

/** The values as a FROM item `r` with the dimension columns, `person_id` and `x`. */
function valuesFrom(s: CompileScope, m: DistributionMeasure): string {
  const variable = m.variable;
  if (variable.of === 'measurement_value') {
    if (variable.events.domain !== 'measurement') {
      throw new HygieError(
        'HYG_INVALID_ARGUMENT',
        `measure ${m.name}: a measurement value needs measurement events`,
        { argument: 'measures' },
      );
    }
    const from = positionedEventsFrom(s, variable.events, true);
    const dims = dimensionSelect(s, 'pe', 'pe.bucket_label');
    return `(SELECT ${[...dims, 'pe.person_id', 'pe.value AS x'].join(', ')} FROM ${from}\nWHERE pe.value IS NOT NULL) r`;
  }
  if (s.query.cohort !== undefined) {
    const dims = dimensionSelect(s, 'c', indexDateLabel(s));
    const x =
      variable.of === 'age' ? 'c.index_age' : s.dialect.dateDiffDays('c.index_date', 'c.exit_date');
    return `(SELECT ${[...dims, 'c.person_id', `${x} AS x`].join(', ')} FROM ${cohortRowsFrom(s)}) r`;
  }
  if (variable.of === 'follow_up_days') {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      `measure ${m.name}: follow-up days need a cohort (follow-up starts at an index date)`,
      { argument: 'measures' },
    );
  }
  // One age per person and cell, however many observed stretches the person has in it.
  const dims = dimensionSelect(s, 'sg', 'sg.bucket_label');
  return (
    `(SELECT ${[...dims, 'sg.person_id', 'sg.age AS x'].join(', ')}\n` +
    `FROM ${segmentsFrom(s, spansCte(s))}\nWHERE sg.first_in_cell = 1) r`
  );
}

/** The SELECTs of a distribution. */
export function distributionSelects(s: CompileScope, m: DistributionMeasure): MeasureSelects {
  const from = valuesFrom(s, m);
  const x = s.dialect.cast('r.x', 'double');
  // Ages and follow-up: one value per person and cell. Measurements: several per person.
  const persons =
    m.variable.of === 'measurement_value' ? 'COUNT(DISTINCT r.person_id)' : 'COUNT(*)';
  const stats = [
    'COUNT(*) AS n',
    `${persons} AS persons`,
    `AVG(${x}) AS mean`,
    `stddev_samp(${x}) AS sd`,
    ...m.quantiles.map((q, i) => `${s.dialect.percentileCont(q, 'r.x')} AS ${quantileColumn(i)}`),
  ];
  return {
    select: `SELECT ${[...dimensionOutput(s), ...stats].join(', ')}\nFROM ${from}${dimensionGroupBy(s)}`,
    membership: membershipSelect(s, from),
  };
}
