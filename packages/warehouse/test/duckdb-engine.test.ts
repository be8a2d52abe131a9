import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHygieError } from '@hygie/core';
import { migrate, openDuckDbWarehouse, openInMemoryWarehouse } from '../src/index.js';
import type { WarehouseEngine } from '../src/index.js';
import { PERSON_COLUMNS, personValues, tempDir } from './warehouse-test-helpers.js';

async function freshWarehouse(): Promise<WarehouseEngine> {
  const engine = await openInMemoryWarehouse();
  await migrate(engine);
  return engine;
}

async function count(engine: WarehouseEngine, table: string): Promise<number> {
  const rows = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM "${table}"`);
  return rows[0]?.n ?? -1;
}

describe('values and parameters', () => {
  let engine: WarehouseEngine;
  before(async () => {
    engine = await freshWarehouse();
  });
  after(() => engine.close());

  test('DuckDB values come back as plain JS', async () => {
    const [row] = await engine.query(
      `SELECT 42::BIGINT AS small, (2::BIGINT ** 62)::BIGINT AS big, sum(x)::HUGEINT AS total,
              DATE '2024-02-29' AS d, TIMESTAMP '2024-02-29 23:59:59.123456' AS ts,
              1.25::DECIMAL(5, 2) AS dec, 0.5::DOUBLE AS dbl, NULL AS nothing, true AS flag,
              [DATE '2020-01-01'] AS dates
       FROM (VALUES (1), (2)) t(x)`,
    );
    assert.deepEqual(row, {
      small: 42,
      big: 2n ** 62n,
      total: 3,
      d: '2024-02-29',
      ts: '2024-02-29T23:59:59.123Z',
      dec: 1.25,
      dbl: 0.5,
      nothing: null,
      flag: true,
      dates: ['2020-01-01'],
    });
  });

  test('user values are bound as parameters and stored verbatim', async () => {
    const hostile = "x'; DROP TABLE person; --";
    await engine.execute(
      `INSERT INTO person (person_id, gender_concept_id, year_of_birth, race_concept_id,
         ethnicity_concept_id, person_source_value) VALUES ($1, $2, $3, $4, $5, $6)`,
      [2n ** 62n + 1n, 8532, 1980, 0, 0, hostile],
    );
    const rows = await engine.query<{ person_id: unknown; person_source_value: string }>(
      'SELECT person_id, person_source_value FROM person WHERE person_source_value = $1',
      [hostile],
    );
    assert.deepEqual(rows, [{ person_id: 2n ** 62n + 1n, person_source_value: hostile }]);
    assert.equal(await count(engine, 'person'), 1, 'person table still there');
  });

  test('dates and timestamps round-trip as ISO text; Date objects bind as UTC timestamps', async () => {
    await engine.execute(
      `INSERT INTO visit_occurrence (visit_occurrence_id, person_id, visit_concept_id,
         visit_start_date, visit_start_datetime, visit_end_date, visit_end_datetime,
         visit_type_concept_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        1,
        1,
        9201,
        '2024-02-29',
        '2024-02-29T08:15:00Z',
        '2024-03-02',
        new Date('2024-03-02T10:00:00.500Z'),
        32810,
      ],
    );
    const [v] = await engine.query(
      'SELECT visit_start_date, visit_start_datetime, visit_end_datetime FROM visit_occurrence',
    );
    assert.deepEqual(v, {
      visit_start_date: '2024-02-29',
      visit_start_datetime: '2024-02-29T08:15:00.000Z',
      visit_end_datetime: '2024-03-02T10:00:00.500Z',
    });
  });

  test('unsupported parameters and SQL errors become HygieErrors', async () => {
    await assert.rejects(
      engine.query('SELECT $1', [{ nir: '1' } as never]),
      (e) => isHygieError(e, 'HYG_INVALID_ARGUMENT') && !e.message.includes('nir'),
    );
    await assert.rejects(engine.query('SELECT * FROM no_such_table'), (e) =>
      isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
    );
  });
});

