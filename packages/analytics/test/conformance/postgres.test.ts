/**
 * The conformance suite on PostgreSQL (one throwaway cluster for the file, a fresh database per
 * spec; skipped with the reason when no cluster can start): every spec's result must be the one
 * written by hand — and the very same as DuckDB's, number for number (relative 1e-9).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPgCluster } from '@hygie/test-support';
import { openInMemoryWarehouse, openPostgresWarehouse } from '@hygie/warehouse';
import type { WarehouseEngine } from '@hygie/warehouse';
import type { QueryResult } from '../../src/result-table.js';
import { checkCalendarLabels } from './calendar-labels.js';
import { checkSameResults, checkSpec, runSpec } from './run-spec.js';
import { SPECS } from './specs/index.js';

await withPgCluster('conformance on PostgreSQL', (cluster) => {
  const open = async (): Promise<WarehouseEngine> =>
    openPostgresWarehouse({
      connectionString: await cluster.createDatabase('conformance'),
      poolSize: 2,
    });
  const results = new Map<string, QueryResult>();

  for (const spec of SPECS) {
    test(`postgres: ${spec.name}`, async () => {
      const engine = await open();
      try {
        const result = await runSpec(engine, spec);
        results.set(spec.name, result);
        checkSpec(spec, result);
      } finally {
        await engine.close();
      }
    });
  }

  test('postgres: calendar labels of the compiler and of the engine agree', async () => {
    const engine = await open();
    try {
      await checkCalendarLabels(engine);
    } finally {
      await engine.close();
    }
  });

  test('DuckDB and PostgreSQL give identical results for every spec', async () => {
    for (const spec of SPECS) {
      const pg = results.get(spec.name);
      assert.ok(pg, `${spec.name}: no PostgreSQL result`);
      const duck = await openInMemoryWarehouse();
      try {
        checkSameResults(await runSpec(duck, spec), pg, spec.name);
      } finally {
        await duck.close();
      }
    }
  });
});
