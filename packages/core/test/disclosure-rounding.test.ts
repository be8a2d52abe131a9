import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HygieError,
  checkRoundingBase,
  releaseTable,
  roundReleasedTable,
  roundToBase,
} from '../src/index.js';
import type { AggregateTable } from '../src/index.js';

test('rounding: nearest multiple, halves away from zero, deterministic', () => {
  assert.deepEqual(
    [0, 1, 2, 2.5, 3, 7, 7.5, 12, 12.5, 13].map((x) => roundToBase(x, 5)),
    [0, 0, 0, 5, 5, 5, 10, 10, 15, 15],
  );
  assert.equal(roundToBase(-12.5, 5), -15);
  assert.equal(roundToBase(24, 5), 25);
  assert.equal(roundToBase(17.4, 1), 17);
});

test('rounding: a base that would show a released count below k is refused', () => {
  assert.doesNotThrow(() => checkRoundingBase(5, 10));
  assert.doesNotThrow(() => checkRoundingBase(5, 8)); // OpenSAFELY: ≤ 7 withheld, then round to 5
  assert.throws(
    () => checkRoundingBase(5, 7),
    (e) => e instanceof HygieError && e.details.argument === 'roundingBase',
  );
  assert.throws(() => checkRoundingBase(0, 10), HygieError);
  assert.throws(() => checkRoundingBase(2.5, 10), HygieError);
});

test('rounding: counts, persons and rate numerators; withheld cells stay null; sums untouched', () => {
  const table: AggregateTable = {
    dimensions: ['sex'],
    measures: [
      { name: 'persons', statistic: 'count' },
      { name: 'stays', statistic: 'event_count' },
      { name: 'cost', statistic: 'sum' },
      { name: 'incidence', statistic: 'rate' },
    ],
    margins: [],
    cells: [
      { strata: { sex: 'F' }, measure: 'persons', value: 23, persons: 23 },
      { strata: { sex: 'F' }, measure: 'stays', value: 41, persons: 23 },
      {
        strata: { sex: 'F' },
        measure: 'cost',
        value: 1234.5,
        persons: 23,
        contributions: { top: [100, 90], total: 1234.5 },
      },
      {
        strata: { sex: 'F' },
        measure: 'incidence',
        value: (23 / 4600) * 1000,
        persons: 23,
        rate: { numerator: 23, denominator: 4600, per: 1000 },
      },
      { strata: { sex: 'M' }, measure: 'persons', value: 4, persons: 4 },
    ],
  };
  const released = releaseTable(table, new Map([['[["M"]]', 'primary']]), 10);
  const rounded = roundReleasedTable(released, 5).cells;
  assert.equal(rounded[0]?.value, 25);
  assert.equal(rounded[0]?.persons, 25);
  assert.equal(rounded[1]?.value, 40);
  assert.equal(rounded[2]?.value, 1234.5);
  assert.deepEqual(rounded[3]?.rate, { numerator: 25, denominator: 4600, per: 1000 });
  assert.ok(Math.abs((rounded[3]?.value as number) - (25 / 4600) * 1000) < 1e-12);
  assert.equal(rounded[4]?.value, null);
  assert.equal(rounded[4]?.persons, null);
  // The dominance inputs never reach the released form.
  assert.ok(!JSON.stringify(rounded).includes('contributions'));
});
