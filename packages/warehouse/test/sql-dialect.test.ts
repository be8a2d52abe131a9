import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CDM_TABLES, conceptTable, isHygieError, personTable } from '@hygie/core';
import type { CdmTable } from '@hygie/core';
import {
  MIGRATIONS,
  MIGRATIONS_TABLE,
  describedSchemaVersion,
  duckDbDialect,
  postgresDialect,
  schemaStatements,
} from '../src/index.js';

test('quoting and placeholders', () => {
  for (const d of [duckDbDialect, postgresDialect]) {
    assert.equal(d.quoteIdent('person'), '"person"');
    assert.equal(d.quoteIdent('a"b'), '"a""b"');
    assert.equal(d.quoteLiteral("it's"), "'it''s'");
    assert.equal(d.placeholder(1), '$1');
    assert.throws(
      () => d.placeholder(0),
      (e) => isHygieError(e, 'HYG_INVALID_ARGUMENT'),
    );
    assert.throws(
      () => d.quoteIdent(''),
      (e) => isHygieError(e, 'HYG_INVALID_ARGUMENT'),
    );
  }
});

test('CREATE TABLE follows the description, per dialect', () => {
  const duck = duckDbDialect.createTable(personTable);
  assert.match(duck, /^CREATE TABLE "person" \(\n {2}"person_id" BIGINT NOT NULL,\n/);
  assert.match(duck, /"month_of_birth" INTEGER,\n/);
  assert.match(duck, /"person_source_value" VARCHAR,\n/);
  // No key on a person/event table in DuckDB: it would be an in-memory index growing with data.
  assert.doesNotMatch(duck, /PRIMARY KEY/);
  assert.match(duckDbDialect.createTable(conceptTable), /PRIMARY KEY \("concept_id"\)\n\)$/);
  assert.match(postgresDialect.createTable(personTable), /PRIMARY KEY \("person_id"\)\n\)$/);
  const pg = postgresDialect.createTable(personTable, { ifNotExists: true });
  assert.match(pg, /^CREATE TABLE IF NOT EXISTS "person"/);
  assert.match(pg, /"person_source_value" TEXT,/);
  assert.equal(postgresDialect.typeName('double'), 'DOUBLE PRECISION');
});

test('migration 1 creates every table but the ledger; indexes only where the dialect wants them', () => {
  const duck = schemaStatements(duckDbDialect, 1);
  const inMigration1 = (CDM_TABLES as readonly CdmTable[]).filter((t) => (t.addedIn ?? 1) === 1);
  assert.equal(duck.length, inMigration1.length - 1);
  assert.ok(duck.every((s) => s.startsWith('CREATE TABLE')));
  assert.ok(!duck.some((s) => s.includes(`"${MIGRATIONS_TABLE}"`)));
  const pg = schemaStatements(postgresDialect, 1);
  const indexes = pg.filter((s) => s.startsWith('CREATE INDEX'));
  const described = inMigration1.reduce(
    (n, t) => n + t.indexes.filter((ix) => (ix.addedIn ?? 1) === 1).length,
    0,
  );
  assert.equal(indexes.length, described);
  assert.ok(
    indexes.includes(
      'CREATE INDEX "idx_condition_occurrence_person_id" ON "condition_occurrence" ("person_id")',
    ),
  );
});

test('later versions only add what they introduce', () => {
  const extended: CdmTable[] = [
    {
      ...personTable,
      columns: [
        ...personTable.columns,
        { name: 'deprivation_index', type: 'double', nullable: true, description: 'x', addedIn: 2 },
      ],
      indexes: [...personTable.indexes, { columns: ['deprivation_index'], addedIn: 2 }],
    },
    {
      name: 'hygie_extra',
      kind: 'hygie',
      description: 'x',
      addedIn: 2,
      indexes: [],
      columns: [
        { name: 'id', type: 'bigint', nullable: false, primaryKey: true, description: 'x' },
      ],
    },
  ];
  assert.equal(describedSchemaVersion(extended), 2);
  const v1 = schemaStatements(duckDbDialect, 1, extended);
  assert.equal(v1.length, 1);
  assert.ok(!(v1[0] ?? '').includes('deprivation_index'));
  assert.deepEqual(schemaStatements(duckDbDialect, 2, extended), [
    'ALTER TABLE "person" ADD COLUMN "deprivation_index" DOUBLE',
    'CREATE TABLE "hygie_extra" (\n  "id" BIGINT NOT NULL,\n  PRIMARY KEY ("id")\n)',
  ]);
  assert.ok(
    schemaStatements(postgresDialect, 2, extended).includes(
      'CREATE INDEX "idx_person_deprivation_index" ON "person" ("deprivation_index")',
    ),
  );
  const notNullLater: CdmTable[] = [
    {
      ...personTable,
      columns: [
        ...personTable.columns,
        { name: 'z', type: 'text', nullable: false, description: 'x', addedIn: 2 },
      ],
    },
  ];
  assert.throws(
    () => schemaStatements(duckDbDialect, 2, notNullLater),
    (e) => isHygieError(e, 'HYG_MIGRATION_FAILED'),
  );
});

