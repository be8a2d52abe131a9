import { test } from 'node:test';
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
