/**
 * The PostgreSQL engine on a throwaway cluster this file starts (one for the whole file; skipped,
 * with the reason, when it cannot): the shared engine contract, then what only PostgreSQL does
 * (connection settings, read-only sessions, the password kept out of messages, `pg`'s global
 * parsers left alone) and the migrations on PostgreSQL, from scratch and again.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { CDM_TABLES, isHygieError, primaryKeyColumn } from '@hygie/core';
import type { CdmTable, CdmType } from '@hygie/core';
import { withPgCluster } from '@hygie/test-support';
import type { PgCluster } from '@hygie/test-support';
import {
  MIGRATIONS,
  migrate,
  migrationChecksum,
  openPostgresWarehouse,
  postgresDialect,
  redactConnectionString,
  schemaStatus,
  warehouseSummary,
} from '../src/index.js';
import type { Migration, PostgresWarehouseEngine } from '../src/index.js';
import { engineContractSuite } from './engine-contract-suite.js';
import { PERSON_COLUMNS, personValues } from './warehouse-test-helpers.js';

/** `information_schema.columns.data_type` of each logical type on PostgreSQL. */
const INFORMATION_SCHEMA_TYPE: Record<CdmType, string> = {
  bigint: 'bigint',
  integer: 'integer',
  text: 'text',
  date: 'date',
  timestamp: 'timestamp without time zone',
  double: 'double precision',
  boolean: 'boolean',
};

