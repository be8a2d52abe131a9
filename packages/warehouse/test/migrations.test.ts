import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CDM_TABLES, isHygieError, primaryKeyColumn } from '@hygie/core';
import type { CdmTable } from '@hygie/core';
import {
  MIGRATIONS,
  duckDbDialect,
  migrate,
  migrationChecksum,
  openInMemoryWarehouse,
  schemaStatus,
  warehouseSummary,
} from '../src/index.js';
import type { Migration } from '../src/index.js';

const tables: readonly CdmTable[] = CDM_TABLES;

test('migrating an empty warehouse creates every described table with its columns and keys', async () => {
  const engine = await openInMemoryWarehouse();
  try {
    const before = await schemaStatus(engine);
    assert.equal(before.version, 0);
    assert.deepEqual(
      before.pending.map((m) => m.version),
      MIGRATIONS.map((m) => m.version),
    );
    assert.equal(before.upToDate, false);

    const report = await migrate(engine);
    assert.deepEqual(report, {
      applied: MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      alreadyApplied: [],
      version: MIGRATIONS.length,
    });

    const columns = await engine.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    );
    const actualTables = [...new Set(columns.map((c) => c.table_name))].sort();
    assert.deepEqual(actualTables, tables.map((t) => t.name).sort());
    for (const t of tables) {
      const actual = columns.filter((c) => c.table_name === t.name);
      const expected = t.columns.map((c) => ({
        table_name: t.name,
        column_name: c.name,
        data_type: duckDbDialect.typeName(c.type),
        is_nullable: c.nullable ? 'YES' : 'NO',
      }));
      assert.deepEqual(actual, expected, t.name);
    }

    const pks = await engine.query<{ table_name: string; column_name: string }>(
      `SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu
         ON kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
       WHERE tc.constraint_type = 'PRIMARY KEY' ORDER BY tc.table_name`,
    );
    // DuckDB declares keys on bounded tables only (see DialectSpec.primaryKeys).
    const expectedPks = tables
      .filter((t) => t.kind !== 'clinical' && t.kind !== 'health-system')
      .flatMap((t) => {
        const pk = primaryKeyColumn(t);
        return pk ? [{ table_name: t.name, column_name: pk.name }] : [];
      })
      .sort((a, b) => a.table_name.localeCompare(b.table_name));
    assert.deepEqual(pks, expectedPks);

    const ledger = await engine.query(
      'SELECT version, name, checksum FROM hygie_schema_migrations',
    );
    assert.deepEqual(
      ledger,
      MIGRATIONS.map((m) => ({
        version: m.version,
        name: m.name,
        checksum: migrationChecksum(m, duckDbDialect),
      })),
    );
    const status = await schemaStatus(engine);
    assert.equal(status.upToDate, true);
    assert.match(
      status.applied[0]?.appliedAt ?? '',
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    );
  } finally {
    await engine.close();
  }
});

test('migrate is idempotent', async () => {
  const engine = await openInMemoryWarehouse();
  try {
    await migrate(engine);
    await engine.execute(
      `INSERT INTO location (location_id, county, state) VALUES (1, '69', '84')`,
    );
    const again = await migrate(engine);
    assert.deepEqual(again, {
      applied: [],
      alreadyApplied: MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      version: MIGRATIONS.length,
    });
    assert.deepEqual(await engine.query('SELECT count(*) AS n FROM location'), [{ n: 1 }]);
    assert.deepEqual(await engine.query('SELECT count(*) AS n FROM hygie_schema_migrations'), [
      { n: MIGRATIONS.length },
    ]);
  } finally {
    await engine.close();
  }
});

test('a tampered checksum, an edited migration or an unknown version stop the migration', async () => {
  const engine = await openInMemoryWarehouse();
  try {
    await migrate(engine);
    await engine.execute(`UPDATE hygie_schema_migrations SET checksum = $1 WHERE version = 1`, [
      '0'.repeat(64),
    ]);
    await assert.rejects(migrate(engine), (e) => {
      assert.ok(isHygieError(e, 'HYG_MIGRATION_FAILED'));
      assert.match(e.message, /checksum mismatch for applied migration\(s\) 1/);
      return true;
    });
    const status = await schemaStatus(engine);
    assert.equal(status.upToDate, false);
    assert.equal(status.applied[0]?.checksumMatches, false);

    await engine.execute(`UPDATE hygie_schema_migrations SET checksum = $1 WHERE version = 1`, [
      migrationChecksum(MIGRATIONS[0]!, duckDbDialect),
    ]);
    const edited: Migration = {
      ...MIGRATIONS[0]!,
      statements: (d) => [...MIGRATIONS[0]!.statements(d), 'SELECT 1'],
    };
    await assert.rejects(migrate(engine, [edited]), (e) => isHygieError(e, 'HYG_MIGRATION_FAILED'));
    assert.deepEqual((await migrate(engine)).applied, [], 'the original still matches');

    await engine.execute(
      `INSERT INTO hygie_schema_migrations VALUES (99, 'from-the-future', 'x', TIMESTAMP '2030-01-01 00:00:00')`,
    );
    await assert.rejects(
      migrate(engine),
      (e) => isHygieError(e, 'HYG_MIGRATION_FAILED') && /upgrade Hygie/.test(e.message),
    );
  } finally {
    await engine.close();
  }
});

test('a failing migration is rolled back; the ones before it stay applied', async () => {
  const engine = await openInMemoryWarehouse();
  try {
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      statements: () => ['CREATE TABLE hygie_scratch (x INTEGER)', 'SELECT * FROM no_such_table'],
    };
    await assert.rejects(migrate(engine, [...MIGRATIONS, broken]), (e) => {
      assert.ok(isHygieError(e, 'HYG_MIGRATION_FAILED'));
      assert.equal(e.details['version'], MIGRATIONS.length + 1);
      return true;
    });
    assert.deepEqual(
      await engine.query('SELECT version FROM hygie_schema_migrations ORDER BY version'),
      MIGRATIONS.map((m) => ({ version: m.version })),
    );
    await assert.rejects(engine.query('SELECT * FROM hygie_scratch'), (e) =>
      isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
    );
  } finally {
    await engine.close();
  }
});

test('warehouseSummary counts rows per table, null where the schema is missing', async () => {
  const engine = await openInMemoryWarehouse();
  try {
    const empty = await warehouseSummary(engine);
    assert.equal(empty.schemaVersion, 0);
    assert.ok(empty.tables.every((t) => t.rows === null));
    await migrate(engine);
    await engine.execute(`INSERT INTO location (location_id, county) VALUES (1, '69'), (2, '75')`);
    const summary = await warehouseSummary(engine);
    assert.equal(summary.schemaVersion, MIGRATIONS.length);
    assert.equal(summary.tables.length, tables.length);
    assert.deepEqual(
      summary.tables.find((t) => t.table === 'location'),
      { table: 'location', kind: 'health-system', rows: 2 },
    );
    assert.deepEqual(
      summary.tables.find((t) => t.table === 'hygie_schema_migrations')?.rows,
      MIGRATIONS.length,
    );
    assert.ok(summary.tables.filter((t) => t.kind === 'clinical').every((t) => t.rows === 0));
  } finally {
    await engine.close();
  }
});
