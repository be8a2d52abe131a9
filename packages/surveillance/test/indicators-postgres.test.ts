/**
 * The indicator suites on PostgreSQL (one throwaway cluster for the file, a fresh database per
 * suite; skipped with the reason when no cluster can start), and the same series from both
 * engines, number for number.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPgCluster } from '@hygie/test-support';
import { openInMemoryWarehouse, openPostgresWarehouse } from '@hygie/warehouse';
import type { WarehouseEngine } from '@hygie/warehouse';
import { computeExcessMortality, computeIndicatorSeries } from '../src/indicators/index.js';
import type { IndicatorSeriesOptions } from '../src/indicators/index.js';
import { excessMortalitySuite } from './indicators-suite-excess.js';
import { indicatorSeriesSuite } from './indicators-suite-series.js';
import { influenzaWorld, loadWorld } from './indicators-world.js';

function same(a: unknown, b: unknown, where: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)), `${where}: ${a} ≠ ${b}`);
  } else if (a !== null && typeof a === 'object' && b !== null && typeof b === 'object') {
    assert.deepEqual(Object.keys(a), Object.keys(b), where);
    for (const [k, v] of Object.entries(a))
      same(v, (b as Record<string, unknown>)[k], `${where}.${k}`);
  } else {
    assert.equal(a, b, where);
  }
}

await withPgCluster('indicators on PostgreSQL', (cluster) => {
  const open = async (): Promise<WarehouseEngine> =>
    openPostgresWarehouse({
      connectionString: await cluster.createDatabase('indicators'),
      poolSize: 2,
    });
  indicatorSeriesSuite('postgres', open);
  excessMortalitySuite('postgres', open);

  test('DuckDB and PostgreSQL give identical series', async () => {
    const pg = await open();
    const duck = await openInMemoryWarehouse();
    try {
      await loadWorld(pg, influenzaWorld());
      await loadWorld(duck, influenzaWorld());
      const variants: IndicatorSeriesOptions[] = [
        {
          indicator: { kind: 'syndrome', syndrome: 'influenza' },
          period: { from: '2020-11-01', to: '2021-02-28' },
          unit: 'isoweek',
          level: 'region',
          purpose: 'surveillance',
          standardise: 'france_2020',
        },
        {
          indicator: { kind: 'deaths' },
          period: { from: '2020-01-01', to: '2021-12-31' },
          unit: 'month',
          level: 'departement',
          purpose: 'research',
          denominator: 'warehouse',
          standardise: 'europe_2013',
        },
      ];
      for (const [i, options] of variants.entries()) {
        same(
          await computeIndicatorSeries(duck, options),
          await computeIndicatorSeries(pg, options),
          `variant ${i}`,
        );
      }
      const excess = {
        period: { from: '2021-01-01', to: '2021-03-31' },
        level: 'nation',
        purpose: 'surveillance',
        baselineYears: 2,
      } as const;
      same(
        await computeExcessMortality(duck, excess),
        await computeExcessMortality(pg, excess),
        'excess',
      );
    } finally {
      await pg.close();
      await duck.close();
    }
  });
});
