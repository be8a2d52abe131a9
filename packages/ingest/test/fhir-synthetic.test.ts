/**
 * Staging of Hygie's own synthetic FHIR export (written by `hygie synth --format fhir`) together
 * with the hand-written fixtures: every resource staged, counts that match the files, NIR bodies
 * and year/month of birth only — and the leak guard: no name, NIR, exact birth date, street line
 * or phone number of the sources anywhere in the staging tables.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CodeSystems, NIR_SEARCH_PATTERN, normaliseNir } from '@hygie/core';
import { openInMemoryWarehouse, type WarehouseEngine } from '@hygie/warehouse';
import { stageFhir, type FhirStageProgress, type FhirStageReport } from '../src/index.js';
import {
  FHIR_FIXTURES,
  assertCountsAgree,
  generateSynthFhir,
  readNdjson,
  scanForLeaks,
  type SynthFhir,
} from './fhir-test-helpers.js';

let sample: SynthFhir;
let engine: WarehouseEngine;
let report: FhirStageReport;
const progress: FhirStageProgress[] = [];

before(async () => {
  sample = generateSynthFhir(300, 'fhir-staging');
  engine = await openInMemoryWarehouse();
  report = await stageFhir(engine, [sample.fhirDir, FHIR_FIXTURES], {
    onProgress: (p) => progress.push(p),
    progressEvery: 5000,
  });
});

after(async () => {
  await engine.close();
  sample.cleanup();
});

const sampleFiles = (): FhirStageReport['files'] =>
  report.files.filter((f) => f.path.startsWith(sample.fhirDir));

test('every synthetic resource is staged, and counts match the generated files', () => {
  const files = sampleFiles();
  assert.equal(files.length, sample.rowsByFile.size);
  for (const f of files) {
    const name = `fhir/${f.path.slice(sample.fhirDir.length + 1)}`;
    const type = name.slice('fhir/'.length, -'.ndjson'.length);
    const expected = sample.rowsByFile.get(name) ?? -1;
    assert.deepEqual(
      f.resources,
      expected === 0
        ? {}
        : { [type]: { read: expected, staged: expected, quarantined: 0, unsupported: 0 } },
      name,
    );
  }
});

test('read = staged + quarantined over fixtures and sample, and the tables agree', async () => {
  await assertCountsAgree(engine, report);
  assert.ok(report.total.quarantined > 0, 'the fixtures hold bad resources');
});

test('synthetic patients: NIR bodies (13 characters), year and month of birth, commune', async () => {
  const source = readNdjson(join(sample.fhirDir, 'Patient.ndjson'));
  const rows = await engine.query<{
    fhir_id: string;
    ident_kind: string;
    ident_value: string;
    birth_year: number;
    birth_month: number;
    insee_commune: string | null;
  }>(
    `SELECT fhir_id, ident_kind, ident_value, birth_year, birth_month, insee_commune
     FROM stg_fhir_patient WHERE starts_with(_file, $1)`,
    [sample.fhirDir],
  );
  assert.equal(rows.length, source.length);
  const byId = new Map(rows.map((r) => [r.fhir_id, r]));
  for (const p of source) {
    const row = byId.get(String(p.id));
    assert.ok(row);
    const nir = (p.identifier as { system: string; value: string }[]).find(
      (i) => i.system === CodeSystems.insNir,
    )?.value;
    assert.equal(row.ident_kind, 'nir');
    assert.equal(row.ident_value.length, 13);
    assert.equal(row.ident_value, normaliseNir(String(nir)));
    const [y, m] = String(p.birthDate).split('-');
    assert.equal(row.birth_year, Number(y));
    assert.equal(row.birth_month, Number(m));
    assert.match(String(row.insee_commune), /^[0-9][0-9AB][0-9]{3}$/);
  }
});

test('synthetic deaths, stays and drugs are staged with their codes', async () => {
  const [deaths] = await engine.query<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM stg_fhir_patient
     WHERE death_date IS NOT NULL AND starts_with(_file, $1)`,
    [sample.fhirDir],
  );
  const source = readNdjson(join(sample.fhirDir, 'Patient.ndjson'));
  assert.equal(deaths?.n, source.filter((p) => p.deceasedDateTime !== undefined).length);
  const [stays] = await engine.query<{ n: number; dx: number; sp: number }>(
    `SELECT count(*)::INTEGER AS n,
            count(*) FILTER (WHERE discharge IS NOT NULL)::INTEGER AS dx,
            count(*) FILTER (WHERE service_provider IS NOT NULL)::INTEGER AS sp
     FROM stg_fhir_encounter WHERE class_code IN ('IMP', 'SS') AND starts_with(_file, $1)`,
    [sample.fhirDir],
  );
  assert.ok(stays && stays.n > 0 && stays.dx === stays.n && stays.sp === stays.n);
  const [drugs] = await engine.query<{ n: number; cip: number; atc: number }>(
    `SELECT count(*)::INTEGER AS n,
            count(*) FILTER (WHERE code_system = $2 AND length(code) = 13)::INTEGER AS cip,
            count(*) FILTER (WHERE alt_system = $3)::INTEGER AS atc
     FROM stg_fhir_medication WHERE starts_with(_file, $1)`,
    [sample.fhirDir, CodeSystems.cip13, CodeSystems.atc],
  );
  assert.ok(drugs && drugs.n > 0 && drugs.cip === drugs.n && drugs.atc === drugs.n);
  const [undotted] = await engine.query<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM stg_fhir_condition WHERE contains(code, '.')`,
  );
  assert.equal(undotted?.n, 0, 'CIM-10 codes are staged undotted');
});

test('progress is reported every N resources and after each file', () => {
  assert.ok(progress.length >= report.files.length);
  const last = progress.at(-1);
  assert.equal(last?.filesDone, report.files.length);
  assert.equal(last?.resources, report.total.read);
  for (let i = 1; i < progress.length; i++) {
    assert.ok((progress[i]?.resources ?? 0) >= (progress[i - 1]?.resources ?? 0));
  }
});

/** Identifiers of the hand-written fixtures, which must never reach a staging table. */
const FIXTURE_IDENTIFIERS = [
  'Brekke496',
  'Aaron697',
  'Hoppe518',
  'Mariela993',
  'Gulgowski816',
  'Jeffrey461',
  '999-54-3210',
  'S99947712',
  '555-327-4478',
  '1045 Kuhlman Gateway Apt 12',
  '1961-07-23',
  'DUPONTEL',
  'MARCEL',
  'IPP-0042',
  '0612345678',
  '12 rue des Lilas',
  '3 impasse des Tilleuls',
  '1975-03-14',
  'LECORSE',
  '5 montee du Port',
  'FAUXNUMERO',
  'ODILE',
  '1985-06-17',
  '1990-12-01',
];

