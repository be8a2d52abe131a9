import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HygieError,
  Rng,
  applyDisclosureControl,
  cellKey,
  parseDisclosurePolicy,
  privacyCostOfPolicy,
} from '../src/index.js';
import type { AggregateTable, DifferencingDecision, ReleasedTable } from '../src/index.js';
import { checkDerivability, countTable, grid } from './disclosure-helpers.js';

const dims = ['sex', 'age_band'];
const counts: Record<string, number> = { F0: 3, F18: 40, F65: 31, M0: 25, M18: 35, M65: 52 };
const table = countTable(
  dims,
  grid(
    dims,
    [
      ['F', 'M'],
      [0, 18, 65],
    ],
    (s) => counts[`${s.sex}${s.age_band}`] as number,
  ),
);

function assertReleasable(released: ReleasedTable, k: number): void {
  for (const c of released.cells) {
    if (c.suppressed) {
      assert.equal(c.value, null);
      assert.equal(c.persons, null);
    }
    assert.ok(c.persons === null || c.persons >= k, 'a persons count below k is released');
    assert.ok(!('contributions' in c));
  }
}

test('report: SDC with defaults — nulls, no small persons, reasons, no values', () => {
  const { table: released, report } = applyDisclosureControl(table, {});
  assertReleasable(released, 10);
  assert.equal(report.guarantee, 'sdc');
  assert.equal(report.minCellSize, 10);
  assert.equal(report.suppressZero, false);
  assert.deepEqual(report.withheldBy.primary, { positions: 1, cells: 1 });
  assert.deepEqual(report.withheldBy.secondary, { positions: 3, cells: 3 });
  assert.equal(report.positions.total, 12);
  assert.equal(report.positions.withheld, 4);
  assert.equal(report.cells.released, 8);
  assert.equal(report.secondary.audit, 'complete');
  assert.deepEqual(report.withheld[0], { strata: { sex: 'F', age_band: 0 }, reason: 'primary' });
  assert.equal(report.differencing.applied, false);
  assert.equal(report.dp, null);
  // The report names strata and counts, never a value or a persons count of a withheld cell.
  const json = JSON.stringify(report);
  assert.ok(!/"value"|"persons"/.test(json));
  const withheld = new Set(
    released.cells
      .filter((c) => c.suppressed)
      .map((c) => JSON.stringify(dims.map((d) => (d in c.strata ? [c.strata[d]] : [])))),
  );
  assert.ok(checkDerivability(table, withheld).every((d) => !d.determined));
});

test('report: rounding to 5 after suppression', () => {
  const { table: released, report } = applyDisclosureControl(table, { roundingBase: 5 });
  assert.equal(report.roundingBase, 5);
  assertReleasable(released, 10);
  for (const c of released.cells) {
    if (!c.suppressed) assert.equal((c.value as number) % 5, 0);
  }
  assert.throws(
    () => applyDisclosureControl(table, { roundingBase: 5, minCellSize: 7 }),
    (e) => e instanceof HygieError && e.details.argument === 'roundingBase',
  );
});

test('report: dominance on a sum, contributions never released', () => {
  const sums: AggregateTable = {
    dimensions: ['departement'],
    measures: [{ name: 'cost', statistic: 'sum' }],
    margins: [[]],
    cells: [
      {
        strata: { departement: '75' },
        measure: 'cost',
        value: 10_000,
        persons: 30,
        contributions: { top: [9_000, 200], total: 10_000 },
      },
      {
        strata: { departement: '92' },
        measure: 'cost',
        value: 8_000,
        persons: 25,
        contributions: { top: [900, 800], total: 8_000 },
      },
      {
        strata: { departement: '93' },
        measure: 'cost',
        value: 9_000,
        persons: 28,
        contributions: { top: [700, 600], total: 9_000 },
      },
      {
        strata: {},
        measure: 'cost',
        value: 27_000,
        persons: 83,
        contributions: { top: [9_000, 900], total: 27_000 },
      },
    ],
  };
  const { table: released, report } = applyDisclosureControl(sums, {});
  assert.deepEqual(report.withheldBy.dominance, { positions: 1, cells: 1 });
  assert.deepEqual(report.withheldBy.secondary, { positions: 1, cells: 1 });
  assert.equal(released.cells[0]?.value, null);
  assert.equal(released.cells[1]?.value, null); // the smaller of the two others
  assert.equal(released.cells[3]?.value, 27_000);
  assert.ok(!JSON.stringify(released).includes('contributions'));
  // The p % rule finds it too: 10,000 − 9,000 − 200 = 800 < 10 % of 9,000.
  const p = applyDisclosureControl(sums, { dominance: [{ kind: 'p-percent', p: 10 }] });
  assert.equal(p.report.withheldBy.dominance.positions, 1);
  assert.equal(
    applyDisclosureControl(sums, { dominance: [] }).report.withheldBy.dominance.positions,
    0,
  );
});