test('there is a migration for every described schema version', () => {
  assert.deepEqual(
    MIGRATIONS.map((m) => m.version),
    Array.from({ length: describedSchemaVersion() }, (_, i) => i + 1),
  );
});

test('the indexes of a table added by a later migration come with it', () => {
  const later: CdmTable[] = [
    {
      name: 'hygie_later',
      kind: 'hygie',
      description: 'x',
      addedIn: 2,
      columns: [
        { name: 'id', type: 'bigint', nullable: false, description: 'x' },
        { name: 'batch_id', type: 'text', nullable: false, description: 'x' },
      ],
      indexes: [{ columns: ['batch_id'] }],
    },
  ];
  assert.deepEqual(schemaStatements(postgresDialect, 1, later), []);
  assert.deepEqual(schemaStatements(postgresDialect, 2, later), [
    'CREATE TABLE "hygie_later" (\n  "id" BIGINT NOT NULL,\n  "batch_id" TEXT NOT NULL\n)',
    'CREATE INDEX "idx_hygie_later_batch_id" ON "hygie_later" ("batch_id")',
  ]);
  assert.equal(schemaStatements(postgresDialect, 3, later).length, 0);
});

describe('SQL functions per dialect', () => {
  const duck = duckDbDialect;
  const pg = postgresDialect;

  test('calendar periods: truncation back to DATE, integer parts, labels', () => {
    assert.equal(duck.dateTrunc('month', 'd'), "CAST(date_trunc('month', d) AS DATE)");
    assert.equal(pg.dateTrunc('week', 'd'), "CAST(date_trunc('week', d) AS DATE)");
    assert.equal(pg.datePart('isoweek', 'd'), 'CAST(EXTRACT(WEEK FROM d) AS INTEGER)');
    assert.equal(duck.datePart('isoyear', 'd'), 'CAST(EXTRACT(ISOYEAR FROM d) AS INTEGER)');
    assert.equal(pg.periodLabel('week', 'd'), `to_char(d, 'IYYY-"W"IW')`);
    assert.equal(duck.periodLabel('week', 'd'), "strftime(d, '%G-W%V')");
    assert.equal(pg.periodLabel('month', 'd'), "to_char(d, 'YYYY-MM')");
    assert.equal(duck.periodLabel('month', 'd'), "strftime(d, '%Y-%m')");
    assert.equal(
      duck.periodLabel('quarter', 'd'),
      "(CAST(CAST(EXTRACT(YEAR FROM d) AS INTEGER) AS VARCHAR) || '-Q' || " +
        'CAST(CAST(EXTRACT(QUARTER FROM d) AS INTEGER) AS VARCHAR))',
    );
    assert.equal(pg.periodLabel('day', 'd'), 'CAST(CAST(d AS DATE) AS TEXT)');
  });

  test('date arithmetic', () => {
    assert.equal(pg.addDays('d', 30), '((d) + CAST(30 AS INTEGER))');
    assert.equal(duck.addDays('d', '$1'), '((d) + CAST(($1) AS INTEGER))');
    assert.equal(
      pg.addMonths('d', 1),
      'CAST(((d) + make_interval(months => CAST(1 AS INTEGER))) AS DATE)',
    );
    assert.equal(duck.addMonths('d', -1), 'CAST(((d) + to_months(CAST(-1 AS INTEGER))) AS DATE)');
    assert.equal(pg.dateDiffDays('a', 'b'), 'CAST(CAST(b AS DATE) - CAST(a AS DATE) AS INTEGER)');
    assert.equal(
      duck.ageYears('p.year_of_birth', 'p.month_of_birth', 'i.d'),
      '(CAST(EXTRACT(YEAR FROM i.d) AS INTEGER) - (p.year_of_birth) - CASE WHEN ' +
        '(p.month_of_birth) IS NOT NULL AND CAST(EXTRACT(MONTH FROM i.d) AS INTEGER) < ' +
        '(p.month_of_birth) THEN 1 ELSE 0 END)',
    );
  });

  test('divisions, rounding and quantiles', () => {
    assert.equal(pg.intDiv('a', 7), '(CAST((a) AS BIGINT) / NULLIF(CAST(7 AS BIGINT), 0))');
    assert.equal(duck.intDiv('a', 'b'), '(CAST((a) AS BIGINT) // NULLIF(CAST((b) AS BIGINT), 0))');
    assert.equal(
      pg.ratio('a', 'b'),
      '(CAST((a) AS DOUBLE PRECISION) / NULLIF(CAST((b) AS DOUBLE PRECISION), 0))',
    );
    assert.equal(duck.ratio(1, 'b'), '(CAST(1 AS DOUBLE) / NULLIF(CAST((b) AS DOUBLE), 0))');
    assert.equal(
      pg.round('x', 2),
      'CAST(round(CAST(CAST(x AS DOUBLE PRECISION) AS NUMERIC), 2) AS DOUBLE PRECISION)',
    );
    assert.match(
      duck.round('x', 2),
      /round\(CAST\(CAST\(x AS DOUBLE\) AS DECIMAL\(38, 10\)\), 2\)/,
    );
    for (const d of [duck, pg]) {
      assert.equal(
        d.percentileCont(0.5, 'v'),
        `percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(v AS ${d.typeName('double')}))`,
      );
      assert.equal(d.percentileDisc(0.9, 'v'), 'percentile_disc(0.9) WITHIN GROUP (ORDER BY v)');
      assert.equal(
        d.stringAgg('code', "', '", 'day'),
        `string_agg(CAST(code AS ${d.typeName('text')}), ''', ''' ORDER BY day)`,
      );
    }
    assert.equal(pg.binaryOrder('name'), '(name) COLLATE "C"');
    assert.equal(duck.binaryOrder('name'), '(name)');
  });

  test('analytic settings and CTE inlining', () => {
    // PostgreSQL: no nested loops over CTEs of unknown size; the population inlined.
    assert.deepEqual(pg.analyticSettings, ['SET LOCAL enable_nestloop = off']);
    assert.equal(pg.inlinedCte, 'NOT MATERIALIZED');
    assert.deepEqual(duck.analyticSettings, []);
    assert.equal(duck.inlinedCte, '');
    assert.equal(pg.integerSeries('a', 'b'), 'generate_series((a), (b))');
    assert.equal(duck.integerSeries('a', 'b'), 'unnest(generate_series((a), (b)))');
  });

  test('date series', () => {
    assert.equal(
      pg.dateSeries('a', 'b', 'month', 's', 'period'),
      '(SELECT CAST("s_t" AS DATE) AS "period" FROM generate_series(CAST(CAST(a AS DATE) AS TIMESTAMP), ' +
        `CAST(CAST(b AS DATE) AS TIMESTAMP), INTERVAL '1 month') AS "s_g"("s_t")) AS "s"`,
    );
  });

  test('units, parts, fractions, digits and literal operands are checked', () => {
    const bad = (fn: () => unknown): void =>
      assert.throws(fn, (e) => isHygieError(e, 'HYG_INVALID_ARGUMENT'));
    for (const d of [duck, pg]) {
      bad(() => d.dateTrunc('hour' as never, 'd'));
      bad(() => d.dateTrunc("month', d) --" as never, 'd'));
      bad(() => d.datePart('epoch' as never, 'd'));
      bad(() => d.periodLabel('decade' as never, 'd'));
      bad(() => d.dateSeries('a', 'b', 'hour' as never, 's', 'p'));
      bad(() => d.percentileCont(1.5, 'v'));
      bad(() => d.percentileDisc(Number.NaN, 'v'));
      bad(() => d.round('x', 7));
      bad(() => d.round('x', 1.5));
      bad(() => d.addDays('d', 1.5));
      bad(() => d.addMonths('d', Number.POSITIVE_INFINITY));
      bad(() => d.intDiv('a', Number.NaN));
      bad(() => d.stringAgg('x', 'a\0b', 'y'));
    }
  });
});
