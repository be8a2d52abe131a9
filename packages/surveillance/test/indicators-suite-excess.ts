import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WarehouseEngine } from '@hygie/warehouse';
import { computeExcessMortality } from '../src/indicators/index.js';
import { C, loadWorld, World } from './indicators-world.js';

/**
 * Ten Parisians observed 2019–2024. Deaths in ISO week 2: one in 2019-W02 (8 Jan 2019), two in
 * 2020-W02 (7 Jan 2020), three in 2021-W02 (12 Jan 2021).
 */
function deathWorld(): World {
  const w = new World();
  const deaths: Record<number, string> = {
    1: '2019-01-08',
    2: '2020-01-07',
    3: '2020-01-07',
    4: '2021-01-12',
    5: '2021-01-12',
    6: '2021-01-12',
  };
  for (let id = 1; id <= 10; id++) {
    const date = deaths[id];
    const person = w.person(id, 'F', 1930, 'paris', ['2019-01-01', date ?? '2024-12-31']);
    if (date !== undefined) person.death(date, C.I21);
  }
  return w;
}

/** Registers the excess mortality tests on an engine opened by `open`. */
export function excessMortalitySuite(name: string, open: () => Promise<WarehouseEngine>): void {
  describe(`excess mortality (${name})`, () => {
    let engine: WarehouseEngine;
    before(async () => {
      engine = await open();
      await loadWorld(engine, deathWorld());
    });
    after(async () => {
      await engine.close();
    });

    it('compares a week with the same week of earlier years, by hand', async () => {
      const rows = await computeExcessMortality(engine, {
        period: { from: '2021-01-11', to: '2021-01-17' },
        level: 'nation',
        purpose: 'surveillance',
        baselineYears: 2,
      });
      assert.equal(rows.length, 1);
      const r = rows[0];
      assert.equal(r?.period, '2021-W02');
      // Persons observed in the ISO year: 2019: 10, 2020: 9, 2021 (to 17 Jan): 7.
      assert.equal(r?.observed, 3);
      assert.equal(r?.population, 7);
      assert.equal(r?.baselineYears, 2);
      // r = (1 + 2) / (10 + 9); E = 7 · 3/19 = 21/19.
      const expected = 21 / 19;
      assert.ok(Math.abs((r?.expected ?? 0) - expected) < 1e-12);
      assert.ok(Math.abs((r?.excess ?? 0) - (3 - expected)) < 1e-12);
      // Pearson: 121/570 + 121/513 < 1, so φ = 1; variance E (1 + 7/19) = 546/361.
      assert.equal(r?.dispersion, 1);
      const half = 1.959963984540054 * Math.sqrt(546 / 361);
      assert.ok(Math.abs((r?.lower ?? 0) - (3 - expected - half)) < 1e-9);
      assert.ok(Math.abs((r?.upper ?? 0) - (3 - expected + half)) < 1e-9);
    });

    it('has no baseline without earlier years', async () => {
      const rows = await computeExcessMortality(engine, {
        period: { from: '2019-01-07', to: '2019-01-13' },
        level: 'departement',
        purpose: 'surveillance',
      });
      const paris = rows.find((r) => r.area === '75');
      assert.equal(paris?.observed, 1);
      assert.equal(paris?.baselineYears, 0);
      assert.equal(paris?.expected, null);
      assert.equal(paris?.lower, null);
    });
  });
}
