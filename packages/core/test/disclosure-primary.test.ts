import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBelowThreshold, isPrimarySensitive, primarySensitivePositions } from '../src/index.js';
import type { AggregateTable } from '../src/index.js';
import { countTable } from './disclosure-helpers.js';

const k10 = { minCellSize: 10, suppressZero: false };

test('primary: boundaries at k−1, k, k+1 (k = 10 and k = 11)', () => {
  assert.equal(isBelowThreshold(9, k10), true);
  assert.equal(isBelowThreshold(10, k10), false);
  assert.equal(isBelowThreshold(11, k10), false);
  const k11 = { minCellSize: 11, suppressZero: false };
  assert.equal(isBelowThreshold(10, k11), true);
  assert.equal(isBelowThreshold(11, k11), false);
  assert.equal(isBelowThreshold(12, k11), false);
  assert.equal(isBelowThreshold(1, k10), true);
});

test('primary: zero is shown by default and withheld with suppressZero', () => {
  assert.equal(isBelowThreshold(0, k10), false);
  assert.equal(isBelowThreshold(0, { ...k10, suppressZero: true }), true);
  const t = countTable(
    ['sex'],
    [
      [{ sex: 'F' }, 0],
      [{ sex: 'M' }, 9],
      [{ sex: 'X' }, 10],
    ],
    [],
  );
  assert.deepEqual(primarySensitivePositions(t, k10), ['[["M"]]']);
  assert.deepEqual(primarySensitivePositions(t, { ...k10, suppressZero: true }), [
    '[["F"]]',
    '[["M"]]',
  ]);
});

test('primary: any statistic from fewer than k persons, whatever its value', () => {
  const table: AggregateTable = {
    dimensions: ['sex'],
    measures: [
      { name: 'stays', statistic: 'event_count' },
      { name: 'mean_age', statistic: 'mean' },
    ],
    margins: [],
    cells: [
      // 40 stays, but from 3 persons.
      { strata: { sex: 'F' }, measure: 'stays', value: 40, persons: 3 },
      { strata: { sex: 'F' }, measure: 'mean_age', value: 51.2, persons: 3 },
      { strata: { sex: 'M' }, measure: 'stays', value: 40, persons: 12 },
      // The mean is over fewer persons than the stays: the whole position goes.
      { strata: { sex: 'M' }, measure: 'mean_age', value: 48, persons: 7 },
    ],
  };
  assert.deepEqual(primarySensitivePositions(table, k10), ['[["F"]]', '[["M"]]']);
});

test('primary: a rate is judged on its numerator persons and its counted denominator', () => {
  const cell = (persons: number, denominatorPersons?: number) => ({
    strata: {},
    measure: 'r',
    value: 1,
    persons,
    rate: {
      numerator: persons,
      denominator: 1000,
      per: 1000,
      ...(denominatorPersons === undefined ? {} : { denominatorPersons }),
    },
  });
  assert.equal(isPrimarySensitive(cell(9), k10), true);
  assert.equal(isPrimarySensitive(cell(10), k10), false);
  // 0 out of 4: the zero is shown, the 4 is not.
  assert.equal(isPrimarySensitive(cell(0, 4), k10), true);
  assert.equal(isPrimarySensitive(cell(0, 40), k10), false);
});
