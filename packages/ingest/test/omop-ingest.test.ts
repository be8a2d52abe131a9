/**
 * OMOP CDM v5.4 CSV ingestion end to end on a real DuckDB warehouse, with a small hand-written
 * export (fixtures/omop/csv: comma-separated, YYYY-MM-DD) and the same export tab-separated with
 * YYYYMMDD dates, upper-case names and CRLF lines (fixtures/omop/tsv): persons identified by NIR,
 * source pseudonym or hospital number, bad rows quarantined with file, line, field and rule,
 * concepts Hygie lacks falling back to 0 or to a source code Hygie has, residences generalised
 * to communes, and no identifier, address or free text left anywhere in the warehouse.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { namespaceKind } from '@hygie/core';
import type { WarehouseEngine } from '@hygie/warehouse';
import { createOmopConnector } from '../src/omop/index.js';
import { departementLocationId, runBatch, type IngestReport } from '../src/index.js';
import { cdmCounts, freshWarehouse, rows, testKeys } from './ingest-helpers.js';
import {
  localPersonId,
  nirPersonId,
  sourcePseudonymPersonId,
  textColumnsHolding,
} from './omop-test-helpers.js';

/** Tests run from dist/test; fixtures stay in the source tree. */
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/omop/', import.meta.url));
const SOURCE = 'chu-test';

/** Identifiers, address lines and free text of the fixtures: none may reach the warehouse. */
const FORBIDDEN = [
  '1 84 05 75 123 456 25',
  '184057512345625',
  '1840575123456',
  '2910669123045',
  'A1B2C3D4E5F60718B',
  'IPP7734001',
  'IPP7734002',
  'IPP7734003',
  'rue des Lilas',
  'avenue Foch',
  'chemin du Moulin',
  'impasse des Tilleuls',
  'place du Marche',
  'cigarettes',
  'matin et soir',
  'LOT42',
  'patient refuses',
  '1,05 g/L',
  '10 cig/j',
];

/** Rows per table of the fixture export (lines after the header). */
const READ: Record<string, number> = {
  location: 5,
  person: 6,
  observation_period: 5,
  visit_occurrence: 6,
  condition_occurrence: 9,
  drug_exposure: 3,
  procedure_occurrence: 2,
  measurement: 3,
  observation: 3,
  death: 1,
};

/** The quarantine the fixtures must produce: table, line, field, rule. */
const QUARANTINE: [string, number, string | null, RegExp][] = [
  ['person', 6, 'year_of_birth', /required value missing/],
  ['observation_period', 6, 'observation_period_end_date', /before observation_period_start_date/],
  ['visit_occurrence', 6, 'visit_start_date', /not a date/],
  ['condition_occurrence', 5, 'person_id', /person not in person\.csv nor in the warehouse/],
  ['condition_occurrence', 6, null, /cannot be read: too many columns/],
  ['condition_occurrence', 7, 'condition_start_date', /not a date/],
  ['condition_occurrence', 8, 'visit_occurrence_id', /visit not published by this batch/],
  ['condition_occurrence', 10, 'visit_occurrence_id', /visit of another person/],
  ['drug_exposure', 4, 'drug_exposure_end_date', /required value missing/],
  ['measurement', 3, 'value_as_number', /not a number/],
  ['observation', 3, 'person_id', /person quarantined in person\.csv/],
];

