/**
 * Mapping edge cases, resource by resource, without an engine: what is staged, what is
 * quarantined and why — and that a quarantined row never carries the offending identifier.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeSystems, INSEE_ADDRESS_EXTENSION } from '@hygie/core';
import { parseJsonFile } from '../src/fhir/fhir-bundle-reader.js';
import type { MappedRow } from '../src/fhir/fhir-mapping.js';
import { mapResource, type SupportedResourceType } from '../src/fhir/fhir-resource-mapper.js';

const subject = { reference: 'Patient/p1' };

function map(resource: Record<string, unknown>): {
  rows: MappedRow[];
  rule: string | null;
  field: string | null;
} {
  const m = mapResource(
    resource.resourceType as SupportedResourceType,
    resource,
    resource.id as string,
    {},
  );
  return { rows: m.rows, rule: m.problem?.rule ?? null, field: m.problem?.field ?? null };
}

const row = (r: { rows: MappedRow[] }, i = 0): Record<string, unknown> =>
  (r.rows[i]?.row ?? {}) as Record<string, unknown>;

const insee = (code: string): Record<string, unknown> => ({
  url: INSEE_ADDRESS_EXTENSION,
  valueCoding: { system: CodeSystems.inseeCommune, code },
});

test('patient identity: NIR with or without key, spaced; conflicting or invalid NIRs quarantined', () => {
  const nir = (value: string) => ({ system: CodeSystems.insNir, value });
  assert.equal(
    row(map({ resourceType: 'Patient', id: 'a', identifier: [nir('1750375056123')] })).ident_value,
    '1750375056123',
  );
  const conflict = map({
    resourceType: 'Patient',
    id: 'a',
    identifier: [nir('175037505612361'), nir('280012A00400514')],
  });
  assert.deepEqual([conflict.field, conflict.rule], ['identifier', 'conflicting NIR']);
  assert.equal(row(conflict).ident_value, null);
  const invalid = map({ resourceType: 'Patient', id: 'a', identifier: [nir('175037505612399')] });
  assert.deepEqual(
    [invalid.rule, row(invalid).ident_kind, row(invalid).ident_value],
    ['invalid NIR', null, null],
  );
  const p1 = map({
    resourceType: 'Patient',
    id: 'a',
    identifier: [{ system: CodeSystems.nirSourcePseudonym, value: 'XYZ' }],
  });
  assert.deepEqual([p1.rule, row(p1).ident_value], ['invalid source pseudonym', null]);
  // A NIR wins over a source pseudonym; no identifier at all and no id: nothing to link on.
  const both = map({
    resourceType: 'Patient',
    identifier: [
      { system: CodeSystems.nirSourcePseudonym, value: 'A1B2C3D4E5F601234' },
      nir('175037505612361'),
    ],
  });
  assert.equal(row(both).ident_kind, 'nir');
  assert.deepEqual(map({ resourceType: 'Patient' }).rule, 'missing identifier');
});

test('patient address: the current one gives the commune; a malformed code is quarantined', () => {
  const patient = (address: unknown[]) => map({ resourceType: 'Patient', id: 'a', address });
  const r = patient([
    { use: 'home', period: { start: '2001', end: '2010' }, extension: [insee('69123')] },
    { period: { start: '2010' }, extension: [insee('2B033')] },
    { use: 'old', extension: [insee('13055')] },
  ]);
  assert.equal(row(r).insee_commune, '2B033');
  assert.equal(row(patient([{ use: 'old', extension: [insee('13055')] }])).insee_commune, null);
  const bad = patient([{ use: 'home', extension: [insee('75 011 Paris')] }]);
  assert.deepEqual(
    [bad.field, bad.rule, row(bad).insee_commune],
    ['address', 'invalid INSEE commune code', null],
  );
  const gender = map({ resourceType: 'Patient', id: 'a', gender: 'M' });
  assert.deepEqual([gender.field, gender.rule], ['gender', 'invalid code']);
});

test('encounter: R5-style class list, conditional service provider, bad diagnosis reference', () => {
  const r = map({
    resourceType: 'Encounter',
    id: 'e',
    subject,
    class: [{ coding: [{ system: CodeSystems.actCode, code: 'EMER' }] }],
    period: { start: '2020-01-02' },
    serviceProvider: { reference: 'Organization?identifier=https://x.example|org-7' },
    diagnosis: [{ condition: { display: 'text only' }, rank: 1 }],
  });
  assert.equal(row(r).class_code, 'EMER');
  assert.equal(row(r).service_provider, 'org-7');
  assert.deepEqual([r.field, r.rule], ['diagnosis.condition', 'unsupported reference']);
  // All or nothing: every row of the resource carries the problem (the caller writes it).
  assert.equal(r.rows.length, 2);
  const noStart = map({
    resourceType: 'Encounter',
    id: 'e',
    subject,
    period: { end: '2020-01-02' },
  });
  assert.deepEqual([noStart.field, noStart.rule], ['period.start', 'missing date']);
});

test('observation: component without code, valueBoolean, non-numeric quantity', () => {
  const base = { resourceType: 'Observation', id: 'o', subject, effectiveDateTime: '2020-01-02' };
  const code = { coding: [{ system: CodeSystems.loinc, code: '85354-9' }] };
  const r = map({
    ...base,
    code,
    component: [{ code: { text: 'systolic' }, valueQuantity: { value: 1 } }],
  });
  assert.deepEqual([r.field, r.rule], ['component.code', 'missing code']);
  assert.equal(row(map({ ...base, code, valueBoolean: true })).value_code, 'true');
  const nan = map({ ...base, code, valueQuantity: { value: '12', unit: 'mg' } });
  assert.deepEqual([nan.field, nan.rule], ['valueQuantity.value', 'invalid number']);
  const noDate = map({
    resourceType: 'Observation',
    id: 'o',
    subject,
    code,
    issued: '2020-01-03T10:00:00Z',
  });
  assert.equal(row(noDate).date, '2020-01-03');
});

test('drugs: R4 dispense context may be an EpisodeOfCare, durations in days, excluded statuses', () => {
  const med = { coding: [{ system: CodeSystems.cip13, code: '3400990000481' }] };
  const dispense = map({
    resourceType: 'MedicationDispense',
    id: 'd',
    subject,
    medicationCodeableConcept: med,
    context: { reference: 'EpisodeOfCare/9' },
    whenPrepared: '2020-01-02',
    daysSupply: { value: -3 },
  });
  assert.equal(row(dispense).encounter_ref, null);
  assert.equal(row(dispense).start_date, '2020-01-02');
  assert.deepEqual([dispense.field, dispense.rule], ['daysSupply.value', 'invalid number']);
  const request = (duration: Record<string, unknown>) =>
    row(
      map({
        resourceType: 'MedicationRequest',
        id: 'r',
        subject,
        medicationCodeableConcept: med,
        authoredOn: '2020-01-02',
        dispenseRequest: { expectedSupplyDuration: duration },
      }),
    ).days_supply;
  assert.equal(request({ value: 3, code: 'mo' }), 90);
  assert.equal(request({ value: 36, unit: 'hours' }), 2);
  assert.equal(request({ value: 3, unit: 'fortnights' }), null);
  const cancelled = map({
    resourceType: 'MedicationRequest',
    id: 'r',
    status: 'cancelled',
    subject,
    medicationCodeableConcept: med,
    authoredOn: '2020-01-02',
  });
  assert.deepEqual([cancelled.field, cancelled.rule], ['status', 'status cancelled']);
  const other = map({
    resourceType: 'MedicationRequest',
    id: 'r',
    subject,
    medicationReference: { reference: 'Substance/1' },
    authoredOn: '2020-01-02',
  });
  assert.deepEqual(
    [other.field, other.rule],
    ['medicationReference', 'reference to another resource type'],
  );
  // An Immunization dated only by free text has no date.
  const imm = map({
    resourceType: 'Immunization',
    id: 'i',
    patient: subject,
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '140' }] },
    occurrenceString: 'last spring, with Dr. Martin',
  });
  assert.deepEqual([imm.field, imm.rule], ['occurrenceDateTime', 'missing date']);
});

test('bundles: ids from urn:uuid fullUrls, entries without a resource, accepted types', () => {
  const parsed = parseJsonFile(
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { fullUrl: 'urn:uuid:1111', resource: { resourceType: 'Patient' } },
        {
          fullUrl: 'urn:uuid:2222',
          resource: { resourceType: 'Condition', subject: { reference: 'urn:uuid:1111' } },
        },
        { request: { method: 'DELETE', url: 'Patient/9' } },
      ],
    }),
  );
  assert.equal(parsed.kind, 'bundle');
  if (parsed.kind !== 'bundle') return;
  assert.deepEqual(
    parsed.entries.map((e) => [e.index, e.id]),
    [
      [1, '1111'],
      [2, '2222'],
      [3, undefined],
    ],
  );
  assert.deepEqual(parsed.context.targets?.byFullUrl('urn:uuid:1111'), {
    type: 'Patient',
    id: '1111',
  });
  for (const type of ['transaction', 'batch', 'collection', 'searchset', 'document']) {
    assert.equal(parseJsonFile(JSON.stringify({ resourceType: 'Bundle', type })).kind, 'bundle');
  }
  assert.equal(
    parseJsonFile(JSON.stringify({ resourceType: 'Bundle', type: 'transaction-response' })).kind,
    'invalid',
  );
  assert.equal(parseJsonFile('\uFEFF{"resourceType":"Patient","id":"x"}').kind, 'resource');
});
