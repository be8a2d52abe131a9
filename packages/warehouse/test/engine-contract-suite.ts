/**
 * The engine contract: what every `WarehouseEngine` must do the same way (values, parameters,
 * transactions, bulk append, CSV load, lifecycle), run once per engine like Kysely's and ehrQL's
 * suites (`duckdb-engine.test.ts`, `postgres-engine.test.ts`). Only engine-neutral SQL here; what
 * one engine alone does (DuckDB's file lock, PostgreSQL's read-only sessions) stays in its file.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHygieError } from '@hygie/core';
import { migrate } from '../src/index.js';
import type { CsvLoadOptions, WarehouseEngine } from '../src/index.js';
import { PERSON_COLUMNS, personValues, tempDir } from './warehouse-test-helpers.js';

/** Opens a fresh, empty engine of the kind under test (its own database or memory). */
export type OpenEngine = () => Promise<WarehouseEngine>;

async function count(engine: WarehouseEngine, table: string): Promise<number> {
  const rows = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM "${table}"`);
  return rows[0]?.n ?? -1;
}

/** A binary column type: not one of the CDM's logical types, so spelled per engine. */
function blobType(engine: WarehouseEngine): string {
  return engine.dialect.name === 'duckdb' ? 'BLOB' : 'BYTEA';
}

const DEATH_YYYYMMDD: CsvLoadOptions = {
  delimiter: '\t',
  header: true,
  columns: ['person_id', 'death_date'],
  dateFormat: 'YYYYMMDD',
};

/** Registers the contract tests for one engine; `name` prefixes every suite (`[postgres] …`). */
export function engineContractSuite(name: string, openEngine: OpenEngine): void {
  const freshWarehouse = async (): Promise<WarehouseEngine> => {
    const engine = await openEngine();
    await migrate(engine);
    return engine;
  };

  const files = tempDir('hygie-contract-');
  const writeFile = (file: string, content: string): string => {
    const path = join(files.dir, file);
    writeFileSync(path, content);
    return path;
  };
  after(() => files.cleanup());

  describe(`[${name}] values and parameters`, () => {
    let engine: WarehouseEngine;
    before(async () => {
      engine = await freshWarehouse();
    });
    after(() => engine.close());

    test('results come back as plain JS, as engine.ts documents', async () => {
      const [row] = await engine.query(
        `SELECT CAST(42 AS BIGINT) AS small, CAST(4611686018427387904 AS BIGINT) AS big,
                CAST(-4611686018427387905 AS BIGINT) AS negative, sum(x) AS total,
                sum(CAST(x AS BIGINT) * CAST(4000000000000000000 AS BIGINT)) AS "bigTotal",
                count(*) AS n, avg(x) AS mean,
                DATE '2024-02-29' AS d, TIMESTAMP '2024-02-29 23:59:59.123456' AS ts,
                TIMESTAMP '1969-12-31 23:59:59.9995' AS "beforeEpoch",
                CAST(1.25 AS DECIMAL(5, 2)) AS dec, CAST(0.5 AS DOUBLE PRECISION) AS dbl,
                CAST(1.5 AS REAL) AS real, CAST(7 AS SMALLINT) AS small_int,
                NULL AS nothing, true AS flag, false AS "noFlag", 'é"\\' AS txt,
                ARRAY[DATE '2020-01-01', NULL] AS dates, ARRAY[CAST(9007199254740993 AS BIGINT)] AS keys
         FROM (VALUES (1), (2)) t(x)`,
      );
      assert.deepEqual(row, {
        small: 42,
        big: 2n ** 62n,
        negative: -(2n ** 62n) - 1n,
        total: 3,
        bigTotal: 12_000_000_000_000_000_000n, // above 2^63: no overflow
        n: 2,
        mean: 1.5,
        d: '2024-02-29',
        ts: '2024-02-29T23:59:59.123Z',
        beforeEpoch: '1969-12-31T23:59:59.999Z',
        dec: 1.25,
        dbl: 0.5,
        real: 1.5,
        small_int: 7,
        nothing: null,
        flag: true,
        noFlag: false,
        txt: 'é"\\',
        dates: ['2020-01-01', null],
        keys: [2n ** 53n + 1n],
      });
    });

    test('parameters of every supported type, cast where the statement needs a type', async () => {
      const bytes = new Uint8Array([0, 1, 0xfe, 0xff]);
      const [row] = await engine.query(
        `SELECT CAST($1 AS BIGINT) AS big, CAST($2 AS DOUBLE PRECISION) AS dbl,
                CAST($3 AS DATE) AS d, CAST($4 AS TIMESTAMP) AS ts, CAST($5 AS BOOLEAN) AS flag,
                CAST($6 AS VARCHAR) AS txt, CAST($7 AS ${blobType(engine)}) AS bytes,
                CAST($8 AS INTEGER) AS nothing, CAST($9 AS INTEGER) + 1 AS plus`,
        [
          2n ** 62n + 1n,
          0.25,
          '2024-02-29',
          new Date('2024-03-02T10:00:00.500Z'),
          false,
          "x'; DROP TABLE person; --",
          bytes,
          null,
          41,
        ],
      );
      assert.deepEqual(row, {
        big: 2n ** 62n + 1n,
        dbl: 0.25,
        d: '2024-02-29',
        ts: '2024-03-02T10:00:00.500Z',
        flag: false,
        txt: "x'; DROP TABLE person; --",
        bytes: Buffer.from(bytes),
        nothing: null,
        plus: 42,
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

    test('execute returns the rows changed', async () => {
      await engine.execute('CREATE TABLE counted (x INTEGER)');
      assert.equal(await engine.execute('INSERT INTO counted VALUES (1), (2), (3)'), 3);
      assert.equal(await engine.execute('UPDATE counted SET x = x + 1 WHERE x > $1', [1]), 2);
      assert.equal(await engine.execute('DELETE FROM counted'), 3);
    });

    test('unsupported parameters and SQL errors become HygieErrors', async () => {
      await assert.rejects(
        engine.query('SELECT $1', [{ nir: '1' } as never]),
        (e) => isHygieError(e, 'HYG_INVALID_ARGUMENT') && !e.message.includes('nir'),
      );
      await assert.rejects(engine.query('SELECT CAST($1 AS DOUBLE PRECISION)', [Number.NaN]), (e) =>
        isHygieError(e, 'HYG_INVALID_ARGUMENT'),
      );
      await assert.rejects(engine.query('SELECT * FROM no_such_table'), (e) =>
        isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
      );
    });
  });

  describe(`[${name}] transactions`, () => {
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

    test('a failed statement inside fails the transaction, which rolls back', async () => {
      await assert.rejects(
        engine.transaction(async (tx) => {
          await tx.appendRows('person', PERSON_COLUMNS, [personValues(7)]);
          await tx.execute('SELECT * FROM no_such_table');
        }),
        (e) => isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
      );
      assert.equal(await count(engine, 'person'), 2);
      // The engine is still usable (its connection was rolled back, not leaked in a failed state).
      assert.deepEqual(await engine.query('SELECT 1 AS one'), [{ one: 1 }]);
    });

    test('the transaction session cannot be used after it ends', async () => {
      let leaked: { query: WarehouseEngine['query'] } | undefined;
      await engine.transaction(async (tx) => {
        leaked = tx;
      });
      await assert.rejects(leaked!.query('SELECT 1'), (e) =>
        isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
      );
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

    test('concurrent transactions and queries each get their own session', async () => {
      const results = await Promise.all(
        [10, 11, 12, 13, 14, 15].map((id) =>
          engine.transaction(async (tx) => {
            await tx.appendRows('person', PERSON_COLUMNS, [personValues(id)]);
            return (await tx.query<{ n: number }>('SELECT count(*) AS n FROM person'))[0]?.n;
          }),
        ),
      );
      assert.ok(results.every((n) => n !== undefined && n >= 6));
      assert.equal(await count(engine, 'person'), 11);
    });
  });

  describe(`[${name}] bulk append`, () => {
    let engine: WarehouseEngine;
    before(async () => {
      engine = await freshWarehouse();
    });
    after(() => engine.close());

    test('appends many rows from a generator; unlisted columns are null', async () => {
      function* people(n: number): Generator<unknown[]> {
        for (let i = 1; i <= n; i++) yield personValues(i);
      }
      assert.equal(await engine.appendRows('person', PERSON_COLUMNS, people(20_000)), 20_000);
      const [s] = await engine.query<{ n: number; months: number; maxId: number }>(
        'SELECT count(*) AS n, count(month_of_birth) AS months, max(person_id) AS "maxId" FROM person',
      );
      assert.deepEqual(s, { n: 20_000, months: 0, maxId: 20_000 });
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

    test('awkward values round-trip exactly', async () => {
      await engine.execute(
        `CREATE TABLE awkward (id INTEGER, s VARCHAR, flag BOOLEAN, x DOUBLE PRECISION,
           big BIGINT, ts TIMESTAMP, d DATE, bytes ${blobType(engine)})`,
      );
      const strings = [
        'tab\there',
        'new\nline',
        'carriage\rreturn\r\n',
        'back\\slash \\N \\t',
        '\\N',
        '"quoted", \'single\'; semi|pipe',
        '',
        'é à ü — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🙂',
        ' leading and trailing ',
      ];
      const rows: unknown[][] = strings.map((s, i) => [
        i,
        s,
        i % 2 === 0,
        [0.1 + 0.2, -0, 1e300, Number.POSITIVE_INFINITY, -1.5e-300][i % 5],
        [0, 2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n, -42][i % 5],
        [
          '2024-01-01T10:00:00+02:00',
          new Date('1969-07-20T20:17:40.123Z'),
          '2000-02-29 23:59:59.999999',
        ][i % 3],
        ['2024-02-29', new Date('1999-12-31T00:00:00Z'), '1900-01-01'][i % 3],
        new Uint8Array([i, 0, 255, 92, 9, 10]),
      ]);
      rows.push([99, null, null, null, null, null, null, null]);
      assert.equal(
        await engine.appendRows(
          'awkward',
          ['id', 's', 'flag', 'x', 'big', 'ts', 'd', 'bytes'],
          rows,
        ),
        rows.length,
      );
      const back = await engine.query<Record<string, unknown>>('SELECT * FROM awkward ORDER BY id');
      assert.deepEqual(
        back.map((r) => r['s']),
        [...strings, null],
      );
      assert.deepEqual(back[0], {
        id: 0,
        s: strings[0],
        flag: true,
        x: 0.30000000000000004,
        big: 0,
        ts: '2024-01-01T08:00:00.000Z',
        d: '2024-02-29',
        bytes: Buffer.from([0, 0, 255, 92, 9, 10]),
      });
      assert.deepEqual(
        back.slice(1, 5).map((r) => [r['x'], r['big'], r['ts'], r['d']]),
        [
          [-0, 2n ** 63n - 1n, '1969-07-20T20:17:40.123Z', '1999-12-31'],
          [1e300, -(2n ** 63n), '2000-02-29T23:59:59.999Z', '1900-01-01'],
          [Number.POSITIVE_INFINITY, 9007199254740993n, '2024-01-01T08:00:00.000Z', '2024-02-29'],
          [-1.5e-300, -42, '1969-07-20T20:17:40.123Z', '1999-12-31'],
        ],
      );
      assert.deepEqual(back.at(-1), {
        id: 99,
        s: null,
        flag: null,
        x: null,
        big: null,
        ts: null,
        d: null,
        bytes: null,
      });
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
      // A bad value far into a large append (after several chunks went to the engine).
      function* many(): Generator<unknown[]> {
        for (let i = 1; i <= 30_000; i++) yield [i, i === 29_999 ? 'soon' : '2024-01-01'];
      }
      await assert.rejects(
        engine.appendRows('death', ['person_id', 'death_date'], many()),
        (e) => isHygieError(e, 'HYG_SCHEMA_VIOLATION') && /row 29999,/.test(e.message),
      );
      assert.equal(await count(engine, 'death'), before);
      await assert.rejects(engine.appendRows('person', ['person_id'], [[1.5]]), (e) =>
        isHygieError(e, 'HYG_SCHEMA_VIOLATION'),
      );
    });

    test('a failing source iterable aborts the append and is rethrown', async () => {
      const before = await count(engine, 'death');
      const broken = new Error('source broke');
      async function* failing(): AsyncGenerator<unknown[]> {
        yield [1, '2024-01-01'];
        throw broken;
      }
      await assert.rejects(
        engine.appendRows('death', ['person_id', 'death_date'], failing()),
        (e) => isHygieError(e, 'HYG_WAREHOUSE_ERROR') && e.cause === broken,
      );
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

    test('an append inside a transaction rolls back with it', async () => {
      const before = await count(engine, 'person');
      await assert.rejects(
        engine.transaction(async (tx) => {
          await tx.appendRows('person', PERSON_COLUMNS, [personValues(500_001)]);
          throw new Error('changed my mind');
        }),
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
      assert.equal(await engine.appendRows('person', PERSON_COLUMNS, []), 0);
    });
  });

  describe(`[${name}] CSV load`, () => {
    let engine: WarehouseEngine;
    before(async () => {
      engine = await freshWarehouse();
    });
    after(() => engine.close());

    test('loads a delimited file inside the engine, typed by the table', async () => {
      const file = writeFile(
        'persons.csv',
        'pid;sex;year;race;eth;pseudo;month\n1;8507;1950;0;0;"a;b";3\n2;8532;1961;0;0;;\n' +
          '3;8532;1962;0;0;"say ""hi""";""\n',
      );
      const n = await engine.loadCsv('person', file, {
        delimiter: ';',
        header: true,
        columns: [...PERSON_COLUMNS, 'month_of_birth'],
      });
      assert.equal(n, 3);
      assert.deepEqual(
        await engine.query(
          'SELECT person_id, person_source_value, month_of_birth FROM person ORDER BY 1',
        ),
        [
          { person_id: 1, person_source_value: 'a;b', month_of_birth: 3 },
          { person_id: 2, person_source_value: null, month_of_birth: null },
          // An empty field is NULL, quoted or not.
          { person_id: 3, person_source_value: 'say "hi"', month_of_birth: null },
        ],
      );
    });

    test('YYYYMMDD dates, no header, no quoting (a quote is data), CRLF line ends', async () => {
      const file = writeFile(
        'athena.tsv',
        '10\t20240229\t2024-03-01 08:15:00\t"Grippe "saisonnière"\r\n11\t\t\t\r\n',
      );
      await engine.execute('CREATE TABLE athena (id BIGINT, d DATE, ts TIMESTAMP, label VARCHAR)');
      const n = await engine.loadCsv('athena', file, {
        delimiter: '\t',
        header: false,
        columns: ['id', 'd', 'ts', 'label'],
        quote: null,
        dateFormat: 'YYYYMMDD',
      });
      assert.equal(n, 2);
      assert.deepEqual(await engine.query('SELECT * FROM athena ORDER BY id'), [
        { id: 10, d: '2024-02-29', ts: '2024-03-01T08:15:00.000Z', label: '"Grippe "saisonnière"' },
        { id: 11, d: null, ts: null, label: null },
      ]);
    });

    test('a bad line is reported by line and column, without its content; nothing is loaded', async () => {
      const secret = '1850769123045';
      const file = writeFile(
        'bad.tsv',
        `person_id\tdeath_date\n7\t20240101\n8\t20240102\n${secret}\t2024-13-45\n9\t20240103\n`,
      );
      await assert.rejects(engine.loadCsv('death', file, DEATH_YYYYMMDD), (e) => {
        assert.ok(isHygieError(e, 'HYG_SCHEMA_VIOLATION'));
        assert.equal(e.details['line'], 4);
        assert.equal(e.details['column'], 'death_date');
        assert.match(e.message, /bad\.tsv into death failed at line 4: column "death_date"/);
        assert.ok(!e.message.includes(secret) && !e.message.includes('2024-13-45'), e.message);
        assert.ok(!JSON.stringify(e.details).includes(secret));
        assert.equal(e.cause, undefined, "the engine's raw message is not kept");
        return true;
      });
      assert.equal(await count(engine, 'death'), 0);
      // The same with ISO dates (read by the engine's own CSV reader, no conversion step).
      const iso = writeFile('bad-iso.tsv', `person_id\tdeath_date\n7\t2024-01-01\n8\t${secret}\n`);
      await assert.rejects(
        engine.loadCsv('death', iso, { ...DEATH_YYYYMMDD, dateFormat: 'YYYY-MM-DD' }),
        (e) => {
          assert.ok(isHygieError(e, 'HYG_SCHEMA_VIOLATION'));
          assert.equal(e.details['line'], 3);
          assert.equal(e.details['column'], 'death_date');
          assert.ok(!e.message.includes(secret), e.message);
          return true;
        },
      );
      const notANumber = writeFile(
        'bad-id.tsv',
        `person_id\tdeath_date\n1\t20240101\nx${secret}\t20240101\n`,
      );
      await assert.rejects(engine.loadCsv('death', notANumber, DEATH_YYYYMMDD), (e) => {
        assert.ok(isHygieError(e, 'HYG_SCHEMA_VIOLATION'));
        assert.equal(e.details['line'], 3);
        assert.equal(e.details['column'], 'person_id');
        assert.ok(!e.message.includes(secret), e.message);
        return true;
      });
      const extra = writeFile('extra.tsv', `person_id\tdeath_date\n${secret}\t20240101\tx\n`);
      await assert.rejects(engine.loadCsv('death', extra, DEATH_YYYYMMDD), (e) => {
        assert.ok(isHygieError(e, 'HYG_SCHEMA_VIOLATION'));
        assert.match(e.message, /at line 2: expected 2 fields, found (3|more)/);
        assert.ok(!e.message.includes(secret), e.message);
        return true;
      });
      assert.equal(await count(engine, 'death'), 0);
    });

    test('a load inside a transaction is undone with it', async () => {
      const file = writeFile('deaths.tsv', 'person_id\tdeath_date\n1\t20240101\n2\t20240102\n');
      await assert.rejects(
        engine.transaction(async (tx) => {
          assert.equal(await tx.loadCsv('death', file, DEATH_YYYYMMDD), 2);
          assert.equal((await tx.query<{ n: number }>('SELECT count(*) AS n FROM death'))[0]?.n, 2);
          throw new Error('undo');
        }),
      );
      assert.equal(await count(engine, 'death'), 0);
      assert.equal(await engine.loadCsv('death', file, DEATH_YYYYMMDD), 2);
      assert.deepEqual(await engine.query('SELECT death_date FROM death ORDER BY person_id'), [
        { death_date: '2024-01-01' },
        { death_date: '2024-01-02' },
      ]);
    });

    test('missing files and bad options are refused', async () => {
      const opts = { delimiter: '\t', header: true, columns: ['person_id'] };
      await assert.rejects(engine.loadCsv('death', '/nonexistent/file.tsv', opts), (e) =>
        isHygieError(e, 'HYG_NOT_FOUND'),
      );
      await assert.rejects(engine.loadCsv('death', '/tmp/*.tsv', opts), (e) =>
        isHygieError(e, 'HYG_INVALID_ARGUMENT'),
      );
      const f = writeFile('ok.tsv', 'x\n');
      await assert.rejects(engine.loadCsv('death', f, { ...opts, delimiter: '::' }), (e) =>
        isHygieError(e, 'HYG_INVALID_ARGUMENT'),
      );
      await assert.rejects(engine.loadCsv('no_table', f, opts), (e) =>
        isHygieError(e, 'HYG_NOT_FOUND'),
      );
      await assert.rejects(engine.loadCsv('death', f, { ...opts, columns: ['nir'] }), (e) =>
        isHygieError(e, 'HYG_INVALID_ARGUMENT'),
      );
    });
  });

  describe(`[${name}] lifecycle`, () => {
    test('close is idempotent, and a closed engine refuses work', async () => {
      const engine = await openEngine();
      assert.equal(engine.readOnly, false);
      assert.ok(engine.location.length > 0);
      assert.deepEqual(await engine.query('SELECT 1 AS one'), [{ one: 1 }]);
      await engine.close();
      await engine.close();
      await assert.rejects(engine.query('SELECT 1'), (e) => isHygieError(e, 'HYG_WAREHOUSE_ERROR'));
      await assert.rejects(
        engine.transaction(async () => undefined),
        (e) => isHygieError(e, 'HYG_WAREHOUSE_ERROR'),
      );
    });

    test('close waits for the operations in flight', async () => {
      const engine = await openEngine();
      const running = engine.query<{ n: number }>(
        'SELECT count(*) AS n FROM (SELECT 1 FROM (VALUES (1), (2)) a(x), (VALUES (1), (2)) b(y)) t',
      );
      await engine.close();
      assert.deepEqual(await running, [{ n: 4 }]);
    });
  });
}
