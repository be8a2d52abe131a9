import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Rng,
  auditLinearSystem,
  indexPositions,
  positionKey,
  primarySensitivePositions,
  secondarySuppression,
  withSuppressed,
} from '../src/index.js';
import type { AggregateTable, Strata } from '../src/index.js';
import { checkDerivability, countTable, grid, linesWithOneWithheld } from './disclosure-helpers.js';

const k = { minCellSize: 10, suppressZero: false };

/** Primary then secondary suppression; the withheld position keys. */
function protect(table: AggregateTable): { withheld: Set<string>; audit: string } {
  const primary = withSuppressed(new Map(), primarySensitivePositions(table, k), 'primary');
  const result = secondarySuppression(table, primary);
  return { withheld: new Set(result.pattern.keys()), audit: result.audit };
}

function assertProtected(table: AggregateTable, withheld: ReadonlySet<string>): void {
  assert.equal(linesWithOneWithheld(table, withheld), 0, 'a line has exactly one withheld cell');
  for (const d of checkDerivability(table, withheld)) {
    assert.equal(d.determined, false, `derivable: ${JSON.stringify(d.strata)}`);
    assert.equal(d.twoCompletions, true, `one completion only: ${JSON.stringify(d.strata)}`);
  }
}

const key = (dims: readonly string[], s: Strata) => positionKey(dims, s);

test('secondary: 2×3 table with margins, one small cell', () => {
  const dims = ['sex', 'age_band'];
  const counts: Record<string, number> = { F0: 5, F18: 40, F65: 30, M0: 25, M18: 35, M65: 50 };
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
  const { withheld, audit } = protect(table);
  assert.equal(audit, 'complete');
  // The small cell, the smallest other cell of its row and of its column, and the fourth corner.
  assert.deepEqual(
    [...withheld].sort(),
    [
      key(dims, { sex: 'F', age_band: 0 }),
      key(dims, { sex: 'F', age_band: 65 }),
      key(dims, { sex: 'M', age_band: 0 }),
      key(dims, { sex: 'M', age_band: 65 }),
    ].sort(),
  );
  assertProtected(table, withheld);
  // Without secondary suppression the checker does find the cell.
  const alone = new Set([key(dims, { sex: 'F', age_band: 0 })]);
  assert.equal(checkDerivability(table, alone)[0]?.determined, true);
});

test('secondary: ties are broken by the canonical order, deterministically', () => {
  const dims = ['g'];
  const table = countTable(
    dims,
    [
      [{ g: 'c' }, 20],
      [{ g: 'a' }, 3],
      [{ g: 'b' }, 20],
    ],
    [[]],
  );
  const first = protect(table).withheld;
  assert.deepEqual([...first].sort(), [key(dims, { g: 'a' }), key(dims, { g: 'b' })].sort());
  for (let i = 0; i < 3; i++) assert.deepEqual(protect(table).withheld, first);
});

test('secondary: a margin below k is withheld with its line, not only interior cells', () => {
  const dims = ['sex', 'region'];
  // Region 94 has 4 + 3 = 7 persons: both cells and the region total are primary.
  const counts: Record<string, number> = { F11: 40, F94: 4, F84: 25, M11: 38, M94: 3, M84: 22 };
  const table = countTable(
    dims,
    grid(
      dims,
      [
        ['F', 'M'],
        ['11', '94', '84'],
      ],
      (s) => counts[`${s.sex}${s.region}`] as number,
    ),
  );
  const { withheld } = protect(table);
  assert.ok(withheld.has(key(dims, { region: '94' })));
  assertProtected(table, withheld);
});

test('secondary: 3-D tables with every margin', () => {
  const dims = ['sex', 'age_band', 'year'];
  const values = [
    ['F', 'M'],
    [0, 18, 65],
    [2020, 2021],
  ];
  // Several small cells scattered through the cube.
  const small = new Set([0, 7, 11]);
  const table = countTable(
    dims,
    grid(dims, values, (_, i) => (small.has(i) ? 2 + i : 15 + ((i * 7) % 23))),
  );
  const { withheld, audit } = protect(table);
  assert.equal(audit, 'complete');
  assert.ok(withheld.size > small.size);
  assertProtected(table, withheld);
});

test('secondary: cascading through a long 2-D table', () => {
  const dims = ['departement', 'age_band'];
  const deps = ['01', '02', '03', '04', '05', '06'];
  const bands = [0, 18, 40, 65, 80];
  // A diagonal of small cells forces complements that cascade along rows and columns.
  const table = countTable(
    dims,
    grid(dims, [deps, bands], (s, i) =>
      deps.indexOf(s.departement as string) === bands.indexOf(s.age_band as number)
        ? 1 + (i % 5)
        : 12 + ((i * 5) % 17),
    ),
  );
  const { withheld } = protect(table);
  assertProtected(table, withheld);
});