describe('transactions', () => {
  let engine: WarehouseEngine;
  before(async () => {
    engine = await freshWarehouse();
  });
  after(() => engine.close());

  test('commit makes the work visible; others do not see it before', async () => {
    await engine.transaction(async (tx) => {
      await tx.appendRows('person', PERSON_COLUMNS, [personValues(1), personValues(2)]);
      assert.equal((await tx.query<{ n: number }>('SELECT count(*) AS n FROM person'))[0]?.n, 2);
      assert.equal(await count(engine, 'person'), 0, 'isolated until commit');
    });
    assert.equal(await count(engine, 'person'), 2);
  });

  test('a throw rolls everything back, DDL included, and is rethrown as is', async () => {
    const before = await engine.query('SELECT * FROM person ORDER BY person_id');
    const boom = new Error('boom');
    await assert.rejects(
      engine.transaction(async (tx) => {
        await tx.execute('DELETE FROM person');
        await tx.appendRows('person', PERSON_COLUMNS, [personValues(3)]);
        await tx.execute('CREATE TABLE scratch (x INTEGER)');
        throw boom;
      }),
      (e) => e === boom,
    );
    assert.deepEqual(await engine.query('SELECT * FROM person ORDER BY person_id'), before);
    await assert.rejects(engine.query('SELECT * FROM scratch'), (e) =>
      isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
    );
  });

  test('the transaction session cannot be used after it ends', async () => {
    let leaked: { query: WarehouseEngine['query'] } | undefined;
    await engine.transaction(async (tx) => {
      leaked = tx;
    });
    await assert.rejects(leaked!.query('SELECT 1'), (e) => isHygieError(e, 'HYG_WAREHOUSE_ERROR'));
  });

  test('statements started without await still run in order inside the transaction', async () => {
    await engine.transaction(async (tx) => {
      const pending = [3, 4, 5].map((id) =>
        tx.execute(
          `INSERT INTO person (person_id, gender_concept_id, year_of_birth, race_concept_id, ethnicity_concept_id)
           VALUES ($1, 8507, 1990, 0, 0)`,
          [id],
        ),
      );
      await Promise.all(pending);
    });
    assert.equal(await count(engine, 'person'), 5);
  });
});

let tsvDir: { dir: string; cleanup: () => void } | undefined;
function writeTsv(name: string, content: string): string {
  tsvDir ??= tempDir('hygie-tsv-');
  const path = join(tsvDir.dir, name);
  writeFileSync(path, content);
  return path;
}
after(() => tsvDir?.cleanup());

describe('bulk append', () => {
  let engine: WarehouseEngine;
  before(async () => {
    engine = await freshWarehouse();
  });
  after(() => engine.close());

  test('appends many rows from a generator; unlisted columns are null', async () => {
    function* people(n: number): Generator<unknown[]> {
      for (let i = 1; i <= n; i++) yield personValues(i);
    }
    assert.equal(await engine.appendRows('person', PERSON_COLUMNS, people(10_000)), 10_000);
    const [s] = await engine.query<{ n: number; months: number; maxId: number }>(
      'SELECT count(*) AS n, count(month_of_birth) AS months, max(person_id) AS "maxId" FROM person',
    );
    assert.deepEqual(s, { n: 10_000, months: 0, maxId: 10_000 });
  });

  test('appends from an async iterable, with dates, timestamps and bigints', async () => {
    async function* periods(): AsyncGenerator<unknown[]> {
      yield [1n, 2n ** 60n, '2020-01-01', '2023-12-31', 32817];
      yield [2, 1, new Date('2021-06-01T00:00:00Z'), '2024-01-01', 32817];
    }
    const columns = [
      'observation_period_id',
      'person_id',
      'observation_period_start_date',
      'observation_period_end_date',
      'period_type_concept_id',
    ];
    assert.equal(await engine.appendRows('observation_period', columns, periods()), 2);
    const rows = await engine.query(
      'SELECT * FROM observation_period ORDER BY observation_period_id',
    );
    assert.deepEqual(rows[0], {
      observation_period_id: 1,
      person_id: 2n ** 60n,
      observation_period_start_date: '2020-01-01',
      observation_period_end_date: '2023-12-31',
      period_type_concept_id: 32817,
    });
    assert.equal(
      (rows[1] as { observation_period_start_date: string }).observation_period_start_date,
      '2021-06-01',
    );
  });

  test('a bad value names its row and column, never the value, and nothing is appended', async () => {
    const before = await count(engine, 'death');
    const secret = '1850769123045';
    const rows = [
      [1, '2024-01-01'],
      [2, '2024-01-02'],
      [3, secret],
    ];
    await assert.rejects(engine.appendRows('death', ['person_id', 'death_date'], rows), (e) => {
      assert.ok(isHygieError(e, 'HYG_SCHEMA_VIOLATION'));
      assert.match(e.message, /row 3, column "death_date": expected a YYYY-MM-DD date/);
      assert.ok(!e.message.includes(secret) && !JSON.stringify(e.details).includes(secret));
      return true;
    });
    assert.equal(await count(engine, 'death'), before);
  });

  test('constraint violations abort the whole append', async () => {
    const before = await count(engine, 'person');
    // Keys are declared on bounded tables (vocabulary…): a duplicate concept aborts its append.
    const concept = (id: number): unknown[] => [
      id,
      'c',
      'Condition',
      'V',
      'C',
      'S',
      `c${id}`,
      '2020-01-01',
      '2099-12-31',
      null,
    ];
    const conceptColumns = [
      'concept_id',
      'concept_name',
      'domain_id',
      'vocabulary_id',
      'concept_class_id',
      'standard_concept',
      'concept_code',
      'valid_start_date',
      'valid_end_date',
      'invalid_reason',
    ];
    await engine.appendRows('concept', conceptColumns, [concept(900_001)]);
    await assert.rejects(
      engine.appendRows('concept', conceptColumns, [concept(900_002), concept(900_001)]),
      (e) => isHygieError(e, 'HYG_CONFLICT'),
    );
    assert.equal(await count(engine, 'concept'), 1);
    const missingYear = [[100_003, 8507, null, 0, 0, 'p']];
    await assert.rejects(engine.appendRows('person', PERSON_COLUMNS, missingYear), (e) =>
      isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
    );
    assert.equal(await count(engine, 'person'), before);
  });

  test('unknown tables and columns are refused', async () => {
    await assert.rejects(engine.appendRows('nope', ['a'], []), (e) =>
      isHygieError(e, 'HYG_NOT_FOUND'),
    );
    await assert.rejects(engine.appendRows('person', ['nir'], []), (e) =>
      isHygieError(e, 'HYG_INVALID_ARGUMENT'),
    );
    await assert.rejects(engine.appendRows('person', ['person_id'], [[1, 2]]), (e) =>
      isHygieError(e, 'HYG_INVALID_ARGUMENT'),
    );
  });
});

