/**
 * OMOP export files: which names are tables, how a header line gives the delimiter and the
 * columns, which headers are refused (and that a refused file fails the batch leaving the
 * warehouse as it was), and the typing rules for odd values (dates with a time, v5.3 names,
 * identifiers in code columns).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHygieError } from '@hygie/core';
import { runBatch } from '../src/index.js';
import { createOmopConnector, isOmopFile, omopTableOfFile } from '../src/omop/index.js';
import { omopFileLayout } from '../src/omop/omop-files.js';
import { cdmCounts, freshWarehouse, testKeys } from './ingest-helpers.js';
import { localPersonId, writeExport } from './omop-test-helpers.js';

test('OHDSI table names in any case, with .csv, .tsv or .txt, are OMOP files', () => {
  assert.equal(omopTableOfFile('/x/person.csv'), 'person');
  assert.equal(omopTableOfFile('/x/PERSON.csv'), 'person');
  assert.equal(omopTableOfFile('/x/Visit_Occurrence.tsv'), 'visit_occurrence');
  assert.equal(omopTableOfFile('/x/MEASUREMENT.txt'), 'measurement');
  assert.ok(!isOmopFile('/x/person.json'));
  assert.ok(!isOmopFile('/x/concept.csv'), 'vocabulary tables are not ingested');
  assert.ok(!isOmopFile('/x/IR_BEN_R.csv'));
});

test('the delimiter is the one that splits the header into OMOP columns; names are case-insensitive', () => {
  const tab = omopFileLayout('death', 'PERSON_ID\tDEATH_DATE\tcause_source_value', 'DEATH.csv');
  assert.equal(tab.delimiter, '\t');
  assert.deepEqual(tab.columns, ['person_id', 'death_date', 'cause_source_value']);
  const comma = omopFileLayout('death', '"person_id","death_date",vendor_extra', 'death.csv');
  assert.equal(comma.delimiter, ',');
  assert.deepEqual(comma.columns, ['person_id', 'death_date', null]);
  const v53 = omopFileLayout(
    'visit_occurrence',
    'visit_occurrence_id,person_id,visit_concept_id,visit_start_date,visit_end_date,visit_type_concept_id,admitting_source_value,discharge_to_source_value',
    'visit_occurrence.csv',
  );
  assert.deepEqual(v53.columns.slice(6), [
    'admitted_from_source_value',
    'discharged_to_source_value',
  ]);
});

test('a header lacking a required column, or naming one twice, is refused by name', () => {
  const refused = (header: string, pattern: RegExp): void =>
    assert.throws(
      () => omopFileLayout('person', header, 'person.csv'),
      (e: unknown) =>
        isHygieError(e) && e.code === 'HYG_SCHEMA_VIOLATION' && pattern.test(e.message),
    );
  refused(
    'person_id,gender_concept_id,year_of_birth',
    /lacks required OMOP column\(s\) race_concept_id, ethnicity_concept_id/,
  );
  refused('person_id;gender_concept_id;person_id', /person_id appears twice/);
  refused('a,b,c', /holds no person column/);
});

test('a refused file fails the batch and leaves the warehouse as it was', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hygie-omop-files-'));
  const engine = await freshWarehouse();
  try {
    writeExport(dir, {
      'person.csv': [
        'person_id,gender_concept_id,year_of_birth,race_concept_id,ethnicity_concept_id',
        '1,8507,1980,0,0',
      ],
      'death.csv': ['person_id,cause_source_value', '1,I10'],
    });
    const before = await cdmCounts(engine);
    await assert.rejects(
      runBatch(engine, testKeys(), {
        connector: createOmopConnector(),
        paths: [dir],
        source: 'chu-x',
      }),
      /death\.csv: the death header lacks required OMOP column\(s\) death_date/,
    );
    assert.deepEqual(await cdmCounts(engine), before);
    const [b] = await engine.query<{ status: string }>('SELECT status FROM hygie_batch');
    assert.equal(b?.status, 'failed');
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('values: dates with a time of day, date-times, numbers, codes that hold identifiers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hygie-omop-values-'));
  const engine = await freshWarehouse();
  try {
    writeExport(dir, {
      'person.csv': [
        'person_id,gender_concept_id,year_of_birth,month_of_birth,race_concept_id,ethnicity_concept_id,person_source_value',
        '0001,8507,1980,12,0,0,',
        '2,8532,1990,13,0,0,',
        '3,8532,1790,1,0,0,',
        // A NIR with a wrong key: neither linked nor taken for a hospital number.
        '4,8532,1970,1,0,0,184057512345699',
      ],
      'visit_occurrence.csv': [
        'visit_occurrence_id,person_id,visit_concept_id,visit_start_date,visit_end_date,visit_type_concept_id,visit_source_value',
        // Encounter numbers in visit_source_value are record numbers, not visit kinds: dropped.
        '7,1,9201,2022-01-05,2022-01-07,32817,20210001234',
        '8,1,9202,2022-01-09,2022-01-09,32817,OP',
      ],
      'measurement.csv': [
        'measurement_id,person_id,measurement_concept_id,measurement_date,measurement_datetime,measurement_type_concept_id,value_as_number,measurement_source_value,unit_source_value',
        // A date written with a time of day; a NIR in a code column is dropped, not stored.
        '1,1,0,2022-01-05 00:00:00,2022-01-05T08:15:00,32817,1e3,1 84 05 75 123 456 25,mg',
        // A source value longer than a code is free text: dropped, the row is kept.
        `2,1,0,2022-01-06,,32817,-0.5,${'x'.repeat(51)},mg`,
        '3,1,0,2022-01-07,yesterday,32817,1,2345-7,mg',
        '4,1,0,2022-01-08,,32817,NaN,2345-7,mg',
        '5,1,99999999999,2022-01-08,,32817,1,2345-7,mg',
        '6,1,0,2022-01-09,,32817,2,0b7c6f0e-1d2a-4c3b-9e8f-1234567890ab,mg',
      ],
    });
    const r = await runBatch(engine, testKeys(), {
      connector: createOmopConnector(),
      paths: [dir],
      source: 'chu-x',
      maxRejectRate: 1,
    });
    assert.equal(r.status, 'published', r.error);
    const q = await engine.query<{
      source_table: string;
      line: number | bigint;
      field: string;
      rule: string;
    }>('SELECT source_table, line, field, rule FROM hygie_quarantine ORDER BY source_table, line');
    assert.deepEqual(
      q.map((x) => [x.source_table, Number(x.line), x.field, x.rule]),
      [
        ['measurement', 4, 'measurement_datetime', 'not a date-time'],
        ['measurement', 5, 'value_as_number', 'not a number'],
        ['measurement', 6, 'measurement_concept_id', 'not a concept id'],
        ['person', 3, 'month_of_birth', 'out of range 1–12'],
        ['person', 4, 'year_of_birth', 'out of range 1850–2100'],
        ['person', 5, 'person_source_value', 'not a valid NIR or source pseudonym'],
      ],
    );
    const m = await engine.query<{
      person_id: bigint;
      measurement_date: unknown;
      value_as_number: number;
      measurement_source_value: string | null;
    }>(
      'SELECT person_id, measurement_date, value_as_number, measurement_source_value FROM measurement ORDER BY measurement_date',
    );
    assert.deepEqual(
      m.map((x) => [BigInt(x.person_id), x.value_as_number, x.measurement_source_value]),
      [
        [localPersonId('chu-x', '1'), 1000, null],
        [localPersonId('chu-x', '1'), -0.5, null],
        [localPersonId('chu-x', '1'), 2, null],
      ],
    );
    const visits = await engine.query<{ visit_source_value: string | null }>(
      'SELECT visit_source_value FROM visit_occurrence ORDER BY visit_start_date',
    );
    assert.deepEqual(
      visits.map((v) => v.visit_source_value),
      [null, 'OP'],
    );
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a byte order mark, CRLF lines and an empty file (no header) are accepted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hygie-omop-bom-'));
  const engine = await freshWarehouse();
  try {
    writeFileSync(
      join(dir, 'person.csv'),
      '\uFEFFperson_id,gender_concept_id,year_of_birth,race_concept_id,ethnicity_concept_id\r\n1,8507,1980,0,0\r\n',
    );
    writeFileSync(join(dir, 'death.csv'), '');
    const r = await runBatch(engine, testKeys(), {
      connector: createOmopConnector(),
      paths: [dir],
      source: 'chu-x',
    });
    assert.equal(r.status, 'published', r.error);
    assert.deepEqual(r.tables, {
      death: { read: 0, loaded: 0, quarantined: 0 },
      person: { read: 1, loaded: 1, quarantined: 0 },
    });
    assert.equal(r.cdm.person, 1);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