test('leak guard: no name, NIR, birth date, street line or phone number in any staging table', async () => {
  const needles: string[] = [...FIXTURE_IDENTIFIERS];
  for (const p of readNdjson(join(sample.fhirDir, 'Patient.ndjson'))) {
    for (const n of p.name as { family: string; given: string[] }[]) {
      needles.push(n.family, ...n.given);
    }
    for (const t of p.telecom as { value: string }[]) needles.push(t.value);
    for (const a of p.address as { line: string[] }[]) needles.push(...a.line);
    needles.push(String(p.birthDate));
  }
  assert.ok(needles.length > 1000);
  const hits = await scanForLeaks(engine, { values: needles }, NIR_SEARCH_PATTERN);
  assert.deepEqual(hits, []);

  // The one column that carries an identifier (to be pseudonymised at publish) holds only NIR
  // bodies, source pseudonyms or the resource's own id — nothing else.
  const odd = await engine.query(
    `SELECT ident_kind, count(*)::INTEGER AS n FROM stg_fhir_patient
     WHERE ident_value IS NOT NULL AND NOT (
       (ident_kind = 'nir' AND regexp_full_match(ident_value, '[12][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{6}'))
       OR (ident_kind = 'nir_p1' AND regexp_full_match(ident_value, '[0-9A-F]{17}'))
       OR (ident_kind = 'local' AND ident_value = fhir_id))
     GROUP BY ident_kind`,
  );
  assert.deepEqual(odd, []);
});

test('the leak guard does catch a leak', async () => {
  await engine.execute(`CREATE TEMP TABLE stg_fhir_zz_probe (_file VARCHAR, note VARCHAR)`);
  await engine.appendRows(
    'stg_fhir_zz_probe',
    ['_file', 'note'],
    [
      ['x', 'seen: Brekke496'],
      ['y', '1 75 03 75 056 123 61'],
    ],
  );
  const hits = await scanForLeaks(engine, { values: FIXTURE_IDENTIFIERS }, NIR_SEARCH_PATTERN);
  await engine.execute('DROP TABLE stg_fhir_zz_probe');
  assert.deepEqual(hits, [{ table: 'stg_fhir_zz_probe', column: 'note', hits: 2 }]);
});
