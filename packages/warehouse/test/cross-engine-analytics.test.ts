/**
 * The same analytic SQL on DuckDB and PostgreSQL must give the same rows: the same synthetic CDM
 * data is appended to both, each query is written once with the dialect's functions
 * (`sql-functions.ts`) and run on both, and the results are compared — with each other, and with
 * values computed here in JavaScript, so that agreeing engines are also right.
 *
 * Where the raw SQL differs between the engines (and why a dialect method exists), the last test
 * pins it down: integer division (`7 / 2` is 3 on PostgreSQL, 3.5 on DuckDB), division by zero
 * (an error vs Infinity), `round(double, n)` (missing on PostgreSQL, binary rounding on DuckDB),
 * NULLs under `ORDER BY … DESC` (first on PostgreSQL, last on DuckDB). `date_trunc` (timestamptz
 * vs timestamp) and `EXTRACT` (numeric vs bigint) differ in type only, which the JS conversion
 * hides but comparisons and arithmetic inside SQL do not; month arithmetic and ISO week labels are
 * spelled differently (`make_interval`/`to_months`, `to_char`/`strftime`).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Rng,
  ageInYears,
  civilDate,
  epochDay,
  isHygieError,
  isoDate,
  isoWeek,
  isoWeekLabel,
  isoWeekday,
  parseIsoDate,
} from '@hygie/core';
import { withPgCluster } from '@hygie/test-support';
import { migrate, openInMemoryWarehouse, openPostgresWarehouse } from '../src/index.js';
import type { SqlDialect, SqlParam, SqlRow, WarehouseEngine } from '../src/index.js';

/** The synthetic data, generated once, appended identically to both engines. */
interface Dataset {
  persons: unknown[][];
  periods: unknown[][];
  conditions: unknown[][];
  measurements: unknown[][];
}

const PERSON_COLUMNS = [
  'person_id',
  'gender_concept_id',
  'year_of_birth',
  'month_of_birth',
  'race_concept_id',
  'ethnicity_concept_id',
];
const PERIOD_COLUMNS = [
  'observation_period_id',
  'person_id',
  'observation_period_start_date',
  'observation_period_end_date',
  'period_type_concept_id',
];
const CONDITION_COLUMNS = [
  'condition_occurrence_id',
  'person_id',
  'condition_concept_id',
  'condition_start_date',
  'condition_type_concept_id',
  'condition_source_value',
];
const MEASUREMENT_COLUMNS = [
  'measurement_id',
  'person_id',
  'measurement_concept_id',
  'measurement_date',
  'measurement_type_concept_id',
  'value_as_number',
];

const CODES = ['E11', 'I10', 'J10', 'e11'];

function dataset(): Dataset {
  const rng = Rng.from('cross-engine-analytics');
  const ids: (number | bigint)[] = Array.from({ length: 400 }, (_, i) =>
    i < 390 ? i + 1 : 2n ** 62n + BigInt(i),
  );
  const persons = ids.map((id) => [
    id,
    rng.int(2) === 0 ? 8507 : 8532,
    rng.range(1930, 2020),
    rng.int(10) === 0 ? null : rng.range(1, 12),
    0,
    0,
  ]);
  const periods = ids.map((id, i) => [
    i + 1,
    id,
    isoDate(epochDay(2015, 1, 1) + rng.int(5 * 365)),
    isoDate(epochDay(2022, 1, 1) + rng.int(4 * 365)),
    32817,
  ]);
  const first = epochDay(2019, 1, 1);
  const days = epochDay(2024, 12, 31) - first + 1;
  const conditions = Array.from({ length: 3000 }, (_, i) => [
    i + 1,
    ids[rng.int(ids.length)],
    [201826, 316866, 4329847, 0][i % 4],
    isoDate(first + rng.int(days)),
    32817,
    CODES[rng.int(CODES.length)],
  ]);
  const measurements = Array.from({ length: 2000 }, (_, i) => [
    i + 1,
    ids[rng.int(ids.length)],
    3004410,
    isoDate(first + rng.int(days)),
    32817,
    // Multiples of 0.5: sums are exact in binary, so engines summing in another order agree.
    rng.int(20) === 0 ? null : rng.range(80, 400) / 2,
  ]);
  return { persons, periods, conditions, measurements };
}

