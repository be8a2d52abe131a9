/**
 * The FHIR NDJSON output: one resource type per file, unique ids, references that resolve, the
 * identifiers a hospital export carries (NIR as INS-NIR, name, birth date, address), and codes
 * that exist in the shipped vocabularies.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CodeSystems, isValidNir, undottedCim10 } from '@hygie/core';
import { ccamCodes, cim10Codes, drugProducts, labTests } from '@hygie/reference';
import { FHIR_RESOURCE_TYPES } from '../src/index.js';
import { generate, readNdjson, readSndsObjects, type Run } from './helpers.js';

let run: Run;
let resources: Map<string, Record<string, unknown>[]>;
before(async () => {
  run = await generate({ persons: 1500, format: 'fhir', workers: 0, seed: 'fhir' });
  resources = new Map(
    FHIR_RESOURCE_TYPES.map((t) => [t, readNdjson(join(run.dir, 'fhir', `${t}.ndjson`))]),
  );
});
after(() => run.cleanup());

type Coding = { system: string; code: string };
const codings = (cc: unknown): Coding[] => (cc as { coding?: Coding[] } | undefined)?.coding ?? [];

test('each file holds its resource type with unique ids', () => {
  for (const [type, list] of resources) {
    assert.ok(list.length > 0 || type === 'Procedure', `${type} empty`);
    const ids = new Set<string>();
    for (const r of list) {
      assert.equal(r.resourceType, type);
      assert.match(String(r.id), /^[A-Za-z0-9\-.]{1,64}$/);
      assert.ok(!ids.has(String(r.id)), `${type}/${String(r.id)} duplicated`);
      ids.add(String(r.id));
    }
  }
});

test('patients carry NIR, name, birth date and address, like a hospital export', () => {
  const patients = resources.get('Patient') ?? [];
  assert.equal(patients.length, run.summary.persons);
  for (const p of patients) {
    const ids = p.identifier as { system: string; value: string }[];
    const nir = ids.find((i) => i.system === CodeSystems.insNir)?.value ?? '';
    assert.ok(isValidNir(nir));
    assert.match(String(p.birthDate), /^\d{4}-\d{2}-\d{2}$/);
    const name = (p.name as { family: string; given: string[] }[])[0];
    assert.ok(name && name.family.length > 0 && name.given.length > 0);
    const address = (p.address as { line: string[]; extension: { valueCoding: Coding }[] }[]).at(
      -1,
    );
    assert.ok(
      address &&
        address.line[0] &&
        /^[0-9AB]{5}$/.test(address.extension[0]?.valueCoding.code ?? ''),
    );
    assert.equal(nir[0], p.gender === 'male' ? '1' : '2');
  }
});

test('every reference resolves and every code exists in the vocabularies', () => {
  const ids = new Set<string>();
  for (const [type, list] of resources) for (const r of list) ids.add(`${type}/${String(r.id)}`);
  const cim = cim10Codes();
  const ccam = ccamCodes();
  const cip = new Set(drugProducts().map((d) => d.cip13));
  const loinc = new Set(labTests().map((t) => t.loinc));
  for (const [type, list] of resources) {
    for (const r of list) {
      if (type !== 'Patient')
        assert.ok(ids.has((r.subject as { reference: string }).reference), `${type} subject`);
      const enc = r.encounter as { reference: string } | undefined;
      if (enc) assert.ok(ids.has(enc.reference), `${type} encounter`);
      if (type === 'Condition')
        for (const c of codings(r.code))
          assert.ok(cim.has(undottedCim10(c.code)), `CIM-10 ${c.code}`);
      if (type === 'Procedure') for (const c of codings(r.code)) assert.ok(ccam.has(c.code));
      if (type === 'MedicationDispense') {
        const c = codings(r.medicationCodeableConcept).find((x) => x.system === CodeSystems.cip13);
        assert.ok(c && cip.has(c.code));
      }
      if (type === 'Observation') for (const c of codings(r.code)) assert.ok(loinc.has(c.code));
      if (type === 'Encounter') {
        for (const d of (r.diagnosis as { condition: { reference: string } }[] | undefined) ?? [])
          assert.ok(ids.has(d.condition.reference));
        for (const rc of (r.reasonCode as unknown[] | undefined) ?? [])
          for (const c of codings(rc)) assert.ok(cim.has(undottedCim10(c.code)));
      }
    }
  }
});

test('with --fhir-share, the FHIR export covers that share of the persons of the SNDS extract', async () => {
  const partial = await generate({
    persons: 2000,
    format: 'both',
    workers: 0,
    seed: 'share',
    fhirShare: 0.2,
  });
  try {
    const patients = readNdjson(join(partial.dir, 'fhir', 'Patient.ndjson'));
    const share = patients.length / partial.summary.persons;
    assert.ok(share > 0.15 && share < 0.25, `share ${share}`);
    const snds = readSndsObjects(join(partial.dir, 'snds', 'IR_BEN_R.csv'));
    const nirs = new Set(snds.map((b) => b.BEN_NIR_PSA));
    assert.equal(snds.length, partial.summary.persons);
    for (const p of patients) {
      const nir = (p.identifier as { value: string }[])[0]?.value ?? '';
      assert.ok(nirs.has(nir), 'FHIR patient missing from the SNDS extract');
    }
  } finally {
    partial.cleanup();
  }
});
