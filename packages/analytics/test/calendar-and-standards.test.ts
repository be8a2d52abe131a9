/** Calendar buckets, standard populations and the standardisation step, without an engine. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agePyramid } from '@hygie/reference';
import { calendarBuckets } from '../src/calendar-buckets.js';
import { EUROPE_2013_PER_100000, standardPopulation } from '../src/standard-populations.js';
import { directlyStandardisedRate } from '../src/standardisation.js';

test('calendar buckets are clipped to the period and numbered from 0', () => {
  assert.deepEqual(calendarBuckets('quarter', { from: '2020-02-15', to: '2020-10-01' }), [
    { index: 0, start: '2020-02-15', end: '2020-03-31', label: '2020-Q1' },
    { index: 1, start: '2020-04-01', end: '2020-06-30', label: '2020-Q2' },
    { index: 2, start: '2020-07-01', end: '2020-09-30', label: '2020-Q3' },
    { index: 3, start: '2020-10-01', end: '2020-10-01', label: '2020-Q4' },
  ]);
  // ISO weeks: Monday to Sunday; 2021-01-03 (a Sunday) is still in 2020-W53.
  assert.deepEqual(calendarBuckets('week', { from: '2020-12-30', to: '2021-01-11' }), [
    { index: 0, start: '2020-12-30', end: '2021-01-03', label: '2020-W53' },
    { index: 1, start: '2021-01-04', end: '2021-01-10', label: '2021-W01' },
    { index: 2, start: '2021-01-11', end: '2021-01-11', label: '2021-W02' },
  ]);
  assert.deepEqual(
    calendarBuckets('month', { from: '2020-01-31', to: '2020-03-01' }).map((b) => b.label),
    ['2020-01', '2020-02', '2020-03'],
  );
  assert.equal(calendarBuckets('day', { from: '2020-02-28', to: '2020-03-01' }).length, 3);
  assert.deepEqual(
    calendarBuckets('year', { from: '2019-07-01', to: '2021-01-01' }).map((b) => [b.start, b.end]),
    [
      ['2019-07-01', '2019-12-31'],
      ['2020-01-01', '2020-12-31'],
      ['2021-01-01', '2021-01-01'],
    ],
  );
});

test('standard populations: 40 strata whose weights sum to 1', () => {
  assert.equal(
    EUROPE_2013_PER_100000.reduce((a, b) => a + b, 0),
    100_000,
  );
  for (const name of ['europe_2013', 'france_2020'] as const) {
    const strata = standardPopulation(name);
    assert.equal(strata.length, 40);
    assert.ok(Math.abs(strata.reduce((a, s) => a + s.weight, 0) - 1) < 1e-12, name);
  }
  const europe = standardPopulation('europe_2013');
  assert.equal(europe.find((s) => s.ageFrom === 0 && s.sex === 'male')?.weight, 0.025);
  assert.equal(europe.find((s) => s.ageFrom === 95 && s.sex === 'female')?.weight, 0.001);
  // France: 95+ holds the 95–99 and 100–104 bands of the pyramid.
  const pyramid = agePyramid();
  const total = pyramid.reduce((a, b) => a + b.males + b.females, 0);
  const france = standardPopulation('france_2020');
  assert.ok(
    Math.abs(
      (france.find((s) => s.ageFrom === 95 && s.sex === 'female')?.weight ?? 0) -
        (140_000 + 18_000) / total,
    ) < 1e-15,
  );
});

test('direct standardisation: weights over the strata the cell covers, empty strata count 0', () => {
  const standard = standardPopulation('europe_2013');
  const strata = [
    { ageFrom: 40, sex: 'female' as const, cases: 1, denominator: 2 },
    { ageFrom: 70, sex: 'male' as const, cases: 2, denominator: 2 },
    // Unknown sex or age: in no standard stratum.
    { ageFrom: 40, sex: null, cases: 5, denominator: 5 },
  ];
  assert.ok(Math.abs((directlyStandardisedRate(strata, standard, {}) ?? 0) - 0.0425) < 1e-15);
  assert.ok(
    Math.abs((directlyStandardisedRate(strata, standard, { sex: 'male' }) ?? 0) - 0.05) < 1e-15,
  );
  // An age band 40–49 covers the 40–44 and 45–49 strata of both sexes: weights 0.035 × 4 = 0.14.
  assert.ok(
    Math.abs(
      (directlyStandardisedRate(strata, standard, { ages: { from: 40, to: 49 } }) ?? 0) -
        (0.035 * 0.5) / 0.14,
    ) < 1e-15,
  );
  assert.equal(directlyStandardisedRate(strata, standard, { sex: null }), null);
});
