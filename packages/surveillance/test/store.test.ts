/**
 * The surveillance store on both engines: a run's lifecycle, a series replaced whole (never
 * mixed with the previous one), filters, and alerts kept with their evidence.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPgCluster } from '@hygie/test-support';
import { migrate, openInMemoryWarehouse, openPostgresWarehouse } from '@hygie/warehouse';
import type { WarehouseEngine } from '@hygie/warehouse';
import { SurveillanceStore } from '../src/store/surveillance-store.js';
import type { SeriesValue } from '../src/store/surveillance-store.js';

function value(area: string, period: string, cases: number): SeriesValue {
  return {
    level: area === 'FR' ? 'nation' : 'departement',
    area,
    unit: 'isoweek',
    period,
    cases,
    population: 1000,
    rate: cases * 100,
    rateLower: null,
    rateUpper: null,
    standardisedRate: null,
  };
}

async function exercise(engine: WarehouseEngine): Promise<void> {
  await migrate(engine);
  let t = Date.parse('2026-03-02T09:00:00Z');
  const store = new SurveillanceStore(engine, () => new Date((t += 1000)));
  const run1 = await store.startRun('manual');
  await store.replaceSeries(run1, 'influenza', [
    value('75', '2024-W01', 3),
    value('75', '2024-W02', 5),
    value('69', '2024-W01', 0),
  ]);
  await store.finishRun(run1);
  const run2 = await store.startRun('schedule');
  // The second run replaces the whole series: 69 is gone, 75 has new values.
  await store.replaceSeries(run2, 'influenza', [
    value('75', '2024-W01', 4),
    value('75', '2024-W03', 7),
  ]);
  await store.replaceSeries(run2, 'covid-19', [value('FR', '2024-W01', 100)]);
  const series = await store.series({
    indicator: 'influenza',
    level: 'departement',
    unit: 'isoweek',
  });
  assert.deepEqual(
    series.map((v) => [v.area, v.period, v.cases]),
    [
      ['75', '2024-W01', 4],
      ['75', '2024-W03', 7],
    ],
  );
  const ranged = await store.series({
    indicator: 'influenza',
    level: 'departement',
    unit: 'isoweek',
    area: '75',
    from: '2024-W02',
    to: '2024-W03',
  });
  assert.deepEqual(
    ranged.map((v) => v.period),
    ['2024-W03'],
  );
  assert.equal(ranged[0]?.rate, 700);
  assert.equal(ranged[0]?.rateLower, null);

  await store.recordAlerts(run2, [
    {
      indicator: 'influenza',
      level: 'departement',
      area: '75',
      period: '2024-W03',
      algorithm: 'farrington-flexible',
      observed: 7,
      expected: 2.5,
      threshold: 6.1,
      pValue: 0.004,
      alarm: true,
    },
    {
      indicator: 'influenza',
      level: 'departement',
      area: '69',
      period: '2024-W03',
      algorithm: 'farrington-flexible',
      observed: 1,
      expected: 1.2,
      threshold: 4,
      pValue: 0.6,
      alarm: false,
    },
  ]);
  const alarms = await store.alerts();
  assert.equal(alarms.length, 1);
  assert.equal(alarms[0]?.area, '75');
  assert.equal(alarms[0]?.pValue, 0.004);
  assert.equal(alarms[0]?.runId, run2);
  assert.equal((await store.alerts({ all: true })).length, 2);
  assert.equal((await store.alerts({ indicator: 'covid-19' })).length, 0);

  // A failed run keeps its error code; runs come back newest first.
  const run3 = await store.startRun('ingestion');
  await store.finishRun(run3, { error: 'HYG_WAREHOUSE_ERROR' });
  const runs = await store.runs();
  assert.deepEqual(
    runs.map((r) => [r.trigger, r.status, r.error]),
    [
      ['ingestion', 'failed', 'HYG_WAREHOUSE_ERROR'],
      ['schedule', 'running', null],
      ['manual', 'completed', null],
    ],
  );
  await assert.rejects(
    () => store.replaceSeries(run3, "x'; DROP TABLE person; --", []),
    /indicator id/,
  );
}

test('surveillance store on DuckDB', async () => {
  const engine = await openInMemoryWarehouse();
  try {
    await exercise(engine);
  } finally {
    await engine.close();
  }
});

await withPgCluster('surveillance store on PostgreSQL', (cluster) => {
  test('surveillance store on PostgreSQL', async () => {
    const engine = await openPostgresWarehouse({
      connectionString: await cluster.createDatabase('surveillance_store'),
      poolSize: 2,
    });
    try {
      await exercise(engine);
    } finally {
      await engine.close();
    }
  });
});
