import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EUROPE_2013_PER_100000 } from '@hygie/analytics';
import { departements } from '@hygie/reference';
import type { WarehouseEngine } from '@hygie/warehouse';
import {
  compileIndicatorSeries,
  computeIndicatorSeries,
  dropDenominator,
  fayFeuerInterval,
  materialiseDenominator,
  seriesBuckets,
} from '../src/indicators/index.js';
import type { IndicatorRow, IndicatorSeriesOptions } from '../src/indicators/index.js';
import { influenzaWorld, loadWorld } from './indicators-world.js';

const WEEKS = { from: '2020-12-21', to: '2021-01-17' };
const LABELS = ['2020-W52', '2020-W53', '2021-W01', '2021-W02'];

function pick(rows: IndicatorRow[], area: string, key: 'cases' | 'population'): number[] {
  const mine = rows.filter((r) => r.area === area);
  assert.deepEqual(
    mine.map((r) => r.period),
    LABELS,
  );
  return mine.map((r) => r[key]);
}

/** Registers the series tests on an engine opened by `open` (a fresh, empty warehouse). */
export function indicatorSeriesSuite(name: string, open: () => Promise<WarehouseEngine>): void {
  describe(`indicator series on a tiny warehouse (${name})`, () => {
    let engine: WarehouseEngine;
    before(async () => {
      engine = await open();
      await loadWorld(engine, influenzaWorld());
    });
    after(async () => {
      await engine.close();
    });

    const influenza = (extra: Partial<IndicatorSeriesOptions> = {}): Promise<IndicatorRow[]> =>
      computeIndicatorSeries(engine, {
        indicator: { kind: 'syndrome', syndrome: 'influenza' },
        period: WEEKS,
        unit: 'isoweek',
        level: 'departement',
        purpose: 'surveillance',
        denominator: 'warehouse',
        ...extra,
      });

    it('labels ISO weeks across 2020-W53', () => {
      assert.deepEqual(
        seriesBuckets(WEEKS, 'isoweek').map((b) => b.label),
        LABELS,
      );
      assert.deepEqual(
        seriesBuckets({ from: '2024-01-15', to: '2024-03-01' }, 'month').map((b) => b.label),
        ['2024-01', '2024-02', '2024-03'],
      );
    });

    it('counts episodes once per window, by département, zero-filled', async () => {
      const rows = await influenza();
      assert.equal(rows.length, departements().length * 4);
      // 1: 29 Dec (W53), 5 Jan same episode. 6: secondary diagnosis and J189 not counted.
      assert.deepEqual(pick(rows, '75', 'cases'), [0, 1, 0, 0]);
      // 2: 22 Dec continues the episode of 15 Dec; the stay of 12 Jan is a new one.
      assert.deepEqual(pick(rows, '69', 'cases'), [0, 0, 0, 1]);
      // 3: Sunday 3 Jan 2021 is in 2020-W53.
      assert.deepEqual(pick(rows, '38', 'cases'), [0, 1, 0, 0]);
      // 4: surveillance-exempt opt-out, Monday 4 Jan 2021 = 2021-W01. 5: opted out of surveillance.
      assert.deepEqual(pick(rows, '13', 'cases'), [0, 0, 1, 0]);
      assert.deepEqual(pick(rows, '2A', 'cases'), [0, 0, 0, 0]);
      assert.deepEqual(pick(rows, '01', 'cases'), [0, 0, 0, 0]);
      // Persons observed in each week: 7 only 1–6 Jan, 8 dead on 5 Jan, 9 until 23 Dec.
      assert.deepEqual(pick(rows, '75', 'population'), [3, 4, 4, 2]);
      assert.deepEqual(pick(rows, '69', 'population'), [2, 1, 1, 1]);
      assert.deepEqual(pick(rows, '2A', 'population'), [0, 0, 0, 0]);
      const empty = rows.find((r) => r.area === '01');
      assert.equal(empty?.rate, null);
      // 1 case among 4 persons: 25,000 per 100,000, Garwood [0.0253, 5.5716] / 4.
      const paris = rows.find((r) => r.area === '75' && r.period === '2020-W53');
      assert.equal(paris?.rate, 25_000);
      assert.ok(Math.abs((paris?.lower ?? 0) - 0.025318 * 25_000) < 0.01);
      assert.ok(Math.abs((paris?.upper ?? 0) - 5.571643 * 25_000) < 0.1);
    });

    it('rolls départements up to régions and the nation', async () => {
      const regions = await influenza({ level: 'region' });
      assert.deepEqual(pick(regions, '84', 'cases'), [0, 1, 0, 1]);
      assert.deepEqual(pick(regions, '84', 'population'), [3, 2, 2, 2]);
      assert.deepEqual(pick(regions, '11', 'population'), [3, 4, 4, 2]);
      const nation = await influenza({ level: 'nation' });
      assert.equal(nation.length, 4);
      assert.deepEqual(pick(nation, 'FR', 'cases'), [0, 2, 1, 1]);
      assert.deepEqual(pick(nation, 'FR', 'population'), [7, 7, 7, 5]);
    });

    it('excludes every opted-out person from research', async () => {
      const nation = await influenza({ level: 'nation', purpose: 'research' });
      assert.deepEqual(pick(nation, 'FR', 'cases'), [0, 2, 0, 1]);
      assert.deepEqual(pick(nation, 'FR', 'population'), [6, 6, 6, 4]);
    });

    it('uses the INSEE population scaled by coverage by default', async () => {
      const rows = await influenza({ denominator: undefined });
      // Persons observed during the part of the ISO year the series covers.
      assert.deepEqual(pick(rows, '75', 'population'), [4, 4, 4, 4]);
      const paris = rows.find((r) => r.area === '75');
      const insee = departements().find((d) => d.code === '75')?.population ?? 0;
      assert.equal(paris?.inseePopulation, insee);
      assert.equal(paris?.coverage, 4 / insee);
    });

    it('reads only the chosen sources', async () => {
      const stays = await influenza({
        level: 'nation',
        indicator: { kind: 'syndrome', syndrome: 'influenza', sources: ['stay'] },
      });
      assert.deepEqual(pick(stays, 'FR', 'cases'), [0, 0, 0, 1]);
      // A window of 0 days: 2's 22 Dec consultation would be a new episode, 1's 5 Jan too.
      const noWindow = await influenza({
        level: 'nation',
        indicator: { kind: 'syndrome', syndrome: 'influenza', episodeDays: 0 },
      });
      assert.deepEqual(pick(noWindow, 'FR', 'cases'), [1, 2, 2, 1]);
    });

    it('reads dispensations of the syndrome’s drugs, in the same episodes', async () => {
      // Gastroenteritis: 1 through racecadotril alone, 6 through a consultation and racecadotril
      // the same day (one episode); both in Paris, W02.
      const gastro = await influenza({
        indicator: { kind: 'syndrome', syndrome: 'gastroenteritis' },
      });
      assert.deepEqual(pick(gastro, '75', 'cases'), [0, 0, 0, 2]);
      const consultations = await influenza({
        indicator: {
          kind: 'syndrome',
          syndrome: 'gastroenteritis',
          sources: ['consultation', 'stay'],
        },
      });
      assert.deepEqual(pick(consultations, '75', 'cases'), [0, 0, 0, 1]);
      // Influenza: oseltamivir alone sees 1's episode; with the consultation it is still one.
      const drugs = await influenza({
        level: 'nation',
        indicator: { kind: 'syndrome', syndrome: 'influenza', sources: ['dispensation'] },
      });
      assert.deepEqual(pick(drugs, 'FR', 'cases'), [0, 1, 0, 0]);
      const all = await influenza({ level: 'nation' });
      assert.deepEqual(pick(all, 'FR', 'cases'), [0, 2, 1, 1]);
    });

    it('counts hospitalisations by principal diagnosis and deaths by cause', async () => {
      const stays = await influenza({
        level: 'nation',
        indicator: { kind: 'hospitalisations', cause: { diagnoses: [{ code: 'J09-J18' }] } },
      });
      assert.deepEqual(pick(stays, 'FR', 'cases'), [0, 0, 0, 1]);
      const all = await influenza({ level: 'nation', indicator: { kind: 'deaths' } });
      assert.deepEqual(pick(all, 'FR', 'cases'), [1, 0, 1, 0]);
      const flu = await influenza({
        level: 'region',
        indicator: { kind: 'deaths', cause: { diagnoses: [{ code: 'J11' }] } },
      });
      assert.deepEqual(pick(flu, '11', 'cases'), [0, 0, 1, 0]);
      assert.deepEqual(pick(flu, '84', 'cases'), [0, 0, 0, 0]);
    });

    it('standardises by age and sex, by hand', async () => {
      const rows = await computeIndicatorSeries(engine, {
        indicator: { kind: 'syndrome', syndrome: 'influenza' },
        period: { from: '2021-01-01', to: '2021-01-31' },
        unit: 'month',
        level: 'nation',
        purpose: 'surveillance',
        denominator: 'warehouse',
        standardise: 'europe_2013',
      });
      assert.equal(rows.length, 1);
      const r = rows[0];
      // Cases in January: 1 (20 Jan, 15 days after 5 Jan), 2 (12 Jan), 3 (3 Jan), 4 (4 Jan).
      // Observed: 1, 2, 3, 4, 6, 7, 8. Strata (age reached in 2021): F40 {1, 7} 1 case,
      // M70 {2} 1, F0 {3} 1, M30 {4} 1, M40 {6} 0, F80 {8} 0.
      assert.equal(r?.cases, 4);
      assert.equal(r?.population, 7);
      const w = (band: number): number => (EUROPE_2013_PER_100000[band / 5] ?? 0) / 200_000;
      const dsr = w(40) / 2 + w(70) + w(0) + w(30);
      assert.ok(Math.abs(dsr - 0.1) < 1e-12);
      assert.ok(Math.abs((r?.standardisedRate ?? 0) - 10_000) < 1e-6);
      const variance = w(40) ** 2 / 4 + w(70) ** 2 + w(0) ** 2 + w(30) ** 2;
      const ci = fayFeuerInterval({ rate: dsr, variance, maxWeight: w(40) });
      assert.ok(Math.abs((r?.standardisedLower ?? 0) - ci.lower * 1e5) < 1e-6);
      assert.ok(Math.abs((r?.standardisedUpper ?? 0) - ci.upper * 1e5) < 1e-6);
      assert.ok(ci.lower * 1e5 < 10_000 && ci.upper * 1e5 > 10_000);
    });

    it('reads denominators from a materialised table with the same result', async () => {
      for (const [unit, level] of [
        ['isoweek', 'departement'],
        ['month', 'nation'],
      ] as const) {
        const options = { period: WEEKS, unit, level, purpose: 'surveillance' } as const;
        await materialiseDenominator(engine, options, 'hygie_scratch_den_test');
        try {
          for (const indicator of [
            { kind: 'syndrome', syndrome: 'influenza' },
            { kind: 'deaths' },
          ] as const) {
            const direct = await computeIndicatorSeries(engine, {
              ...options,
              indicator,
              standardise: 'france_2020',
            });
            const read = await computeIndicatorSeries(engine, {
              ...options,
              indicator,
              standardise: 'france_2020',
              denominatorTable: 'hygie_scratch_den_test',
            });
            // Equal up to the order of floating-point sums (PostgreSQL may aggregate otherwise).
            const round = (rows: IndicatorRow[]): unknown =>
              JSON.parse(
                JSON.stringify(rows, (_k, v: unknown) =>
                  typeof v === 'number' ? Number(v.toPrecision(12)) : v,
                ),
              );
            assert.deepEqual(round(read), round(direct));
            assert.ok(direct.some((r) => r.population > 0));
          }
        } finally {
          await dropDenominator(engine, 'hygie_scratch_den_test');
        }
      }
      await assert.rejects(
        () =>
          computeIndicatorSeries(engine, {
            indicator: { kind: 'deaths' },
            period: WEEKS,
            unit: 'month',
            level: 'nation',
            purpose: 'surveillance',
            denominatorTable: 'den; DROP TABLE person',
          }),
        /table name/,
      );
    });

    it('binds every value as a parameter', () => {
      const c = compileIndicatorSeries(
        {
          indicator: { kind: 'syndrome', syndrome: 'influenza' },
          period: WEEKS,
          unit: 'isoweek',
          level: 'departement',
          purpose: 'research',
          filters: { departements: ['75'] },
        },
        engine.dialect,
      );
      assert.ok(!c.sql.includes('2020-12-21'));
      assert.ok(!c.sql.includes("'J11'"));
      assert.ok(!c.sql.includes('W52'));
      const highest = Math.max(...[...c.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
      assert.equal(highest, c.params.length);
    });
  });
}
