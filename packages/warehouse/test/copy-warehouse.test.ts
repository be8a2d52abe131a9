/**
 * Copying the embedded DuckDB warehouse into PostgreSQL: every table arrives with the same rows
 * (compared by count and by an order-independent content check per table), including values
 * that CSV round trips get wrong easily — 63-bit ids, dates, timestamps, text with quotes and
 * separators, nulls. A throwaway cluster; skipped with the reason when it cannot start.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withPgCluster } from '@hygie/test-support';
import type { PgCluster } from '@hygie/test-support';
import {
  copyWarehouse,
  migrate,
  openInMemoryWarehouse,
  openPostgresWarehouse,
} from '../src/index.js';
import type { WarehouseEngine } from '../src/index.js';
import { PERSON_COLUMNS, personValues } from './warehouse-test-helpers.js';

/** Rows of a table in a canonical order, as JSON text (engine-independent comparison). */
async function rowsOf(engine: WarehouseEngine, table: string, orderBy: string): Promise<string[]> {
  const rows = await engine.query(`SELECT * FROM ${table} ORDER BY ${orderBy}`);
  return rows.map((r) =>
    JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  );
}

await withPgCluster('copy to PostgreSQL', (cluster: PgCluster) => {
  test('a DuckDB warehouse copied into PostgreSQL has the same rows in every table', async () => {
    const duck = await openInMemoryWarehouse();
    const pgw = await openPostgresWarehouse({
      connectionString: await cluster.createDatabase('hygie_copy'),
    });
    try {
      await migrate(duck);
      await migrate(pgw);
      const big = (1n << 62n) + 12345n;
      await duck.appendRows('person', PERSON_COLUMNS, [
        personValues(1),
        personValues(big, 'psn-"quoted", with; separators'),
      ]);
      await duck.appendRows(
        'condition_occurrence',
        [
          'condition_occurrence_id',
          'person_id',
          'condition_concept_id',
          'condition_start_date',
          'condition_start_datetime',
          'condition_type_concept_id',
          'condition_source_value',
        ],
        [
          [1, 1, 201826, '2021-03-04', '2021-03-04T10:11:12.345Z', 32810, 'E11.9'],
          [2, big, 201826, '2022-12-31', null, 32810, null],
        ],
      );
      const report = await copyWarehouse(duck, pgw);
      assert.ok(report.tables.length > 20);
      assert.equal(report.tables.find((t) => t.table === 'person')?.rows, 2);
      for (const t of report.tables) {
        const [a] = await duck.query<{ n: number }>(`SELECT count(*) AS n FROM ${t.table}`);
        const [b] = await pgw.query<{ n: number }>(`SELECT count(*) AS n FROM ${t.table}`);
        assert.equal(Number(b?.n), Number(a?.n), t.table);
      }
      assert.deepEqual(
        await rowsOf(pgw, 'person', 'person_id'),
        await rowsOf(duck, 'person', 'person_id'),
      );
      assert.deepEqual(
        await rowsOf(pgw, 'condition_occurrence', 'condition_occurrence_id'),
        await rowsOf(duck, 'condition_occurrence', 'condition_occurrence_id'),
      );
      // A second copy replaces, never duplicates.
      await copyWarehouse(duck, pgw);
      const [again] = await pgw.query<{ n: number }>('SELECT count(*) AS n FROM person');
      assert.equal(Number(again?.n), 2);
    } finally {
      await duck.close();
      await pgw.close();
    }
  });
});
