import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HygieError,
  cellKey,
  compareStrata,
  indexPositions,
  parseAggregateTable,
  positionKey,
  tableLines,
} from '../src/index.js';
import type { AggregateTable, Strata } from '../src/index.js';
import { countTable, grid } from './disclosure-helpers.js';

const dims = ['sex', 'age_band'];
const interior = grid(
  dims,
  [
    ['F', 'M'],
    [0, 18, 65],
  ],
  (_, i) => 20 + i,
);

function argumentOf(raw: unknown): string {
  try {
    parseAggregateTable(raw);
  } catch (e) {
    assert.ok(e instanceof HygieError);
    assert.equal(e.code, 'HYG_INVALID_ARGUMENT');
    return String(e.details.argument);
  }
  return 'accepted';
}

test('aggregate table: a compiled table with margins parses', () => {
  const t = countTable(dims, interior);
  assert.deepEqual(parseAggregateTable(t).cells.length, 6 + 2 + 3 + 1);
});

test('aggregate table: the checks name the field, never a value', () => {
  const t = countTable(dims, interior);
  const cells = [...t.cells];
  assert.equal(argumentOf({ ...t, dimensions: ['sex', 'sex'] }), 'dimensions');
  assert.equal(argumentOf({ ...t, margins: [['sex'], ['sex']] }), 'margins.1');
  assert.equal(argumentOf({ ...t, margins: [['sex', 'age_band']] }), 'margins.0');
  assert.equal(argumentOf({ ...t, margins: [['nope']] }), 'margins.0');
  // A margin cell whose grouping set is not declared.
  assert.equal(argumentOf({ ...t, margins: [['sex'], []] }), 'cells.9.strata');
  assert.equal(
    argumentOf({ ...t, cells: [...cells, { ...cells[0], value: 20 }] }),
    `cells.${cells.length}`,
  );
  assert.equal(argumentOf({ ...t, cells: [{ ...cells[0], value: 3 }] }), 'cells.0.value');
  assert.equal(argumentOf({ ...t, cells: [{ ...cells[0], value: null }] }), 'cells.0.value');
  assert.equal(argumentOf({ ...t, cells: [{ ...cells[0], measure: 'x' }] }), 'cells.0.measure');
  assert.equal(argumentOf({ ...t, cells: [{ ...cells[0], persons: -1 }] }), 'cells.0.persons');
  assert.equal(argumentOf({ ...t, cells: [{ ...cells[0], value: Infinity }] }), 'cells.0.value');
  assert.equal(argumentOf({ ...t, publishedTotals: [{}] }), 'publishedTotals.0');
  const message = (() => {
    try {
      parseAggregateTable({ ...t, cells: [{ ...cells[0], value: 987654 }] });
    } catch (e) {
      return (e as Error).message + JSON.stringify((e as HygieError).details);
    }
    return '';
  })();
  assert.ok(!message.includes('987654'));
});

test('aggregate table: statistic rules (event counts, rates, contributions)', () => {
  const base: AggregateTable = {
    dimensions: ['sex'],
    measures: [
      { name: 'stays', statistic: 'event_count' },
      { name: 'cost', statistic: 'sum' },
      { name: 'incidence', statistic: 'rate' },
    ],
    margins: [],
    cells: [],
  };
  const ok = (cells: unknown[]) => argumentOf({ ...base, cells });
  assert.equal(
    ok([{ strata: { sex: 'F' }, measure: 'stays', value: 40, persons: 12 }]),
    'accepted',
  );
  assert.equal(
    ok([{ strata: { sex: 'F' }, measure: 'stays', value: 4, persons: 12 }]),
    'cells.0.value',
  );
  assert.equal(
    ok([{ strata: { sex: 'F' }, measure: 'incidence', value: 0.1, persons: 12 }]),
    'cells.0.rate',
  );
  assert.equal(
    ok([
      {
        strata: { sex: 'F' },
        measure: 'incidence',
        value: 10,
        persons: 12,
        rate: { numerator: 12, denominator: 120, per: 100 },
      },
    ]),
    'accepted',
  );
  const cost = { strata: { sex: 'F' }, measure: 'cost', value: 100, persons: 12 };
  assert.equal(ok([{ ...cost, contributions: { top: [50, 20], total: 100 } }]), 'accepted');
  assert.equal(
    ok([{ ...cost, contributions: { top: [20, 50], total: 100 } }]),
    'cells.0.contributions.top',
  );
  assert.equal(
    ok([{ ...cost, contributions: { top: [50], total: 100 } }]),
    'cells.0.contributions.top',
  );
  assert.equal(
    ok([{ ...cost, contributions: { top: [90, 80], total: 100 } }]),
    'cells.0.contributions.total',
  );
  assert.equal(
    argumentOf({ ...base, measures: [{ name: 'cost', statistic: 'sum', maxPerPerson: 3 }] }),
    'measures.0.maxPerPerson',
  );
});

test('positions: keys tell totals from nulls, order is canonical', () => {
  assert.notEqual(positionKey(dims, { sex: null }), positionKey(dims, {}));
  assert.equal(positionKey(dims, { age_band: 18, sex: 'F' }), '[["F"],[18]]');
  assert.equal(
    cellKey(dims, { strata: { sex: 'F' }, measure: 'persons', value: 1, persons: 1 }),
    'persons@[["F"],[]]',
  );
  const order: Strata[] = [{}, { sex: null }, { sex: 2 }, { sex: 10 }, { sex: 'A' }, { sex: 'B' }];
  const shuffled = [order[4], order[2], order[0], order[5], order[3], order[1]];
  shuffled.sort((a, b) => compareStrata(['sex'], a!, b!));
  assert.deepEqual(shuffled, order);
  const index = indexPositions(countTable(dims, interior));
  assert.deepEqual(index.positions[0]?.strata, {});
  assert.equal(index.positions.length, 12);
});

test('lines: rows and columns of a full 2-D cube, nearest grouping sets with partial margins', () => {
  const t = countTable(dims, interior);
  const lines = tableLines(t);
  // grand total × 2 directions, 2 sex totals, 3 age totals.
  assert.equal(lines.length, 2 + 2 + 3);
  assert.ok(lines.every((l) => l.total !== null));
  // Only a grand total: one line over the whole interior.
  const onlyGrand = countTable(dims, interior, [[]]);
  assert.deepEqual(
    tableLines(onlyGrand).map((l) => l.members.length),
    [6],
  );
  // No margins, the grand total published elsewhere: one line with a published total.
  const published = countTable(
    ['departement'],
    grid(['departement'], [['75', '92']], () => 30),
    [],
    [{}],
  );
  assert.deepEqual(tableLines(published), [{ members: ['[["75"]]', '[["92"]]'], total: null }]);
});