test('report: differencing decisions withhold cells, then secondary suppression protects them', () => {
  const target = table.cells.find((c) => c.strata.sex === 'M' && c.strata.age_band === 18);
  assert.ok(target);
  const decisions: DifferencingDecision[] = table.cells.map((c) =>
    c === target
      ? { id: cellKey(dims, c), decision: 'too-close', conflictsWith: 'earlier-1' }
      : { id: cellKey(dims, c), decision: 'allow' },
  );
  const { report } = applyDisclosureControl(table, {}, { differencing: decisions });
  assert.equal(report.differencing.applied, true);
  assert.equal(report.differencing.tooClose, 1);
  assert.deepEqual(report.withheldBy.differencing, { positions: 1, cells: 1 });
  assert.throws(
    () =>
      applyDisclosureControl(table, { differencingAction: 'refuse' }, { differencing: decisions }),
    (e) =>
      e instanceof HygieError && e.code === 'HYG_FORBIDDEN' && e.details.reason === 'differencing',
  );
  assert.throws(
    () =>
      applyDisclosureControl(
        table,
        {},
        {
          differencing: [{ id: 'nope', decision: 'allow' }],
        },
      ),
    (e) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT',
  );
});

test('report: DP instead of SDC — every cell noisy, no persons, cost reported', () => {
  const policy = { dp: { mode: 'instead', mechanism: 'laplace', epsilon: 0.5 } } as const;
  const { table: released, report } = applyDisclosureControl(table, policy, {
    random: Rng.from('dp-instead'),
  });
  assert.equal(report.guarantee, 'dp');
  assert.equal(report.positions.withheld, 0);
  assert.equal(report.secondary.audit, 'not-run');
  assert.deepEqual(report.dp?.cost, { epsilon: 0.5, delta: 0 });
  assert.equal(report.dp?.groupingSets, 4);
  // One series (the count): Δ₁ = 4 grouping sets × 1 cell each, b = 4 / 0.5 = 8.
  assert.deepEqual(
    report.dp?.series.map((s) => [s.measure, s.part, s.sensitivity, s.scale, s.grid]),
    [['persons', 'value', 4, 8, 8]],
  );
  for (const c of released.cells) {
    assert.equal(c.persons, null);
    assert.ok(Number.isInteger(c.value) && (c.value as number) >= 0);
  }
  assert.deepEqual(privacyCostOfPolicy(parseDisclosurePolicy(policy)), { epsilon: 0.5, delta: 0 });
});

test('report: DP in addition to SDC, Gaussian, means clamped', () => {
  const means: AggregateTable = {
    dimensions: ['sex'],
    measures: [
      { name: 'persons', statistic: 'count' },
      { name: 'mean_age', statistic: 'mean', clamp: { lower: 0, upper: 110 } },
    ],
    margins: [],
    cells: [
      { strata: { sex: 'F' }, measure: 'persons', value: 400, persons: 400 },
      { strata: { sex: 'F' }, measure: 'mean_age', value: 51, persons: 400 },
      { strata: { sex: 'M' }, measure: 'persons', value: 4, persons: 4 },
      { strata: { sex: 'M' }, measure: 'mean_age', value: 60, persons: 4 },
    ],
  };
  const { table: released, report } = applyDisclosureControl(
    means,
    { dp: { mode: 'in-addition', mechanism: 'gaussian', epsilon: 1, delta: 1e-6 } },
    { random: Rng.from('dp-gauss') },
  );
  assert.equal(report.guarantee, 'sdc+noise');
  // Three noised series (count; the mean's sum and count): ε and δ split in three.
  assert.equal(report.dp?.series.length, 3);
  assert.ok(report.dp?.series.every((s) => Math.abs(s.epsilon - 1 / 3) < 1e-15));
  assert.equal(released.cells[2]?.value, null);
  const mean = released.cells[1]?.value as number;
  assert.ok(mean >= 0 && mean <= 110);
  assertReleasable(released, 10);
});

test('report: DP is refused when the budget cannot pay, or for statistics it cannot noise', () => {
  const policy = { dp: { mode: 'instead', mechanism: 'laplace', epsilon: 0.5 } } as const;
  assert.throws(
    () =>
      applyDisclosureControl(table, policy, {
        ledger: { epsilonBudget: 1, epsilonSpent: 0.6, deltaBudget: 0, deltaSpent: 0 },
      }),
    (e) =>
      e instanceof HygieError &&
      e.code === 'HYG_FORBIDDEN' &&
      e.details.reason === 'budget-exhausted',
  );
  assert.doesNotThrow(() =>
    applyDisclosureControl(table, policy, {
      ledger: { epsilonBudget: 1, epsilonSpent: 0.5, deltaBudget: 0, deltaSpent: 0 },
      random: Rng.from('x'),
    }),
  );
  const rates: AggregateTable = {
    dimensions: [],
    measures: [{ name: 'incidence', statistic: 'rate' }],
    margins: [],
    cells: [
      {
        strata: {},
        measure: 'incidence',
        value: 2,
        persons: 20,
        rate: { numerator: 20, denominator: 1000, per: 100 },
      },
    ],
  };
  assert.throws(
    () => applyDisclosureControl(rates, policy, { random: Rng.from('x') }),
    (e) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT',
  );
  assert.throws(
    () =>
      applyDisclosureControl(table, { dp: { mode: 'instead', mechanism: 'gaussian', epsilon: 1 } }),
    (e) => e instanceof HygieError && e.details.argument === 'dp.delta',
  );
});
