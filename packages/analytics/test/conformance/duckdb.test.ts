/**
 * The conformance suite on DuckDB (in memory, a fresh database per spec): every spec's result
 * must be the one written by hand.
 */
import { test } from 'node:test';
import { openInMemoryWarehouse } from '@hygie/warehouse';
import { checkCalendarLabels } from './calendar-labels.js';
import { checkSpec, runSpec } from './run-spec.js';
import { SPECS } from './specs/index.js';

for (const spec of SPECS) {
  test(`duckdb: ${spec.name}`, async () => {
    const engine = await openInMemoryWarehouse();
    try {
      checkSpec(spec, await runSpec(engine, spec));
    } finally {
      await engine.close();
    }
  });
}

test('duckdb: calendar labels of the compiler and of the engine agree', async () => {
  const engine = await openInMemoryWarehouse();
  try {
    await checkCalendarLabels(engine);
  } finally {
    await engine.close();
  }
});