/** The whole clinical content of the warehouse, in a stable order, for comparing two loads. */
async function clinicalContent(engine: WarehouseEngine): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, key] of [
    ['person', 'person_id'],
    ['observation_period', 'observation_period_id'],
    ['visit_occurrence', 'visit_occurrence_id'],
    ['condition_occurrence', 'condition_occurrence_id'],
    ['drug_exposure', 'drug_exposure_id'],
    ['procedure_occurrence', 'procedure_occurrence_id'],
    ['measurement', 'measurement_id'],
    ['observation', 'observation_id'],
    ['death', 'person_id'],
  ] as const) {
    const r = await engine.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${key}`);
    out[table] = r.map((x) =>
      JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
    );
  }
  return out;
}

for (const variant of ['csv', 'tsv'] as const) {
  describe(`the hand-written OMOP export (${variant})`, () => {
    let engine: WarehouseEngine;
    let report: IngestReport;
    before(async () => {
      engine = await freshWarehouse();
      report = await runBatch(engine, testKeys(), {
        connector: createOmopConnector(),
        paths: [FIXTURES + variant],
        source: SOURCE,
        maxRejectRate: 0.5,
      });
    });
    after(async () => {
      await engine.close();
    });
    const one = async <T extends object>(sql: string): Promise<T> => {
      const found = await engine.query<T>(sql);
      assert.equal(found.length, 1, sql);
      return found[0] as T;
    };

    test('is published; every row is loaded or quarantined (read = loaded + quarantined)', async () => {
      assert.equal(report.status, 'published', report.error);
      assert.equal(report.files.length, 10);
      for (const f of report.files) assert.equal(f.loaded + f.quarantined, f.read, f.path);
      for (const [table, n] of Object.entries(READ)) {
        const t = report.tables[table];
        assert.ok(t, table);
        assert.equal(t.read, n, `${table} read`);
        assert.equal(
          t.quarantined,
          QUARANTINE.filter(([q]) => q === table).length,
          `${table} quarantined`,
        );
      }
      assert.deepEqual(await cdmCounts(engine), {
        person: 5,
        observation_period: 4,
        visit_occurrence: 5,
        condition_occurrence: 4,
        drug_exposure: 2,
        procedure_occurrence: 2,
        measurement: 2,
        death: 1,
        provider: 0,
      });
      assert.equal(await rows(engine, 'observation'), 2);
      assert.equal(await rows(engine, 'hygie_person_identity'), 5);
    });

    test('quarantines each bad row with its file, line, field and rule — never a value', async () => {
      const q = await engine.query<{
        path: string;
        source_table: string;
        line: number | bigint;
        field: string | null;
        rule: string;
      }>(
        'SELECT path, source_table, line, field, rule FROM hygie_quarantine ORDER BY source_table, line',
      );
      assert.equal(q.length, QUARANTINE.length);
      for (const [table, line, field, rule] of QUARANTINE) {
        const hit = q.find((r) => r.source_table === table && Number(r.line) === line);
        assert.ok(hit, `${table} line ${line} quarantined`);
        assert.equal(hit.field, field, `${table} line ${line} field`);
        assert.match(hit.rule, rule, `${table} line ${line} rule`);
        assert.match(hit.path.toLowerCase(), new RegExp(`^${table}\\.(csv|tsv|txt)$`));
      }
      const [dates] = q.filter((r) => r.source_table === 'visit_occurrence');
      assert.match(dates?.rule ?? '', variant === 'csv' ? /YYYY-MM-DD/ : /YYYYMMDD/);
    });

    test('identifies persons by NIR or source pseudonym across sources, by hospital number within the source', async () => {
      const persons = await engine.query<{ person_id: bigint; person_source_value: string }>(
        'SELECT person_id, person_source_value FROM person ORDER BY person_id',
      );
      const expected = new Map<bigint, string>([
        [nirPersonId('1840575123456'), 'nir'],
        [nirPersonId('2910669123045'), 'nir'],
        [sourcePseudonymPersonId('A1B2C3D4E5F60718B'), 'nir'],
        [localPersonId(SOURCE, '103'), namespaceKind(SOURCE)],
        [localPersonId(SOURCE, '104'), namespaceKind(SOURCE)],
      ]);
      assert.deepEqual(
        new Map(persons.map((p) => [BigInt(p.person_id), p.person_source_value])),
        expected,
      );
      assert.equal(report.persons?.persons, 5);
    });

    test('keeps year and month of birth and generalises residences to communes or départements', async () => {
      const p = await engine.query<{
        person_id: bigint;
        year_of_birth: number;
        month_of_birth: number | null;
        location_id: bigint | null;
        gender_concept_id: number;
        race_concept_id: number;
      }>(
        'SELECT person_id, year_of_birth, month_of_birth, location_id, gender_concept_id, race_concept_id FROM person',
      );
      const of = (id: bigint): (typeof p)[number] | undefined =>
        p.find((x) => BigInt(x.person_id) === id);
      const p101 = of(nirPersonId('1840575123456'));
      assert.equal(p101?.year_of_birth, 1984);
      assert.equal(p101?.month_of_birth, 5);
      assert.equal(Number(p101?.location_id), 69383, 'INSEE code in location_source_value');
      assert.equal(
        Number(of(localPersonId(SOURCE, '103'))?.location_id),
        75116,
        'unique postal code',
      );
      assert.equal(of(localPersonId(SOURCE, '103'))?.race_concept_id, 0, 'race is never kept');
      assert.equal(
        Number(of(nirPersonId('2910669123045'))?.location_id),
        27377,
        'postal code and city',
      );
      const p104 = of(localPersonId(SOURCE, '104'));
      assert.equal(
        Number(p104?.location_id),
        departementLocationId('27'),
        'postal code département',
      );
      assert.equal(p104?.month_of_birth, null);
      assert.equal(p104?.gender_concept_id, 8507, 'sex from gender_source_value');
      assert.equal(of(sourcePseudonymPersonId('A1B2C3D4E5F60718B'))?.location_id, null);
    });

    test('keeps concept ids Hygie has, maps source codes of its vocabularies, else 0 with the source code', async () => {
      const conditions = await engine.query<{
        condition_concept_id: number;
        condition_source_value: string | null;
        condition_source_concept_id: number;
        condition_status_concept_id: number | null;
        condition_type_concept_id: number;
      }>(
        'SELECT * FROM condition_occurrence ORDER BY condition_start_date, condition_source_value',
      );
      const bySource = new Map(conditions.map((c) => [c.condition_source_value, c]));
      // Athena 201826 is not in Hygie's vocabulary; the ICD-10 source code E11.9 is CIM-10 E119.
      const e119 = await one<{ concept_id: number }>(
        "SELECT concept_id FROM concept WHERE vocabulary_id = 'CIM10' AND concept_code = 'E119'",
      );
      assert.equal(bySource.get('E11.9')?.condition_concept_id, e119.concept_id);
      assert.equal(bySource.get('E11.9')?.condition_source_concept_id, e119.concept_id);
      assert.equal(bySource.get('E11.9')?.condition_status_concept_id, 32902);
      assert.equal(bySource.get('SNOMED:22298006')?.condition_concept_id, 0);
      assert.equal(
        bySource.get(null)?.condition_concept_id,
        e119.concept_id,
        'a Hygie concept id is kept',
      );
      assert.ok(conditions.every((c) => c.condition_type_concept_id === 32817));
      const drug = await engine.query<{
        drug_source_value: string;
        drug_concept_id: number;
        drug_type_concept_id: number;
        quantity: number;
        days_supply: number;
      }>(
        'SELECT drug_source_value, drug_concept_id, drug_type_concept_id, quantity, days_supply FROM drug_exposure ORDER BY drug_source_value',
      );
      const cip = await one<{ concept_id: number }>(
        "SELECT concept_id FROM concept WHERE vocabulary_id = 'CIP13' AND concept_code = '3400930000649'",
      );
      const atc = await one<{ concept_id: number }>(
        "SELECT concept_id FROM concept WHERE vocabulary_id = 'ATC' AND concept_code = 'A10BA02'",
      );
      assert.deepEqual(
        drug.map((d) => [d.drug_source_value, d.drug_concept_id, d.drug_type_concept_id]),
        [
          ['3400930000649', cip.concept_id, 32817],
          ['A10BA02', atc.concept_id, 32817],
        ],
      );
      assert.equal(drug[0]?.quantity, 60);
      assert.equal(drug[0]?.days_supply, 30);
      const procedures = await engine.query<{
        procedure_source_value: string;
        procedure_concept_id: number;
        procedure_type_concept_id: number;
      }>(
        'SELECT procedure_source_value, procedure_concept_id, procedure_type_concept_id FROM procedure_occurrence ORDER BY procedure_source_value',
      );
      const ccam = await one<{ concept_id: number }>(
        "SELECT concept_id FROM concept WHERE vocabulary_id = 'CCAM' AND concept_code = 'DEQP003'",
      );
      assert.deepEqual(
        procedures.map((p) => [
          p.procedure_source_value,
          p.procedure_concept_id,
          p.procedure_type_concept_id,
        ]),
        [
          ['DEQP003', ccam.concept_id, 32817],
          ['SNOMED:80146002', 0, 32817],
        ],
      );
      const m = await one<{
        measurement_concept_id: number;
        value_as_number: number;
        unit_concept_id: number;
        operator_concept_id: number;
        unit_source_value: string;
        value_source_value: string | null;
      }>("SELECT * FROM measurement WHERE measurement_source_value = '4548-4'");
      const hba1c = await one<{ concept_id: number }>(
        "SELECT concept_id FROM concept WHERE vocabulary_id = 'LOINC' AND concept_code = '4548-4'",
      );
      assert.equal(m.measurement_concept_id, hba1c.concept_id);
      assert.equal(m.value_as_number, 7.2);
      assert.equal(m.unit_concept_id, 0, 'Athena unit 8554 is not in Hygie');
      assert.equal(m.operator_concept_id, 0);
      assert.equal(m.unit_source_value, '%');
      assert.equal(m.value_source_value, null, 'value_source_value is dropped');
      const obs = await engine.query<{
        observation_source_value: string;
        observation_concept_id: number;
        value_as_string: string | null;
        value_as_number: number | null;
      }>(
        'SELECT observation_source_value, observation_concept_id, value_as_string, value_as_number FROM observation ORDER BY observation_source_value',
      );
      const z720 = await one<{ concept_id: number }>(
        "SELECT concept_id FROM concept WHERE vocabulary_id = 'CIM10' AND concept_code = 'Z720'",
      );
      assert.deepEqual(
        obs.map((o) => [
          o.observation_source_value,
          o.observation_concept_id,
          o.value_as_string,
          o.value_as_number,
        ]),
        [
          ['TABAC', 0, null, 10],
          ['Z72.0', z720.concept_id, null, null],
        ],
      );
      const death = await one<{
        person_id: bigint;
        cause_concept_id: number;
        cause_source_value: string;
        death_type_concept_id: number;
      }>('SELECT * FROM death');
      const i219 = await one<{ concept_id: number }>(
        "SELECT concept_id FROM concept WHERE vocabulary_id = 'CIM10' AND concept_code = 'I219'",
      );
      assert.equal(BigInt(death.person_id), localPersonId(SOURCE, '104'));
      assert.equal(death.cause_concept_id, i219.concept_id);
      assert.equal(death.cause_source_value, 'I21.9');
      assert.equal(death.death_type_concept_id, 32817);
    });

    test('gives visits new keys and links events to them; the export ids are not kept', async () => {
      const visits = await engine.query<{
        visit_occurrence_id: bigint;
        person_id: bigint;
        visit_concept_id: number;
        visit_type_concept_id: number;
        visit_source_value: string;
        visit_start_datetime: unknown;
        preceding_visit_occurrence_id: bigint | null;
        provider_id: bigint | null;
        care_site_id: bigint | null;
      }>('SELECT * FROM visit_occurrence ORDER BY visit_start_date');
      assert.deepEqual(
        visits.map((v) => [v.visit_source_value, v.visit_concept_id, v.visit_type_concept_id]),
        [
          ['HC', 9201, 32817],
          ['CS', 9202, 32817],
          ['CS', 9202, 32817],
          ['CS', 9202, 32817],
          ['URG', 0, 32817],
        ],
      );
      const ids = new Set(visits.map((v) => BigInt(v.visit_occurrence_id)));
      for (const source of [1001n, 1002n, 1003n, 1004n, 1006n]) assert.ok(!ids.has(source));
      assert.ok(visits.every((v) => v.provider_id === null && v.care_site_id === null));
      assert.ok(visits[0]?.visit_start_datetime !== null, 'date-times are kept');
      const hospital = visits[0];
      const followUp = visits.find((v) => v.preceding_visit_occurrence_id !== null);
      assert.equal(followUp?.preceding_visit_occurrence_id, hospital?.visit_occurrence_id);
      // Every event with a visit points at a visit of the same person.
      for (const table of [
        'condition_occurrence',
        'drug_exposure',
        'procedure_occurrence',
        'measurement',
        'observation',
      ]) {
        const [bad] = await engine.query<{ n: number | bigint }>(
          `SELECT count(*) AS n FROM ${table} e LEFT JOIN visit_occurrence v ON v.visit_occurrence_id = e.visit_occurrence_id
           WHERE e.visit_occurrence_id IS NOT NULL AND (v.person_id IS NULL OR v.person_id <> e.person_id)`,
        );
        assert.equal(Number(bad?.n), 0, table);
      }
      const [linked] = await engine.query<{ n: number | bigint }>(
        'SELECT count(*) AS n FROM condition_occurrence WHERE visit_occurrence_id = $1',
        [hospital?.visit_occurrence_id ?? 0n],
      );
      assert.equal(Number(linked?.n), 1);
    });

    test('leaves no NIR, hospital number, address line or free text in any text column', async () => {
      assert.deepEqual(await textColumnsHolding(engine, FORBIDDEN), []);
    });

    test('re-ingesting the same files is a no-op', async () => {
      const before = await cdmCounts(engine);
      const again = await runBatch(engine, testKeys(), {
        connector: createOmopConnector(),
        paths: [FIXTURES + variant],
        source: SOURCE,
        maxRejectRate: 0.5,
      });
      assert.equal(again.status, 'noop');
      assert.deepEqual(await cdmCounts(engine), before);
    });
  });
}

test('the comma-separated and the tab-separated exports load to the same warehouse content', async () => {
  const load = async (variant: string): Promise<Record<string, unknown[]>> => {
    const engine = await freshWarehouse();
    try {
      const r = await runBatch(engine, testKeys(), {
        connector: createOmopConnector(),
        paths: [FIXTURES + variant],
        source: SOURCE,
        maxRejectRate: 0.5,
      });
      assert.equal(r.status, 'published');
      return await clinicalContent(engine);
    } finally {
      await engine.close();
    }
  };
  assert.deepEqual(await load('tsv'), await load('csv'));
});

test('above --max-reject-rate nothing is published', async () => {
  const engine = await freshWarehouse();
  try {
    const report = await runBatch(engine, testKeys(), {
      connector: createOmopConnector(),
      paths: [FIXTURES + 'csv'],
      source: SOURCE,
    });
    assert.equal(report.status, 'rejected');
    assert.equal(await rows(engine, 'person'), 0);
    assert.equal(await rows(engine, 'hygie_quarantine'), QUARANTINE.length);
  } finally {
    await engine.close();
  }
});