async function withEngine<T>(
  engine: PostgresWarehouseEngine,
  fn: (engine: PostgresWarehouseEngine) => Promise<T>,
): Promise<T> {
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

await withPgCluster('warehouse on PostgreSQL', (cluster: PgCluster) => {
  const open = async (options: { readOnly?: boolean; poolSize?: number } = {}) =>
    openPostgresWarehouse({
      connectionString: await cluster.createDatabase('hygie_wh'),
      ...options,
    });

  engineContractSuite('postgres', () => open());

  describe('[postgres] engine specifics', () => {
    test('sessions are in UTC with ISO dates, whatever the server default', async () => {
      const url = await cluster.createDatabase('hygie_wh');
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const db = new URL(url).pathname.slice(1);
      await admin.query(`ALTER DATABASE ${db} SET TimeZone = 'Pacific/Chatham'`);
      await admin.query(`ALTER DATABASE ${db} SET DateStyle = 'SQL, DMY'`);
      await admin.end();
      await withEngine(await openPostgresWarehouse({ connectionString: url }), async (engine) => {
        assert.deepEqual(
          await engine.query(
            `SELECT current_setting('TimeZone') AS tz, DATE '2024-02-29' AS d,
                    CAST(TIMESTAMPTZ '2024-02-29 12:00:00+01' AS TIMESTAMP) AS local,
                    TIMESTAMPTZ '2024-02-29 12:00:00+01' AS zoned`,
          ),
          [
            {
              tz: 'UTC',
              d: '2024-02-29',
              local: '2024-02-29T11:00:00.000Z',
              zoned: '2024-02-29T11:00:00.000Z',
            },
          ],
        );
        // Date parameters are UTC instants, whatever the process's time zone.
        const [row] = await engine.query<{ ts: string }>('SELECT CAST($1 AS TIMESTAMP) AS ts', [
          new Date(Date.UTC(2024, 0, 1, 23, 30)),
        ]);
        assert.equal(row?.ts, '2024-01-01T23:30:00.000Z');
      });
    });

    test('data errors never echo the value', async () => {
      await withEngine(await open(), async (engine) => {
        for (const [sql, secret] of [
          ['SELECT CAST($1 AS INTEGER)', '1850769123045'],
          ['SELECT CAST($1 AS INTEGER)', 'nir 1850769123045'],
          ['SELECT CAST($1 AS DATE)', '1850769123045'],
          ['SELECT CAST($1 AS NUMERIC(3, 1))', '1850769123045'],
        ] as const) {
          await assert.rejects(engine.query(sql, [secret]), (e) => {
            assert.ok(isHygieError(e, 'HYG_WAREHOUSE_ERROR'));
            assert.ok(!e.message.includes('1850769123045'), e.message);
            assert.equal(e.cause, undefined);
            assert.match(String(e.details['sqlState']), /^22/);
            return true;
          });
        }
      });
    });

    test("pg's global type parsers are left alone", async () => {
      await withEngine(await open(), async (engine) => {
        assert.deepEqual(await engine.query('SELECT CAST(1 AS BIGINT) AS n'), [{ n: 1 }]);
        // Another user of pg in the process (the governance store) still gets pg's defaults.
        assert.equal(pg.types.getTypeParser(20, 'text')('1'), '1');
        assert.ok(pg.types.getTypeParser(1082, 'text')('2024-01-01') instanceof Date);
      });
    });

    test('a read-only engine refuses writes; location never shows the password', async () => {
      const url = await cluster.createDatabase('hygie_wh');
      await withEngine(await openPostgresWarehouse({ connectionString: url }), (engine) =>
        migrate(engine),
      );
      const withPassword = url.replace('postgres@', 'postgres:s3cr3t@');
      const reader = await openPostgresWarehouse({
        connectionString: withPassword,
        readOnly: true,
      });
      await withEngine(reader, async () => {
        assert.equal(reader.readOnly, true);
        assert.ok(!reader.location.includes('s3cr3t'), reader.location);
        assert.match(reader.location, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/hygie_wh_\d+$/);
        assert.deepEqual((await migrate(reader)).applied, [], 'nothing pending: fine read-only');
        assert.deepEqual(await reader.query('SELECT count(*) AS n FROM person'), [{ n: 0 }]);
        await assert.rejects(reader.appendRows('person', PERSON_COLUMNS, [personValues(1)]), (e) =>
          isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
        );
        await assert.rejects(
          reader.execute('DELETE FROM person'),
          (e) => isHygieError(e, 'HYG_WAREHOUSE_ERROR') && /read-only/.test(e.message),
        );
        await assert.rejects(
          reader.transaction((tx) => tx.execute('CREATE TABLE x (a INTEGER)')),
          (e) => isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
        );
      });
      // An `options` parameter of the connection string is kept, and cannot undo read-only.
      const sneaky = `${url}?options=${encodeURIComponent('-c default_transaction_read_only=off -c search_path=public')}`;
      await withEngine(
        await openPostgresWarehouse({ connectionString: sneaky, readOnly: true }),
        async (engine) => {
          assert.deepEqual(
            await engine.query(
              `SELECT current_setting('default_transaction_read_only') AS ro,
                      current_setting('search_path') AS path`,
            ),
            [{ ro: 'on', path: 'public' }],
          );
        },
      );
    });

    test('unreachable servers, bad options and a missing Citus are refused clearly', async () => {
      const url = new URL(await cluster.createDatabase('hygie_wh'));
      const gone = `postgres://postgres:pw@127.0.0.1:1/${url.pathname.slice(1)}`;
      await assert.rejects(openPostgresWarehouse({ connectionString: gone }), (e) => {
        assert.ok(isHygieError(e, 'HYG_UNAVAILABLE'), String(e));
        assert.ok(!e.message.includes(':pw@') && !JSON.stringify(e.details).includes('pw@'));
        return true;
      });
      const missingDb = `${cluster.baseUrl}/no_such_database`;
      await assert.rejects(
        openPostgresWarehouse({ connectionString: missingDb }),
        (e) => isHygieError(e, 'HYG_UNAVAILABLE') || isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
      );
      await assert.rejects(openPostgresWarehouse({ connectionString: '' }), (e) =>
        isHygieError(e, 'HYG_INVALID_CONFIG'),
      );
      await assert.rejects(
        openPostgresWarehouse({ connectionString: url.href, poolSize: 0 }),
        (e) => isHygieError(e, 'HYG_INVALID_CONFIG'),
      );
      await assert.rejects(
        openPostgresWarehouse({ connectionString: url.href, citus: true }),
        (e) =>
          isHygieError(e, 'HYG_INVALID_CONFIG') &&
          /citus extension is not installed/.test(e.message),
      );
      await withEngine(await openPostgresWarehouse({ connectionString: url.href }), async (e) => {
        assert.equal(e.citus, false, 'auto-detected: no extension here');
        assert.ok(e.serverVersion >= 130000);
      });
      assert.equal(
        redactConnectionString('postgresql://u:p@db.example:5433/w?sslmode=require'),
        'postgresql://u@db.example:5433/w',
      );
    });

    test('a small pool serves many concurrent callers', async () => {
      await withEngine(await open({ poolSize: 2 }), async (engine) => {
        await migrate(engine);
        const work = Array.from({ length: 12 }, (_, i) =>
          i % 3 === 0
            ? engine.appendRows('person', PERSON_COLUMNS, [personValues(i + 1)])
            : engine.query<{ n: number }>('SELECT count(*) AS n FROM person'),
        );
        await Promise.all(work);
        assert.deepEqual(await engine.query('SELECT count(*) AS n FROM person'), [{ n: 4 }]);
      });
    });
  });

  describe('[postgres] migrations', () => {
    test('from scratch: every described table, column, type, key and index', async () => {
      await withEngine(await open(), async (engine) => {
        assert.equal((await schemaStatus(engine)).version, 0);
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
        const tables: readonly CdmTable[] = CDM_TABLES;
        assert.deepEqual(
          [...new Set(columns.map((c) => c.table_name))].sort(),
          tables.map((t) => t.name).sort(),
        );
        for (const t of tables) {
          assert.deepEqual(
            columns.filter((c) => c.table_name === t.name),
            t.columns.map((c) => ({
              table_name: t.name,
              column_name: c.name,
              data_type: INFORMATION_SCHEMA_TYPE[c.type],
              is_nullable: c.nullable ? 'YES' : 'NO',
            })),
            t.name,
          );
        }
        // PostgreSQL declares every key, clinical tables included (unlike DuckDB).
        const pks = await engine.query<{ table_name: string; column_name: string }>(
          `SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
           JOIN information_schema.key_column_usage kcu
             ON kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
           WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
           ORDER BY tc.table_name`,
        );
        assert.deepEqual(
          pks,
          tables
            .flatMap((t) => {
              const pk = primaryKeyColumn(t);
              return pk ? [{ table_name: t.name, column_name: pk.name }] : [];
            })
            .sort((a, b) => (a.table_name < b.table_name ? -1 : 1)),
        );
        const indexes = await engine.query<{ n: number }>(
          `SELECT count(*) AS n FROM pg_indexes
           WHERE schemaname = current_schema() AND indexname LIKE 'idx\\_%'`,
        );
        assert.deepEqual(indexes, [{ n: tables.reduce((n, t) => n + t.indexes.length, 0) }]);
        assert.deepEqual(
          await engine.query(
            'SELECT version, name, checksum FROM hygie_schema_migrations ORDER BY 1',
          ),
          MIGRATIONS.map((m) => ({
            version: m.version,
            name: m.name,
            checksum: migrationChecksum(m, postgresDialect),
          })),
        );
        const status = await schemaStatus(engine);
        assert.equal(status.upToDate, true);
        assert.match(
          status.applied[0]?.appliedAt ?? '',
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
        );
      });
    });

    test('idempotent; a failing migration is rolled back, DDL included', async () => {
      await withEngine(await open(), async (engine) => {
        await migrate(engine);
        await engine.execute(`INSERT INTO location (location_id, county) VALUES (1, '69')`);
        assert.deepEqual(await migrate(engine), {
          applied: [],
          alreadyApplied: MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
          version: MIGRATIONS.length,
        });
        const broken: Migration = {
          version: MIGRATIONS.length + 1,
          name: 'broken',
          statements: () => ['CREATE TABLE hygie_scratch (x INTEGER)', 'SELECT * FROM nowhere'],
        };
        await assert.rejects(migrate(engine, [...MIGRATIONS, broken]), (e) =>
          isHygieError(e, 'HYG_MIGRATION_FAILED'),
        );
        await assert.rejects(engine.query('SELECT * FROM hygie_scratch'), (e) =>
          isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
        );
        const summary = await warehouseSummary(engine);
        assert.equal(summary.schemaVersion, MIGRATIONS.length);
        assert.deepEqual(
          summary.tables.find((t) => t.table === 'location'),
          { table: 'location', kind: 'health-system', rows: 1 },
        );
        assert.ok(summary.tables.filter((t) => t.kind === 'clinical').every((t) => t.rows === 0));
      });
    });
  });
});
