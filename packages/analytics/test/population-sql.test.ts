/** The population compiler: each filter on its boundaries, opt-outs, parameters only. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HygieError, ageInYears, epochDay } from '@hygie/core';
import type { Period, PopulationFilters } from '@hygie/core';
import { migrate, openInMemoryWarehouse } from '@hygie/warehouse';
import type { WarehouseEngine } from '@hygie/warehouse';
import {
  birthMonthBounds,
  compilePopulation,
  compilePopulationCount,
  compilePopulationMembership,
} from '../src/population-sql.js';
import type { PopulationPurpose } from '../src/population-sql.js';
import {
  ASTHMA,
  DIABETES,
  FEMALE,
  MALE,
  ORPHAN,
  PERIOD,
  T2D,
  T2D_COMPLICATED,
  UNKNOWN_SEX,
  insertPersons,
  seedReference,
} from './population-fixture.js';
import type { FixturePerson } from './population-fixture.js';

/** Person ids past 2^53, as the pseudonymisation makes them. */
const BASE = 4_000_000_000_000_000_000n;
const id = (n: number): bigint => BASE + BigInt(n);

/** Named persons for the filters other than age (all born 1970, inside any age test below). */
const NAMED: FixturePerson[] = [
  { id: id(1), gender: FEMALE, year: 1970, month: 3, location: 1 },
  { id: id(2), gender: MALE, year: 1970, month: 3, location: 2 },
  { id: id(3), gender: UNKNOWN_SEX, year: 1970, month: 3, location: 3 },
  { id: id(4), gender: FEMALE, year: 1970, month: null, location: 4 },
  { id: id(5), gender: MALE, year: 1970, month: 3, location: 5 },
  { id: id(6), gender: FEMALE, year: 1970, month: 3, location: null },
  {
    id: id(10),
    gender: FEMALE,
    year: 1970,
    month: 3,
    location: 1,
    conditions: [[DIABETES, '2015-06-01']],
  },
  {
    id: id(11),
    gender: MALE,
    year: 1970,
    month: 3,
    location: 1,
    conditions: [[T2D, '2022-12-31']],
  },
  {
    id: id(12),
    gender: MALE,
    year: 1970,
    month: 3,
    location: 2,
    conditions: [[T2D, '2023-01-01']],
  },
  {
    id: id(13),
    gender: FEMALE,
    year: 1970,
    month: 3,
    location: 2,
    conditions: [[T2D_COMPLICATED, '2021-05-05']],
  },
  {
    id: id(14),
    gender: FEMALE,
    year: 1970,
    month: 3,
    location: 3,
    conditions: [[ASTHMA, '2020-02-02']],
  },
  {
    id: id(15),
    gender: MALE,
    year: 1970,
    month: 3,
    location: 4,
    conditions: [[ORPHAN, '2020-02-02']],
  },
  {
    id: id(16),
    gender: MALE,
    year: 1970,
    month: 3,
    location: 4,
    conditions: [
      [ASTHMA, '2024-01-01'],
      [T2D_COMPLICATED, '2022-01-01'],
    ],
  },
];

