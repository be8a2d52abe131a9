import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DOMINANCE_RULES,
  HygieError,
  dominanceSensitivePositions,
  isDominated,
} from '../src/index.js';
import type { AggregateTable } from '../src/index.js';

test('dominance (n, k): sensitive when the top n exceed k % of the total, strictly', () => {
  const rule = { kind: 'nk', n: 2, k: 85 } as const;
  assert.equal(isDominated({ top: [50, 35], total: 100 }, rule), false); // exactly 85 %
  assert.equal(isDominated({ top: [50, 35.01], total: 100 }, rule), true);
  assert.equal(isDominated({ top: [10, 5], total: 100 }, rule), false);
  const one = { kind: 'nk', n: 1, k: 50 } as const;
  assert.equal(isDominated({ top: [50, 1], total: 100 }, one), false);
  assert.equal(isDominated({ top: [50.5, 1], total: 100 }, one), true);
  // Nobody contributed anything: nothing to disclose.
  assert.equal(isDominated({ top: [0, 0], total: 0 }, rule), false);
  // A single contributor is always dominant.
  assert.equal(isDominated({ top: [7], total: 7 }, rule), true);
  assert.deepEqual(DEFAULT_DOMINANCE_RULES, [{ kind: 'nk', n: 2, k: 85 }]);
});

test('dominance p %: sensitive when the rest is below p % of the largest', () => {
  const rule = { kind: 'p-percent', p: 10 } as const;
  // rest = 100 − 80 − 12 = 8 < 10 % of 80 = 8? no, equal: not sensitive.
  assert.equal(isDominated({ top: [80, 12], total: 100 }, rule), false);
  assert.equal(isDominated({ top: [80, 12.5], total: 100 }, rule), true);
  assert.equal(isDominated({ top: [30, 20], total: 100 }, rule), false);
});

const costs = (contributions?: { top: number[]; total: number }): AggregateTable => ({
  dimensions: ['sex'],
  measures: [{ name: 'cost', statistic: 'sum' }],
  margins: [],
  cells: [
    {
      strata: { sex: 'F' },
      measure: 'cost',
      value: 1000,
      persons: 40,
      ...(contributions ? { contributions } : {}),
    },
  ],
});

test('dominance: positions of dominated sums; a sum without contributions is refused', () => {
  assert.deepEqual(
    dominanceSensitivePositions(costs({ top: [900, 10], total: 1000 }), DEFAULT_DOMINANCE_RULES),
    ['[["F"]]'],
  );
  assert.deepEqual(
    dominanceSensitivePositions(costs({ top: [100, 90], total: 1000 }), DEFAULT_DOMINANCE_RULES),
    [],
  );
  assert.throws(
    () => dominanceSensitivePositions(costs(), DEFAULT_DOMINANCE_RULES),
    (e) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT',
  );
  // Rules off: nothing checked.
  assert.deepEqual(dominanceSensitivePositions(costs(), []), []);
});
