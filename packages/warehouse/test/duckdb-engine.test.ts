/**
 * The DuckDB engine: the shared engine contract (`engine-contract-suite.ts`), then what only the
 * embedded engine does (DuckDB types, the data directory and its file, options).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { isHygieError } from '@hygie/core';
import { migrate, openDuckDbWarehouse, openInMemoryWarehouse } from '../src/index.js';
import { engineContractSuite } from './engine-contract-suite.js';
import { PERSON_COLUMNS, personValues, tempDir } from './warehouse-test-helpers.js';

engineContractSuite('duckdb', () => openInMemoryWarehouse());

describe('DuckDB-specific values', () => {
  test('HUGEINT, DECIMAL and list values come back as plain JS', async () => {
    const engine = await openInMemoryWarehouse();
    try {
      const [row] = await engine.query(
        `SELECT sum(x)::HUGEINT AS total, (2::HUGEINT ** 100)::HUGEINT AS huge,
                1.25::DECIMAL(5, 2) AS dec, [DATE '2020-01-01'] AS dates,
                {'a': 42::BIGINT} AS struct
         FROM (VALUES (1), (2)) t(x)`,
      );
      assert.deepEqual(row, {
        total: 3,
        huge: 2n ** 100n,
        dec: 1.25,
        dates: ['2020-01-01'],
        struct: { a: 42 },
      });
    } finally {
      await engine.close();
    }
  });
});

describe('file-backed warehouse', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  test('creates a private data directory, and data survives close and reopen', async () => {
    const dataDir = join(tmp.dir, 'data');
    const first = await openDuckDbWarehouse({ dataDir, threads: 2, memoryLimit: '512MB' });
    assert.equal(first.location, join(dataDir, 'warehouse.duckdb'));
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
    assert.equal(statSync(first.location).mode & 0o077, 0);
    await migrate(first);
    await first.appendRows('person', PERSON_COLUMNS, [personValues(1), personValues(2n ** 62n)]);
    await first.close();
    await first.close(); // idempotent
    await assert.rejects(first.query('SELECT 1'), (e) => isHygieError(e, 'HYG_WAREHOUSE_ERROR'));

    const second = await openDuckDbWarehouse({ dataDir });
    assert.deepEqual(await second.query('SELECT person_id FROM person ORDER BY person_id'), [
      { person_id: 1 },
      { person_id: 2n ** 62n },
    ]);
    assert.deepEqual((await migrate(second)).applied, []);
    await second.close();
  });

  test('one engine per file per process; read-only opens need an existing warehouse', async () => {
    const dataDir = join(tmp.dir, 'twice');
    const engine = await openDuckDbWarehouse({ dataDir });
    await assert.rejects(openDuckDbWarehouse({ dataDir }), (e) =>
      isHygieError(e, 'HYG_WAREHOUSE_LOCKED'),
    );
    await migrate(engine);
    await engine.close();

    const reader = await openDuckDbWarehouse({ dataDir, readOnly: true });
    assert.equal(reader.readOnly, true);
    assert.deepEqual((await migrate(reader)).applied, [], 'nothing pending: fine read-only');
    assert.equal((await reader.query<{ n: number }>('SELECT count(*) AS n FROM person'))[0]?.n, 0);
    await assert.rejects(reader.appendRows('person', PERSON_COLUMNS, [personValues(1)]), (e) =>
      isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
    );
    await reader.close();

    await assert.rejects(
      openDuckDbWarehouse({ dataDir: join(tmp.dir, 'absent'), readOnly: true }),
      (e) => isHygieError(e, 'HYG_NOT_FOUND'),
    );
  });

  test('options are checked', async () => {
    await assert.rejects(openInMemoryWarehouse({ threads: 0 }), (e) =>
      isHygieError(e, 'HYG_INVALID_CONFIG'),
    );
    await assert.rejects(openInMemoryWarehouse({ memoryLimit: 'lots' }), (e) =>
      isHygieError(e, 'HYG_INVALID_CONFIG'),
    );
  });
});