describe('CSV load', () => {
  let engine: WarehouseEngine;
  before(async () => {
    engine = await freshWarehouse();
  });
  after(() => engine.close());

  test('loads a delimited file inside the engine, typed by the table', async () => {
    const file = writeTsv(
      'persons.csv',
      'pid;sex;year;race;eth;pseudo;month\n1;8507;1950;0;0;"a;b";3\n2;8532;1961;0;0;;\n',
    );
    const n = await engine.loadCsv('person', file, {
      delimiter: ';',
      header: true,
      columns: [...PERSON_COLUMNS, 'month_of_birth'],
    });
    assert.equal(n, 2);
    assert.deepEqual(
      await engine.query(
        'SELECT person_id, person_source_value, month_of_birth FROM person ORDER BY 1',
      ),
      [
        { person_id: 1, person_source_value: 'a;b', month_of_birth: 3 },
        { person_id: 2, person_source_value: null, month_of_birth: null },
      ],
    );
  });

  test('a bad line is reported by line and column, without its content; nothing is loaded', async () => {
    const secret = '1850769123045';
    const file = writeTsv('bad.tsv', `person_id\tdeath_date\n7\t20240101\n${secret}\t2024-13-45\n`);
    await assert.rejects(
      engine.loadCsv('death', file, {
        delimiter: '\t',
        header: true,
        columns: ['person_id', 'death_date'],
        dateFormat: 'YYYYMMDD',
      }),
      (e) => {
        assert.ok(isHygieError(e, 'HYG_SCHEMA_VIOLATION'));
        assert.equal(e.details['line'], 3);
        assert.equal(e.details['column'], 'death_date');
        assert.ok(!e.message.includes(secret) && !e.message.includes('2024-13-45'), e.message);
        assert.equal(e.cause, undefined, 'the raw DuckDB message is not kept');
        return true;
      },
    );
    assert.equal(await count(engine, 'death'), 0);
    const extra = writeTsv('extra.tsv', `person_id\tdeath_date\n${secret}\t20240101\tx\n`);
    await assert.rejects(
      engine.loadCsv('death', extra, {
        delimiter: '\t',
        header: true,
        columns: ['person_id', 'death_date'],
        dateFormat: 'YYYYMMDD',
      }),
      (e) =>
        isHygieError(e, 'HYG_SCHEMA_VIOLATION') &&
        /expected 2 fields, found 3/.test(e.message) &&
        !e.message.includes(secret),
    );
  });

  test('missing files and bad options are refused', async () => {
    const opts = { delimiter: '\t', header: true, columns: ['person_id'] };
    await assert.rejects(engine.loadCsv('death', '/nonexistent/file.tsv', opts), (e) =>
      isHygieError(e, 'HYG_NOT_FOUND'),
    );
    await assert.rejects(engine.loadCsv('death', '/tmp/*.tsv', opts), (e) =>
      isHygieError(e, 'HYG_INVALID_ARGUMENT'),
    );
    const f = writeTsv('ok.tsv', 'x\n');
    await assert.rejects(engine.loadCsv('death', f, { ...opts, delimiter: '::' }), (e) =>
      isHygieError(e, 'HYG_INVALID_ARGUMENT'),
    );
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