test('secondary: a 1-D table without margins but with a total published elsewhere', () => {
  const dims = ['departement'];
  const interior = grid(dims, [['75', '92', '93', '94']], (s) =>
    s.departement === '92' ? 4 : 30 + Number(s.departement) - 90,
  );
  const table = countTable(dims, interior, [], [{}]);
  const { withheld } = protect(table);
  assert.equal(withheld.size, 2);
  assertProtected(table, withheld);
  // The same table with no total anywhere: nothing to recompute from, nothing more withheld.
  assert.equal(protect(countTable(dims, interior, [])).withheld.size, 1);
});

test('secondary: zero cells are not taken as complements while others remain', () => {
  const dims = ['g'];
  const table = countTable(
    dims,
    [
      [{ g: 'a' }, 3],
      [{ g: 'b' }, 0],
      [{ g: 'c' }, 40],
      [{ g: 'd' }, 50],
    ],
    [[]],
  );
  const { withheld } = protect(table);
  assert.ok(withheld.has(key(dims, { g: 'c' })));
  assert.ok(!withheld.has(key(dims, { g: 'b' })));
  assertProtected(table, withheld);
});

test('secondary: the exact audit catches what the line rule misses (a bridge between blocks)', () => {
  // Two 2×2 blocks of withheld cells joined by one more: every line has 0 or ≥ 2 withheld cells,
  // yet the joining cell is determined.
  const dims = ['r', 'c'];
  const rows = ['r1', 'r2', 'r3', 'r4', 'r5'];
  const cols = ['c1', 'c2', 'c3', 'c4', 'c5'];
  const table = countTable(
    dims,
    grid(dims, [rows, cols], (_, i) => 20 + i),
  );
  const pattern = new Map<string, 'primary'>();
  for (const [r, c] of <[string, string][]>[
    ['r1', 'c1'],
    ['r1', 'c2'],
    ['r2', 'c1'],
    ['r2', 'c2'],
    ['r3', 'c3'],
    ['r3', 'c4'],
    ['r4', 'c3'],
    ['r4', 'c4'],
    ['r2', 'c3'],
  ]) {
    pattern.set(key(dims, { r, c }), 'primary');
  }
  const lineOnly = secondarySuppression(table, pattern, { exactAudit: false });
  assert.deepEqual(lineOnly.added, []);
  const bridge = checkDerivability(table, new Set(lineOnly.pattern.keys())).find(
    (d) => d.strata.r === 'r2' && d.strata.c === 'c3',
  );
  assert.equal(bridge?.determined, true);
  const audited = secondarySuppression(table, pattern);
  assert.ok(audited.added.length >= 1);
  assert.equal(audited.audit, 'complete');
  assertProtected(table, new Set(audited.pattern.keys()));
});

test('secondary: a lone cell under a total published elsewhere is reported unprotectable', () => {
  const table = countTable(['g'], [[{ g: 'a' }, 4]], [], [{}]);
  const primary = withSuppressed(new Map(), primarySensitivePositions(table, k), 'primary');
  const result = secondarySuppression(table, primary);
  assert.deepEqual(result.unprotectable, [indexPositions(table).positions[0]?.key]);
});

test('linear audit: determined unknowns, components and the size limit', () => {
  // x0 + x1 = a, x1 = b  → both determined; x2 + x3 = c → neither.
  const eqs = [
    { vars: [0, 1], coefs: [1, 1] },
    { vars: [1], coefs: [1] },
    { vars: [2, 3], coefs: [1, 1] },
  ];
  assert.deepEqual(auditLinearSystem(4, eqs).determined, [0, 1]);
  const limited = auditLinearSystem(4, eqs, 1);
  assert.equal(limited.skippedComponents, 2);
  assert.deepEqual(limited.determined, []);
});

test('secondary: random 3-D tables, checked exactly', () => {
  const dims = ['departement', 'sex', 'age_band'];
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const rng = Rng.from('secondary', seed);
    const table = countTable(
      dims,
      grid(
        dims,
        [
          ['01', '02', '03', '04', '05'],
          ['F', 'M'],
          [0, 18, 40, 65],
        ],
        () => (rng.chance(0.25) ? rng.range(0, 9) : rng.range(10, 60)),
      ),
    );
    const { withheld, audit } = protect(table);
    assert.equal(audit, 'complete');
    assertProtected(table, withheld);
  }
});
