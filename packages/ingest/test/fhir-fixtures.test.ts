/**
 * Staging of hand-written fixtures: a Synthea-like transaction Bundle (urn:uuid references, US
 * identifiers, SNOMED CT / RxNorm / LOINC / CVX codes), a French collection Bundle (INS-NIR,
 * INSEE commune, CIM-10, CCAM, CIP13 in a contained Medication) and NDJSON files with broken
 * lines and bad resources among good ones — plus files that are broken whole.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openInMemoryWarehouse, type WarehouseEngine } from '@hygie/warehouse';
import {
  fhirQuarantineSql,
  fhirReadCounts,
  stageFhir,
  type FhirCounts,
  type FhirStageReport,
} from '../src/index.js';
import { FHIR_FIXTURES, assertCountsAgree } from './fhir-test-helpers.js';

let engine: WarehouseEngine;
let report: FhirStageReport;
let broken: string;

const SYNTHEA = join(FHIR_FIXTURES, 'synthea/synthea-transaction-bundle.json');
const FRENCH = join(FHIR_FIXTURES, 'french/french-collection-bundle.json');
const PATIENTS = join(FHIR_FIXTURES, 'ndjson/Patient.ndjson');
const EVENTS = join(FHIR_FIXTURES, 'ndjson/Events.ndjson');
const SYNTHEA_PATIENT = '0b8e3a7c-5d2f-4e61-9a3b-7c4d2e1f0a91';

before(async () => {
  // Files broken whole, next to good ones: each costs one quarantine row, never the run.
  broken = mkdtempSync(join(tmpdir(), 'hygie-fhir-broken-'));
  writeFileSync(join(broken, 'a-not-json.json'), '{"resourceType": "Bundle", "type": ');
  writeFileSync(
    join(broken, 'b-history.json'),
    JSON.stringify({ resourceType: 'Bundle', type: 'history', entry: [] }),
  );
  writeFileSync(join(broken, 'c-manifest.json'), JSON.stringify({ transactionTime: 'x' }));
  writeFileSync(
    join(broken, 'd-single.json'),
    JSON.stringify({
      resourceType: 'Procedure',
      id: 'prc-single',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '73761001' }] },
      subject: { reference: 'Patient/pat-nd-1' },
      performedDateTime: '2022-01-05',
    }),
  );
  writeFileSync(join(broken, 'e-events.ndjson.gz'), gzipSync(readFileSync(EVENTS)));
  // A gzip stream cut short: the lines before the cut are staged, the rest quarantined as one.
  const gz = gzipSync(readFileSync(EVENTS));
  writeFileSync(join(broken, 'f-truncated.ndjson.gz'), gz.subarray(0, gz.length >> 1));
  writeFileSync(join(broken, 'notes.txt'), 'not read: not a FHIR extension');

  engine = await openInMemoryWarehouse();
  report = await stageFhir(engine, [FHIR_FIXTURES, broken]);
});

after(async () => {
  await engine.close();
  rmSync(broken, { recursive: true, force: true });
});

function fileCounts(path: string): Record<string, FhirCounts> {
  const f = report.files.find((x) => x.path === path);
  assert.ok(f, `no report for ${path}`);
  return f.resources;
}

const counts = (read: number, staged: number, unsupported = 0): FhirCounts => ({
  read,
  staged,
  quarantined: read - staged,
  unsupported,
});

test('files are walked in sorted order, other extensions ignored', () => {
  const names = report.files.map((f) => f.path.slice(f.path.lastIndexOf('/') + 1));
  assert.deepEqual(names, [
    'french-collection-bundle.json',
    'Events.ndjson',
    'Medication.ndjson',
    'Patient.ndjson',
    'synthea-transaction-bundle.json',
    'a-not-json.json',
    'b-history.json',
    'c-manifest.json',
    'd-single.json',
    'e-events.ndjson.gz',
    'f-truncated.ndjson.gz',
  ]);
});

test('read = staged + quarantined, and the report agrees with the tables', async () => {
  await assertCountsAgree(engine, report);
});

test('the quarantine SQL gives one row per quarantined resource, by file and type', async () => {
  const rows = await engine.query<{ path: string; source_table: string; n: number }>(
    `SELECT path, source_table, count(*)::INTEGER AS n FROM (${fhirQuarantineSql()})
     GROUP BY path, source_table`,
  );
  const fromSql = new Map(rows.map((r) => [`${r.path}|${r.source_table}`, r.n]));
  let expected = 0;
  for (const f of report.files) {
    for (const [type, c] of Object.entries(f.resources)) {
      assert.equal(fromSql.get(`${f.label}|${type}`) ?? 0, c.quarantined, `${f.label} ${type}`);
      expected += c.quarantined;
    }
  }
  assert.equal(
    [...fromSql.values()].reduce((a, b) => a + b, 0),
    expected,
  );
  const read = fhirReadCounts(report);
  assert.equal(
    read.reduce((a, r) => a + r.read, 0),
    report.total.read,
  );
});

test('Synthea bundle: every supported resource staged, unsupported types quarantined', () => {
  assert.deepEqual(fileCounts(SYNTHEA), {
    Patient: counts(1, 1),
    Encounter: counts(2, 2),
    Condition: counts(4, 3),
    Medication: counts(1, 1),
    MedicationRequest: counts(2, 2),
    Observation: counts(4, 4),
    Procedure: counts(1, 1),
    Immunization: counts(1, 1),
    Claim: counts(1, 0, 1),
    DiagnosticReport: counts(1, 0, 1),
    Provenance: counts(1, 0, 1),
  });
});

test('Synthea patient: no NIR → local identity, year and month of birth only', async () => {
  const rows = await engine.query(
    `SELECT fhir_id, ident_kind, ident_value, gender, birth_year, birth_month, insee_commune,
            death_date, _line FROM stg_fhir_patient WHERE _file = $1`,
    [SYNTHEA],
  );
  assert.deepEqual(rows, [
    {
      fhir_id: SYNTHEA_PATIENT,
      ident_kind: 'local',
      ident_value: SYNTHEA_PATIENT,
      gender: 'male',
      birth_year: 1961,
      birth_month: 7,
      insee_commune: null,
      death_date: null,
      _line: 1,
    },
  ]);
});

test('Synthea encounters: urn:uuid references, EMER class, SNOMED type and reason', async () => {
  const enc = await engine.query(
    `SELECT fhir_id, patient_ref, class_code, type_system, type_code, start_date, end_date,
            service_provider FROM stg_fhir_encounter WHERE _file = $1 ORDER BY _line`,
    [SYNTHEA],
  );
  assert.deepEqual(enc[0], {
    fhir_id: '3f9a1c2e-7b4d-4c8e-a2f1-6d5e4c3b2a19',
    patient_ref: SYNTHEA_PATIENT,
    class_code: 'EMER',
    type_system: 'http://snomed.info/sct',
    type_code: '50849002',
    // The date as recorded, before any time-zone conversion.
    start_date: '2019-03-04',
    end_date: '2019-03-04',
    service_provider: 'ef58ea08-d883-3957-8300-150554edc8fb',
  });
  const reasons = await engine.query(
    `SELECT encounter_id, patient_ref, code_system, code, start_date
     FROM stg_fhir_encounter_reason WHERE _file = $1`,
    [SYNTHEA],
  );
  // The free-text-only reason yields no row.
  assert.deepEqual(reasons, [
    {
      encounter_id: '3f9a1c2e-7b4d-4c8e-a2f1-6d5e4c3b2a19',
      patient_ref: SYNTHEA_PATIENT,
      code_system: 'http://snomed.info/sct',
      code: '195662009',
      start_date: '2019-03-04',
    },
  ]);
  const dx = await engine.query(
    `SELECT encounter_id, condition_ref, rank, use_code FROM stg_fhir_encounter_diagnosis
     WHERE _file = $1`,
    [SYNTHEA],
  );
  assert.deepEqual(dx, [
    {
      encounter_id: '3f9a1c2e-7b4d-4c8e-a2f1-6d5e4c3b2a19',
      condition_ref: 'a1c2e3f4-1111-4a2b-8c3d-000000000002',
      rank: 1,
      use_code: 'AD',
    },
  ]);
});

test('Synthea conditions: SNOMED kept, ICD-10-CM preferred and undotted, refuted quarantined', async () => {
  const rows = await engine.query(
    `SELECT fhir_id, encounter_ref, code_system, code, onset_date, end_date, category, _field, _rule
     FROM stg_fhir_condition WHERE _file = $1 ORDER BY _line`,
    [SYNTHEA],
  );
  assert.deepEqual(
    rows.map((r) => [r.code_system, r.code, r.onset_date, r.end_date, r._rule]),
    [
      ['http://snomed.info/sct', '59621000', '2010-08-12', null, null],
      ['http://snomed.info/sct', '195662009', '2019-03-04', '2019-03-18', null],
      // onsetPeriod.start "2015-05": a partial date becomes the first of the month.
      ['http://hl7.org/fhir/sid/icd-10-cm', 'E119', '2015-05-01', null, null],
      ['http://snomed.info/sct', '233604007', '2019-03-04', null, 'verification status refuted'],
    ],
  );
  assert.equal(rows[0]?.encounter_ref, '8c7b6a59-4e3d-4f2c-b1a0-9e8d7c6b5a42');
  assert.equal(rows[0]?.category, 'encounter-diagnosis');
  assert.equal(rows[3]?._field, 'verificationStatus');
});

test('Synthea drugs: RxNorm coded, a bundled Medication resolved, supply in days', async () => {
  const rows = await engine.query(
    `SELECT resource_type, fhir_id, patient_ref, encounter_ref, code_system, code, start_date,
            quantity, days_supply, _rule
     FROM stg_fhir_medication WHERE _file = $1 ORDER BY _line`,
    [SYNTHEA],
  );
  assert.deepEqual(rows, [
    {
      resource_type: 'MedicationRequest',
      fhir_id: 'b2d3e4f5-2222-4b3c-9d4e-000000000002',
      patient_ref: SYNTHEA_PATIENT,
      encounter_ref: '8c7b6a59-4e3d-4f2c-b1a0-9e8d7c6b5a42',
      code_system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
      code: '314076',
      start_date: '2020-06-15',
      quantity: 30,
      days_supply: 28,
      _rule: null,
    },
    {
      resource_type: 'MedicationRequest',
      fhir_id: 'b2d3e4f5-2222-4b3c-9d4e-000000000003',
      patient_ref: SYNTHEA_PATIENT,
      encounter_ref: '3f9a1c2e-7b4d-4c8e-a2f1-6d5e4c3b2a19',
      code_system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
      code: '1796676',
      start_date: '2019-03-04',
      quantity: null,
      days_supply: null,
      _rule: null,
    },
    {
      resource_type: 'Immunization',
      fhir_id: 'e5a6b7c8-5555-4e6f-8a7b-000000000001',
      patient_ref: SYNTHEA_PATIENT,
      encounter_ref: '8c7b6a59-4e3d-4f2c-b1a0-9e8d7c6b5a42',
      code_system: 'http://hl7.org/fhir/sid/cvx',
      code: '140',
      start_date: '2020-06-15',
      quantity: null,
      days_supply: null,
      _rule: null,
    },
  ]);
});

test('Synthea observations: blood pressure panel → one row per component, free text dropped', async () => {
  const rows = await engine.query(
    `SELECT fhir_id, code, date, value_number, unit, value_system, value_code
     FROM stg_fhir_observation WHERE _file = $1 ORDER BY _line, code`,
    [SYNTHEA],
  );
  assert.deepEqual(
    rows.map((r) => [r.code, r.date, r.value_number, r.unit, r.value_system, r.value_code]),
    [
      ['8302-2', '2020-06-15', 180.3, 'cm', null, null],
      ['8462-4', '2020-06-15', 82, 'mm[Hg]', null, null],
      ['8480-6', '2020-06-15', 128, 'mm[Hg]', null, null],
      ['72166-2', '2020-06-15', null, null, 'http://snomed.info/sct', '266919005'],
      // valueString and note are free text: the observation is kept, its text is not.
      ['34109-9', '2020-06-15', null, null, null, null],
    ],
  );
  assert.equal(rows[1]?.fhir_id, rows[2]?.fhir_id, 'components keep the panel id');
});

test('Synthea procedure (SNOMED, performedPeriod) and unsupported types', async () => {
  const prc = await engine.query(
    `SELECT code_system, code, date, encounter_ref FROM stg_fhir_procedure WHERE _file = $1`,
    [SYNTHEA],
  );
  assert.deepEqual(prc, [
    {
      code_system: 'http://snomed.info/sct',
      code: '430193006',
      date: '2020-06-15',
      encounter_ref: '8c7b6a59-4e3d-4f2c-b1a0-9e8d7c6b5a42',
    },
  ]);
  const rejected = await engine.query(
    `SELECT _line, _field, _rule, resource_type FROM stg_fhir_rejected WHERE _file = $1
     ORDER BY _line`,
    [SYNTHEA],
  );
  assert.deepEqual(
    rejected.map((r) => [r._line, r._field, r._rule, r.resource_type]),
    [
      [17, 'resourceType', 'unsupported resource type', 'Claim'],
      [18, 'resourceType', 'unsupported resource type', 'DiagnosticReport'],
      [19, 'resourceType', 'unsupported resource type', 'Provenance'],
    ],
  );
});

test('French bundle: INS-NIR body, current address commune, CIM-10, CCAM, contained CIP13', async () => {
  const [patient] = await engine.query(
    `SELECT fhir_id, ident_kind, ident_value, birth_year, birth_month, insee_commune, death_date
     FROM stg_fhir_patient WHERE _file = $1`,
    [FRENCH],
  );
  assert.deepEqual(patient, {
    fhir_id: 'pat-fr-1',
    ident_kind: 'nir',
    ident_value: '1750375056123',
    birth_year: 1975,
    birth_month: 3,
    // The home address, not the old one.
    insee_commune: '75056',
    death_date: null,
  });
  const [enc] = await engine.query(
    `SELECT patient_ref, class_code, discharge, service_provider FROM stg_fhir_encounter
     WHERE _file = $1`,
    [FRENCH],
  );
  assert.deepEqual(enc, {
    patient_ref: 'pat-fr-1',
    class_code: 'IMP',
    discharge: 'home',
    service_provider: '750712184',
  });
  const dx = await engine.query(
    `SELECT condition_ref, rank, use_code FROM stg_fhir_encounter_diagnosis WHERE _file = $1
     ORDER BY rank`,
    [FRENCH],
  );
  assert.deepEqual(dx, [
    { condition_ref: 'cnd-fr-1', rank: 1, use_code: 'DD' },
    { condition_ref: 'cnd-fr-2', rank: 2, use_code: 'CM' },
  ]);
  const cnd = await engine.query(
    `SELECT code_system, code, onset_date, encounter_ref, _rule FROM stg_fhir_condition
     WHERE _file = $1 ORDER BY _line`,
    [FRENCH],
  );
  assert.deepEqual(cnd, [
    {
      code_system: 'https://smt.esante.gouv.fr/terminologie-cim-10',
      code: 'I210',
      onset_date: '2021-11-09',
      encounter_ref: 'enc-fr-1',
      _rule: null,
    },
    // No date, but an encounter: the publish step dates it by the encounter.
    {
      code_system: 'https://smt.esante.gouv.fr/terminologie-cim-10',
      code: 'E119',
      onset_date: null,
      encounter_ref: 'enc-fr-1',
      _rule: null,
    },
  ]);
  const [drug] = await engine.query(
    `SELECT code_system, code, alt_system, alt_code, encounter_ref, start_date, quantity,
            days_supply FROM stg_fhir_medication WHERE _file = $1`,
    [FRENCH],
  );
  assert.deepEqual(drug, {
    code_system: 'https://smt.esante.gouv.fr/terminologie-cip',
    code: '3400936404359',
    alt_system: 'http://www.whocc.no/atc',
    alt_code: 'B01AC06',
    encounter_ref: 'enc-fr-1',
    start_date: '2021-11-10',
    quantity: 2,
    days_supply: 60,
  });
  const [prc] = await engine.query(
    `SELECT code_system, code FROM stg_fhir_procedure WHERE _file = $1`,
    [FRENCH],
  );
  assert.deepEqual(prc, {
    code_system: 'https://smt.esante.gouv.fr/terminologie-ccam',
    code: 'DEQP003',
  });
});

test('NDJSON patients: broken line, invalid NIR, unsupported type — the rest staged', async () => {
  assert.deepEqual(fileCounts(PATIENTS), {
    Patient: counts(5, 3),
    '(unknown)': counts(2, 0),
    Claim: counts(1, 0, 1),
  });
  const rows = await engine.query(
    `SELECT _line, _field, _rule, fhir_id, ident_kind, ident_value, birth_year, birth_month,
            insee_commune, death_date FROM stg_fhir_patient WHERE _file = $1 ORDER BY _line`,
    [PATIENTS],
  );
  assert.deepEqual(
    rows.map((r) => Object.values(r)),
    [
      [1, null, null, 'pat-nd-1', 'nir', '280012A004005', 1980, null, '2A004', '2021-06-02'],
      // The invalid NIR is never staged, not even in a quarantined row.
      [2, 'identifier', 'invalid NIR', 'pat-nd-2', null, null, 1985, 6, null, null],
      [3, null, null, 'pat-nd-3', 'nir_p1', 'A1B2C3D4E5F601234', 1990, 12, null, null],
      [8, 'birthDate', 'invalid date', 'pat-nd-4', 'local', 'pat-nd-4', null, null, null, null],
      [9, null, null, 'pat-nd-5', 'local', 'pat-nd-5', 2001, 9, null, null],
    ],
  );
  const rejected = await engine.query(
    `SELECT _line, _field, _rule, resource_type FROM stg_fhir_rejected WHERE _file = $1
     ORDER BY _line`,
    [PATIENTS],
  );
  assert.deepEqual(
    rejected.map((r) => Object.values(r)),
    [
      [4, 'json', 'invalid JSON', null],
      [6, 'resourceType', 'unsupported resource type', 'Claim'],
      [7, 'json', 'not a JSON object', null],
    ],
  );
});

test('NDJSON events: each bad resource quarantined with its reason, the rest staged', async () => {
  assert.deepEqual(fileCounts(EVENTS), {
    Condition: counts(2, 1),
    Encounter: counts(2, 1),
    MedicationRequest: counts(1, 1),
    MedicationDispense: counts(2, 1),
    Observation: counts(3, 1),
    Procedure: counts(1, 1),
    Immunization: counts(1, 0),
    '(unknown)': counts(1, 0),
  });
  const union = ['condition', 'encounter', 'medication', 'observation', 'procedure']
    .map((t) => `SELECT _line, _field, _rule FROM stg_fhir_${t} WHERE _file = $1`)
    .join(' UNION ALL ');
  const problems = await engine.query(
    `SELECT * FROM (${union} UNION ALL
       SELECT _line, _field, _rule FROM stg_fhir_rejected WHERE _file = $1)
     WHERE _rule IS NOT NULL ORDER BY _line`,
    [EVENTS],
  );
  assert.deepEqual(
    problems.map((r) => Object.values(r)),
    [
      [2, 'subject', 'missing reference'],
      [5, 'medicationReference', 'unresolved medication reference'],
      [6, 'subject', 'reference to another resource type'],
      [8, 'status', 'status not-done'],
      [9, 'resourceType', 'missing resourceType'],
      [11, 'effectiveDateTime', 'invalid date'],
      [13, 'status', 'status entered-in-error'],
    ],
  );
});

test('a Medication in another NDJSON file resolves the reference at the end of the run', async () => {
  const rows = await engine.query(
    `SELECT _file, code_system, code, alt_system, alt_code, days_supply, medication_ref, _rule
     FROM stg_fhir_medication WHERE fhir_id = 'mr-nd-1' AND _file IN ($1, $2) ORDER BY _file`,
    [EVENTS, join(broken, 'e-events.ndjson.gz')],
  );
  // The plain file and its gzip copy both resolve.
  assert.equal(rows.length, 2);
  for (const r of rows) {
    assert.deepEqual(
      [r.code_system, r.code, r.alt_system, r.alt_code, r.days_supply, r._rule],
      [
        'https://smt.esante.gouv.fr/terminologie-cip',
        '3400935955838',
        'http://www.whocc.no/atc',
        'N02BE01',
        10,
        null,
      ],
    );
  }
  assert.ok(report.medicationReferencesResolved >= 2);
  const [contained] = await engine.query(
    `SELECT code_system, code, alt_code FROM stg_fhir_medication WHERE fhir_id = 'mdd-nd-2' AND _file = $1`,
    [EVENTS],
  );
  assert.deepEqual(contained, {
    code_system: 'http://www.whocc.no/atc',
    code: 'J01CA04',
    alt_code: null,
  });
});

test('files broken whole: one quarantine row each, line 0; a single resource file is staged', () => {
  const of = (name: string): Record<string, FhirCounts> => fileCounts(join(broken, name));
  assert.deepEqual(of('a-not-json.json'), { '(unknown)': counts(1, 0) });
  assert.deepEqual(of('b-history.json'), { Bundle: counts(1, 0) });
  assert.deepEqual(of('c-manifest.json'), { '(unknown)': counts(1, 0) });
  assert.deepEqual(of('d-single.json'), { Procedure: counts(1, 1) });
  assert.deepEqual(of('e-events.ndjson.gz'), fileCounts(EVENTS));
});

test('a truncated gzip file keeps the lines read and quarantines the rest as one', async () => {
  const file = join(broken, 'f-truncated.ndjson.gz');
  const [last] = await engine.query<{ _line: number; _field: string; _rule: string }>(
    `SELECT _line, _field, _rule FROM stg_fhir_rejected WHERE _file = $1 ORDER BY _line DESC LIMIT 1`,
    [file],
  );
  assert.equal(last?._rule, 'unreadable file');
  const total = report.files.find((f) => f.path === file)?.total;
  assert.ok(total && total.read > 1 && total.staged > 0, 'lines before the cut are staged');
  const [read] = await engine.query<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM stg_fhir_patient WHERE _file = $1`,
    [file],
  );
  assert.equal(read?.n, 0);
});

test('whole-file rejections are reported with line 0', async () => {
  const rows = await engine.query(
    `SELECT _file, _line, _field, _rule, resource_type FROM stg_fhir_rejected
     WHERE _line = 0 ORDER BY _file`,
  );
  assert.deepEqual(
    rows.map((r) => [String(r._file).slice(broken.length + 1), r._field, r._rule, r.resource_type]),
    [
      ['a-not-json.json', 'json', 'invalid JSON', null],
      ['b-history.json', 'Bundle.type', 'unsupported Bundle type', 'Bundle'],
      ['c-manifest.json', 'resourceType', 'missing resourceType', null],
    ],
  );
});

test('staging inside a transaction works the same (TEMP tables on its connection)', async () => {
  const other = await openInMemoryWarehouse();
  try {
    const n = await other.transaction(async (tx) => {
      const r = await stageFhir(tx, [SYNTHEA]);
      assert.equal(r.total.read, 19);
      const [row] = await tx.query<{ n: number }>(
        'SELECT count(*)::INTEGER AS n FROM stg_fhir_observation',
      );
      return row?.n;
    });
    assert.equal(n, 5);
  } finally {
    await other.close();
  }
});