/** Everyone born 1950–1990, each month and with an unknown month (ids from 1000). */
const AGES: FixturePerson[] = [];
for (let year = 1950; year <= 1990; year++) {
  for (const month of [null, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
    AGES.push({ id: id(1000 + AGES.length), gender: FEMALE, year, month, location: 1 });
  }
}

let warehouse: WarehouseEngine;
before(async () => {
  warehouse = await openInMemoryWarehouse();
  await migrate(warehouse);
  await seedReference(warehouse);
  await insertPersons(warehouse, [...NAMED, ...AGES]);
});
after(async () => {
  await warehouse.close();
});

async function members(
  filters: PopulationFilters,
  purpose: PopulationPurpose = 'research',
  period: Period = PERIOD,
): Promise<Set<bigint>> {
  const q = compilePopulation({ filters, period, purpose }, warehouse.dialect);
  const rows = await warehouse.query<{ person_id: number | bigint }>(q.sql, q.params);
  return new Set(rows.map((r) => BigInt(r.person_id)));
}

/** The named persons (ids below 1000) among `set`, as small numbers, sorted. */
function named(set: Set<bigint>): number[] {
  return [...set]
    .map((x) => Number(x - BASE))
    .filter((n) => n < 1000)
    .sort((a, b) => a - b);
}

test('no filter: everyone', async () => {
  assert.equal((await members({})).size, NAMED.length + AGES.length);
});

test('age range: the ages held during the period overlap the range (brute force over birth months)', async () => {
  const ranges = [
    { min: 40, max: 60 },
    { min: 0, max: 0 },
    { min: 33, max: 33 },
    { min: 65, max: 130 },
    { min: 0, max: 30 },
  ];
  const periods: Period[] = [PERIOD, { from: '2021-07-15', to: '2021-07-15' }];
  for (const period of periods) {
    const [fy, fm, fd] = period.from.split('-').map(Number) as [number, number, number];
    const [ty, tm, td] = period.to.split('-').map(Number) as [number, number, number];
    for (const ageRange of ranges) {
      const got = await members({ ageRange }, 'research', period);
      for (const p of AGES) {
        // The oracle: birth on the first of the month, 1 July when the month is unknown.
        const birth = epochDay(p.year, p.month ?? 7, 1);
        const expected =
          ageInYears(birth, epochDay(ty, tm, td)) >= ageRange.min &&
          ageInYears(birth, epochDay(fy, fm, fd)) <= ageRange.max;
        assert.equal(
          got.has(p.id),
          expected,
          `${p.year}-${p.month ?? '??'} for ${ageRange.min}–${ageRange.max} in ${period.from}…${period.to}`,
        );
      }
    }
  }
});

test('age range: the boundaries written out', async () => {
  // 40–60 during 2020-01-01…2022-12-31: born 1959-02 is 60 on 2020-01-01 (in), born 1959-01 is
  // already 61 (out); born 1982-12 turns 40 on 2022-12-01 (in), born 1983-01 is 39 (out).
  assert.deepEqual(birthMonthBounds({ min: 40, max: 60 }, PERIOD), {
    lowest: 1959 * 12 + 1,
    highest: 1982 * 12 + 11,
  });
  const got = await members({ ageRange: { min: 40, max: 60 } });
  const born = (year: number, month: number | null) =>
    AGES.find((p) => p.year === year && p.month === month)?.id ?? -1n;
  assert.ok(got.has(born(1959, 2)));
  assert.ok(!got.has(born(1959, 1)));
  assert.ok(got.has(born(1982, 12)));
  assert.ok(!got.has(born(1983, 1)));
  // Unknown month = 1 July: 1959 is in (1959-07), 1958 out; 1982 in, 1983 out.
  assert.ok(got.has(born(1959, null)));
  assert.ok(!got.has(born(1958, null)));
  assert.ok(got.has(born(1982, null)));
  assert.ok(!got.has(born(1983, null)));
});

test('sex: by gender concept; an unknown sex is outside any sex filter', async () => {
  assert.deepEqual(named(await members({ sex: ['female'] })), [1, 4, 6, 10, 13, 14]);
  assert.deepEqual(named(await members({ sex: ['male'] })), [2, 5, 11, 12, 15, 16]);
  assert.deepEqual(
    named(await members({ sex: ['female', 'male'] })),
    [1, 2, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16],
  );
});

test('départements and régions: by location; both given, both must hold; no location, no match', async () => {
  const nonAges = (s: Set<bigint>) => named(s);
  assert.deepEqual(nonAges(await members({ departements: ['75'] })), [1, 5, 10, 11]);
  assert.deepEqual(nonAges(await members({ departements: ['2A', '13'] })), [3, 4, 14, 15, 16]);
  assert.deepEqual(nonAges(await members({ regions: ['84'] })), [2, 5, 12, 13]);
  assert.deepEqual(nonAges(await members({ departements: ['75'], regions: ['84'] })), [5]);
  assert.deepEqual(nonAges(await members({ departements: ['971'] })), []);
  assert.ok(!(await members({ regions: ['11'] })).has(id(6)));
});

test('conditions: any concept set, descendants included, the concept itself without a reflexive row, started by the end of the period', async () => {
  const set = (name: string, ...conceptIds: number[]) => ({ name, conceptIds });
  // DIABETES has a reflexive row; T2D and ORPHAN have none.
  assert.deepEqual(
    named(await members({ conditions: [set('diabetes', DIABETES)] })),
    [10, 11, 13, 16],
  );
  assert.deepEqual(named(await members({ conditions: [set('t2d', T2D)] })), [11, 13, 16]);
  assert.deepEqual(named(await members({ conditions: [set('orphan', ORPHAN)] })), [15]);
  assert.deepEqual(
    named(await members({ conditions: [set('t2d', T2D), set('asthma', ASTHMA)] })),
    [11, 13, 14, 16],
  );
  // Started on period.to: in (11); the day after: out (12); before the period: in (10).
  assert.ok((await members({ conditions: [set('diabetes', DIABETES)] })).has(id(11)));
  assert.ok(!(await members({ conditions: [set('diabetes', DIABETES)] })).has(id(12)));
  assert.deepEqual(
    named(
      await members({ conditions: [set('t2d', T2D)] }, 'research', {
        from: '2020-01-01',
        to: '2021-12-31',
      }),
    ),
    [13],
  );
});

test('filters combine with AND', async () => {
  assert.deepEqual(
    named(
      await members({
        sex: ['male'],
        departements: ['75', '69'],
        conditions: [{ name: 'diabetes', conceptIds: [DIABETES] }],
        ageRange: { min: 40, max: 60 },
      }),
    ),
    [11],
  );
});

test('opt-outs: every one excluded for research; for surveillance only those not exempt', async () => {
  await warehouse.appendRows(
    'hygie_opt_out',
    ['person_id', 'surveillance_excluded', 'since'],
    [
      [id(1), true, '2026-01-01T00:00:00.000Z'],
      [id(2), false, '2026-01-02T00:00:00.000Z'],
    ],
  );
  try {
    const research = await members({ departements: ['75', '69'] }, 'research');
    assert.deepEqual(named(research), [5, 10, 11, 12, 13]);
    const surveillance = await members({ departements: ['75', '69'] }, 'surveillance');
    assert.deepEqual(named(surveillance), [2, 5, 10, 11, 12, 13]);
    const q = compilePopulationCount(
      { filters: {}, period: PERIOD, purpose: 'research' },
      warehouse.dialect,
    );
    const [row] = await warehouse.query<{ n: number }>(q.sql, q.params);
    assert.equal(row?.n, NAMED.length + AGES.length - 2);
  } finally {
    await warehouse.execute('DELETE FROM hygie_opt_out');
  }
});

test('values travel as parameters; concept ids are checked integers; placeholders can start later', async () => {
  const hostile = "75' OR '1'='1";
  const q = compilePopulation(
    {
      filters: { departements: [hostile], regions: ['84'] },
      period: PERIOD,
      purpose: 'research',
    },
    warehouse.dialect,
  );
  assert.ok(!q.sql.includes(hostile) && !q.sql.includes("'84'"));
  assert.deepEqual(q.params, [hostile, '84']);
  assert.equal((await warehouse.query(q.sql, q.params)).length, 0);
  assert.throws(
    () =>
      compilePopulation(
        {
          filters: {
            conditions: [{ name: 'x', conceptIds: [1, '1) OR (1=1' as unknown as number] }],
          },
          period: PERIOD,
          purpose: 'research',
        },
        warehouse.dialect,
      ),
    (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT',
  );
  // Embedded as a CTE after a parameter of the enclosing statement.
  const cte = compilePopulation(
    { filters: { departements: ['75'], sex: ['male'] }, period: PERIOD, purpose: 'research' },
    warehouse.dialect,
    { firstParam: 2 },
  );
  assert.match(cte.sql, /\$2/);
  assert.doesNotMatch(cte.sql, /\$1\b/);
  const [row] = await warehouse.query<{ n: number }>(
    `WITH population AS (${cte.sql}) SELECT count(*) AS n FROM population WHERE person_id <> $1`,
    [id(5), ...cte.params],
  );
  assert.equal(row?.n, 1); // 5 and 11 are male in 75; 5 is left out by $1
});

test('membership: which populations include one person, opt-out not applied', async () => {
  await warehouse.appendRows(
    'hygie_opt_out',
    ['person_id', 'surveillance_excluded'],
    [[id(11), true]],
  );
  try {
    const populations = [
      { filters: { departements: ['75'] }, period: PERIOD },
      { filters: { sex: ['female' as const] }, period: PERIOD },
      { filters: { conditions: [{ name: 'd', conceptIds: [DIABETES] }] }, period: PERIOD },
      { filters: {}, period: PERIOD },
    ];
    const q = compilePopulationMembership(id(11), populations, warehouse.dialect);
    const rows = await warehouse.query<{ k: number }>(q.sql, q.params);
    assert.deepEqual(rows.map((r) => r.k).sort(), [0, 2, 3]);
    const none = compilePopulationMembership(id(11), [], warehouse.dialect);
    assert.deepEqual(await warehouse.query(none.sql, none.params), []);
  } finally {
    await warehouse.execute('DELETE FROM hygie_opt_out');
  }
});