/** Dates around the edges of calendar periods (ISO weeks at year ends, leap days). */
const EDGE_DATES = [
  '1999-12-31',
  '2000-01-01',
  '2020-12-31',
  '2021-01-03',
  '2021-01-04',
  '2024-02-29',
  '2024-12-30',
  '2026-12-31',
  '2027-01-01',
];

function values(dates: readonly string[]): string {
  return `(VALUES ${dates.map((d) => `(DATE '${d}')`).join(', ')}) AS t(d)`;
}

await withPgCluster('analytics on DuckDB and PostgreSQL', (cluster) => {
  describe('the same analytic SQL on DuckDB and PostgreSQL', () => {
    const data = dataset();
    let duck: WarehouseEngine;
    let pg: WarehouseEngine;

    before(async () => {
      duck = await openInMemoryWarehouse();
      pg = await openPostgresWarehouse({
        connectionString: await cluster.createDatabase('hygie_analytics'),
      });
      for (const engine of [duck, pg]) {
        await migrate(engine);
        await engine.appendRows('person', PERSON_COLUMNS, data.persons);
        await engine.appendRows('observation_period', PERIOD_COLUMNS, data.periods);
        await engine.appendRows('condition_occurrence', CONDITION_COLUMNS, data.conditions);
        await engine.appendRows('measurement', MEASUREMENT_COLUMNS, data.measurements);
      }
    });
    after(async () => {
      await duck?.close();
      await pg?.close();
    });

    /** Runs the query built for each engine's dialect; both must return the same rows. */
    async function onBoth(
      build: (d: SqlDialect) => string,
      params: readonly SqlParam[] = [],
    ): Promise<SqlRow[]> {
      const fromDuck = await duck.query(build(duck.dialect), params);
      const fromPg = await pg.query(build(pg.dialect), params);
      assert.deepEqual(fromPg, fromDuck);
      return fromDuck;
    }

    test('calendar periods: starts, labels and parts, ISO weeks across year ends', async () => {
      const rows = await onBoth(
        (d) =>
          `SELECT d, ${d.dateTrunc('year', 'd')} AS y, ${d.dateTrunc('quarter', 'd')} AS q,
                  ${d.dateTrunc('month', 'd')} AS m, ${d.dateTrunc('week', 'd')} AS w,
                  ${d.dateTrunc('day', 'd')} AS day,
                  ${d.periodLabel('year', 'd')} AS y_label, ${d.periodLabel('quarter', 'd')} AS q_label,
                  ${d.periodLabel('month', 'd')} AS m_label, ${d.periodLabel('week', 'd')} AS w_label,
                  ${d.periodLabel('day', 'd')} AS d_label,
                  ${d.datePart('year', 'd')} AS year, ${d.datePart('quarter', 'd')} AS quarter,
                  ${d.datePart('month', 'd')} AS month, ${d.datePart('day', 'd')} AS dom,
                  ${d.datePart('isoyear', 'd')} AS isoyear, ${d.datePart('isoweek', 'd')} AS isoweek,
                  ${d.datePart('isodow', 'd')} AS isodow
           FROM ${values(EDGE_DATES)} ORDER BY d`,
      );
      const expected = EDGE_DATES.map((text) => {
        const day = parseIsoDate(text);
        const { year, month, day: dom } = civilDate(day);
        const quarter = Math.floor((month - 1) / 3) + 1;
        const week = isoWeek(day);
        const mm = String(month).padStart(2, '0');
        return {
          d: text,
          y: `${year}-01-01`,
          q: isoDate(epochDay(year, quarter * 3 - 2, 1)),
          m: `${year}-${mm}-01`,
          w: isoDate(day - isoWeekday(day) + 1),
          day: text,
          y_label: String(year),
          q_label: `${year}-Q${quarter}`,
          m_label: `${year}-${mm}`,
          w_label: isoWeekLabel(day),
          d_label: text,
          year,
          quarter,
          month,
          dom,
          isoyear: week.year,
          isoweek: week.week,
          isodow: isoWeekday(day),
        };
      });
      assert.deepEqual(rows, expected);
      assert.equal(rows.find((r) => r['d'] === '2021-01-03')?.['w_label'], '2020-W53');
    });

    test('date arithmetic: days, months clamped at month ends, differences', async () => {
      const cases: [string, number][] = [
        ['2024-01-31', 1],
        ['2023-01-31', 1],
        ['2024-03-31', -1],
        ['2024-02-29', 12],
        ['2024-12-15', -365],
        ['2000-02-29', 0],
      ];
      const rows = await onBoth(
        (d) =>
          `SELECT d, n, ${d.addDays('d', 'n')} AS plus_days, ${d.addDays('d', -30)} AS minus_30,
                  ${d.addDays('d', d.placeholder(1))} AS plus_param,
                  ${d.addMonths('d', 'n')} AS plus_months, ${d.addMonths('d', 1)} AS next_month,
                  ${d.dateDiffDays("DATE '2024-01-01'", 'd')} AS since_2024,
                  ${d.dateDiffDays('d', d.addDays('d', 'n'))} AS back
           FROM (VALUES ${cases.map(([t, n]) => `(DATE '${t}', ${n})`).join(', ')}) AS t(d, n)
           ORDER BY d, n`,
        [45],
      );
      const addMonths = (day: number, n: number): string => {
        const c = civilDate(day);
        const index = c.year * 12 + (c.month - 1) + n;
        const [y, m] = [Math.floor(index / 12), (index % 12) + 1];
        const last = epochDay(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1;
        return isoDate(Math.min(epochDay(y, m, 1) + c.day - 1, last));
      };
      const expected = [...cases]
        .sort(([a, n], [b, m]) => (a < b ? -1 : a > b ? 1 : n - m))
        .map(([text, n]) => {
          const day = parseIsoDate(text);
          return {
            d: text,
            n,
            plus_days: isoDate(day + n),
            minus_30: isoDate(day - 30),
            plus_param: isoDate(day + 45),
            plus_months: addMonths(day, n),
            next_month: addMonths(day, 1),
            since_2024: day - epochDay(2024, 1, 1),
            back: n,
          };
        });
      assert.deepEqual(rows, expected);
    });

    test('ages from year and month of birth (the 1st of the month; unknown month: the year)', async () => {
      const at = '2024-06-15';
      const rows = await onBoth(
        (d) =>
          `SELECT person_id, ${d.ageYears('year_of_birth', 'month_of_birth', `DATE '${at}'`)} AS age,
                  ${d.intDiv(d.ageYears('year_of_birth', 'month_of_birth', `DATE '${at}'`), 5)} * 5 AS band
           FROM person ORDER BY person_id`,
      );
      const expected = data.persons
        .map(([id, , yob, mob]) => {
          const age =
            mob === null
              ? 2024 - (yob as number)
              : ageInYears(epochDay(yob as number, mob as number, 1), parseIsoDate(at));
          return { person_id: id, age, band: Math.trunc(age / 5) * 5 };
        })
        .sort((a, b) => (BigInt(a.person_id as number) < BigInt(b.person_id as number) ? -1 : 1));
      assert.deepEqual(rows, expected);
    });

    test('monthly counts with window functions; first event per person', async () => {
      const monthly = await onBoth(
        (d) =>
          `WITH monthly AS (
             SELECT ${d.dateTrunc('month', 'condition_start_date')} AS m, count(*) AS n,
                    count(DISTINCT person_id) AS persons
             FROM condition_occurrence GROUP BY 1)
           SELECT m, n, persons,
                  sum(n) OVER (ORDER BY m ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
                  lag(n) OVER (ORDER BY m) AS previous,
                  rank() OVER (ORDER BY n DESC, m) AS busiest,
                  ${d.ratio('n', 'persons')} AS per_person
           FROM monthly ORDER BY m`,
      );
      assert.equal(monthly.length, 72);
      assert.equal(monthly.at(-1)?.['running'], data.conditions.length);
      assert.equal(monthly[0]?.['previous'], null);

      const firsts = await onBoth(
        (d) =>
          `SELECT person_id, condition_start_date AS first, ${d.periodLabel('week', 'condition_start_date')} AS week
           FROM (SELECT person_id, condition_start_date, row_number() OVER (
                   PARTITION BY person_id ORDER BY condition_start_date, condition_occurrence_id) AS rn
                 FROM condition_occurrence) t
           WHERE rn = 1 ORDER BY person_id`,
      );
      const expected = new Map<string, string>();
      for (const [, person, , date] of data.conditions) {
        const key = String(person);
        const seen = expected.get(key);
        if (seen === undefined || (date as string) < seen) expected.set(key, date as string);
      }
      assert.equal(firsts.length, expected.size);
      for (const row of firsts) {
        assert.equal(row['first'], expected.get(String(row['person_id'])));
        assert.equal(row['week'], isoWeekLabel(parseIsoDate(row['first'] as string)));
      }
      assert.ok(
        firsts.some((r) => typeof r['person_id'] === 'bigint'),
        'keys above 2^53 kept',
      );
    });

    test('zero-filled series from dateSeries (months and ISO weeks)', async () => {
      const months = await onBoth(
        (d) =>
          `SELECT s.period, ${d.periodLabel('month', 's.period')} AS label,
                  count(c.condition_occurrence_id) AS n
           FROM ${d.dateSeries("DATE '2018-11-01'", "DATE '2019-03-01'", 'month', 's', 'period')}
           LEFT JOIN condition_occurrence c
             ON ${d.dateTrunc('month', 'c.condition_start_date')} = s.period
           GROUP BY s.period ORDER BY s.period`,
      );
      assert.deepEqual(
        months.map((r) => [r['label'], r['n'] === 0]),
        [
          ['2018-11', true],
          ['2018-12', true],
          ['2019-01', false],
          ['2019-02', false],
          ['2019-03', false],
        ],
      );
      const weeks = await onBoth(
        (d) =>
          `SELECT s.w, ${d.periodLabel('week', 's.w')} AS label FROM
           ${d.dateSeries(d.dateTrunc('week', "DATE '2020-12-20'"), "DATE '2021-01-12'", 'week', 's', 'w')}
           ORDER BY s.w`,
      );
      assert.deepEqual(
        weeks.map((r) => r['label']),
        ['2020-W51', '2020-W52', '2020-W53', '2021-W01', '2021-W02'],
      );
    });

    test('integerSeries: one row per integer of each row range, none for an empty range', async () => {
      const rows = await onBoth(
        (d) =>
          `SELECT r.k, ${d.integerSeries('r.a', 'r.b')} AS i
           FROM (VALUES (1, 2, 4), (2, 5, 5), (3, 3, 2)) AS r(k, a, b)
           ORDER BY 1, 2`,
      );
      assert.deepEqual(
        rows.map((r) => [Number(r['k']), Number(r['i'])]),
        [
          [1, 2],
          [1, 3],
          [1, 4],
          [2, 5],
        ],
      );
    });

    test('prevalence and person-time by year: safe divisions, rounding, greatest/least', async () => {
      const rows = await onBoth(
        (d) =>
          `WITH years AS (
             SELECT y, ${d.cast(`CAST(y AS TEXT) || '-01-01'`, 'date')} AS y_start,
                    ${d.cast(`CAST(y AS TEXT) || '-12-31'`, 'date')} AS y_end
             FROM (VALUES (2019), (2020), (2021), (2022), (2023), (2024)) AS v(y)),
           observed AS (
             SELECT years.y, op.person_id,
                    ${d.dateDiffDays('greatest(op.observation_period_start_date, years.y_start)', 'least(op.observation_period_end_date, years.y_end)')} + 1 AS days
             FROM years JOIN observation_period op
               ON op.observation_period_start_date <= years.y_end
              AND op.observation_period_end_date >= years.y_start),
           cases AS (
             SELECT DISTINCT ${d.datePart('year', 'condition_start_date')} AS y, person_id
             FROM condition_occurrence WHERE condition_concept_id = 201826)
           SELECT o.y, count(*) AS observed, count(c.person_id) AS cases, sum(o.days) AS person_days,
                  ${d.round(d.ratio('count(c.person_id) * 100000', 'count(*)'), 2)} AS per_100k,
                  ${d.round(d.ratio('count(c.person_id) * 36525', 'sum(o.days)'), 4)} AS per_100_years,
                  ${d.intDiv('count(c.person_id)', 7)} AS weeks_of_cases,
                  ${d.intDiv('count(c.person_id)', 0)} AS by_zero,
                  ${d.ratio('count(c.person_id)', 0)} AS ratio_by_zero
           FROM observed o LEFT JOIN cases c ON c.y = o.y AND c.person_id = o.person_id
           GROUP BY o.y ORDER BY o.y`,
      );
      assert.equal(rows.length, 6);
      for (const r of rows) {
        const [observed, cases] = [r['observed'] as number, r['cases'] as number];
        assert.equal(r['per_100k'], Math.round((cases * 100000 * 100) / observed) / 100);
        assert.equal(r['weeks_of_cases'], Math.trunc(cases / 7));
        assert.equal(r['by_zero'], null);
        assert.equal(r['ratio_by_zero'], null);
        assert.equal(typeof r['person_days'], 'number');
      }
    });

    test('distributions: quantiles, mean and standard deviation by sex', async () => {
      const rows = await onBoth(
        (d) =>
          `SELECT p.gender_concept_id AS sex, count(*) AS n, count(m.value_as_number) AS valued,
                  avg(m.value_as_number) AS mean,
                  ${d.round('stddev_samp(m.value_as_number)', 6)} AS sd,
                  ${d.percentileCont(0.25, 'm.value_as_number')} AS q1,
                  ${d.percentileCont(0.5, 'm.value_as_number')} AS median,
                  ${d.percentileCont(0.75, 'm.value_as_number')} AS q3,
                  ${d.percentileDisc(0.9, 'm.value_as_number')} AS p90
           FROM measurement m JOIN person p ON p.person_id = m.person_id
           GROUP BY p.gender_concept_id ORDER BY sex`,
      );
      const sexOf = new Map(data.persons.map(([id, sex]) => [String(id), sex as number]));
      for (const r of rows) {
        const vals = data.measurements
          .filter(([, person, , , , v]) => sexOf.get(String(person)) === r['sex'] && v !== null)
          .map((m) => m[5] as number)
          .sort((a, b) => a - b);
        const cont = (p: number): number => {
          const pos = p * (vals.length - 1);
          const lo = vals[Math.floor(pos)] as number;
          const hi = vals[Math.ceil(pos)] as number;
          return lo + (hi - lo) * (pos - Math.floor(pos));
        };
        assert.equal(r['valued'], vals.length);
        assert.equal(r['mean'], vals.reduce((s, v) => s + v, 0) / vals.length);
        assert.equal(r['median'], cont(0.5));
        assert.equal(r['q1'], cont(0.25));
        assert.equal(r['q3'], cont(0.75));
        assert.equal(r['p90'], vals[Math.ceil(0.9 * vals.length) - 1]);
      }
    });

    test('ordered string aggregation, byte order of text, explicit NULL ordering', async () => {
      const agg = await onBoth(
        (d) =>
          `SELECT person_id, ${d.stringAgg('condition_source_value', '|', 'condition_start_date, condition_occurrence_id')} AS codes
           FROM condition_occurrence WHERE person_id <= 20 GROUP BY person_id ORDER BY person_id`,
      );
      for (const r of agg) {
        const codes = data.conditions
          .filter(([, p]) => p === r['person_id'])
          .sort((a, b) =>
            (a[3] as string) < (b[3] as string)
              ? -1
              : a[3] === b[3]
                ? (a[0] as number) - (b[0] as number)
                : 1,
          )
          .map((c) => c[5])
          .join('|');
        assert.equal(r['codes'], codes);
      }
      const ordered = await onBoth(
        (d) =>
          // An outer query: PostgreSQL wants a DISTINCT query's ORDER BY in its select list.
          `SELECT code FROM (SELECT DISTINCT condition_source_value AS code FROM condition_occurrence) t
           ORDER BY ${d.binaryOrder('code')}`,
      );
      assert.deepEqual(
        ordered.map((r) => r['code']),
        ['E11', 'I10', 'J10', 'e11'],
      );
      const months = await onBoth(
        () =>
          `SELECT month_of_birth FROM person
           ORDER BY month_of_birth DESC NULLS LAST, person_id LIMIT 400`,
      );
      assert.equal(months.at(-1)?.['month_of_birth'], null);
      assert.equal(months[0]?.['month_of_birth'], 12);
    });

    test('the raw differences the dialect methods exist for', async () => {
      const one = async (engine: WarehouseEngine, sql: string): Promise<unknown> =>
        Object.values((await engine.query(sql))[0] ?? {})[0];
      // Integer division.
      assert.equal(await one(pg, 'SELECT 7 / 2 AS q'), 3);
      assert.equal(await one(duck, 'SELECT 7 / 2 AS q'), 3.5);
      assert.equal(await one(duck, 'SELECT -7 // 2 AS q'), -3);
      assert.equal(await one(duck, 'SELECT 7.5 // 2 AS q'), 3.75, '// divides decimals');
      // Division by zero.
      await assert.rejects(pg.query('SELECT 1 / 0'), (e) => isHygieError(e, 'HYG_WAREHOUSE_ERROR'));
      assert.equal(await one(duck, 'SELECT 1 / 0 AS q'), Number.POSITIVE_INFINITY);
      assert.equal(await one(duck, 'SELECT 1 // 0 AS q'), null);
      // round(double, n).
      await assert.rejects(pg.query('SELECT round(CAST(1.005 AS DOUBLE PRECISION), 2)'), (e) =>
        isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
      );
      assert.equal(await one(duck, 'SELECT round(CAST(1.005 AS DOUBLE), 2) AS r'), 1);
      assert.equal(await one(duck, `SELECT ${duck.dialect.round('1.005', 2)} AS r`), 1.01);
      assert.equal(await one(pg, `SELECT ${pg.dialect.round('1.005', 2)} AS r`), 1.01);
      // NULLs under ORDER BY … DESC.
      const desc = 'SELECT x FROM (VALUES (1), (NULL), (2)) AS t(x) ORDER BY x DESC';
      assert.deepEqual(
        (await pg.query<{ x: number | null }>(desc)).map((r) => r.x),
        [null, 2, 1],
      );
      assert.deepEqual(
        (await duck.query<{ x: number | null }>(desc)).map((r) => r.x),
        [2, 1, null],
      );
      // Rounding half away from zero on the decimal value, on both.
      const rounding = await onBoth(
        (d) =>
          `SELECT ${d.round('x', 2)} AS r2, ${d.round('x', 0)} AS r0
           FROM (VALUES (0.285), (-2.5), (2.675), (1e20), (-0.004)) AS t(x) ORDER BY x`,
      );
      assert.deepEqual(rounding, [
        { r2: -2.5, r0: -3 },
        { r2: 0, r0: 0 },
        { r2: 0.29, r0: 0 },
        { r2: 2.68, r0: 3 },
        { r2: 1e20, r0: 1e20 },
      ]);
    });
  });
});
