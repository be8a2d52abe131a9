/**
 * The pure building blocks of the FHIR connector: coding preference, FHIR dates, references.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeSystems } from '@hygie/core';
import {
  codingPair,
  parseFhirDate,
  parseReference,
  preferredCoding,
  rankedCodings,
  resolveReference,
  systemRank,
} from '../src/index.js';

const cc = (...codings: [string | undefined, string | undefined][]): Record<string, unknown> => ({
  coding: codings.map(([system, code]) => ({ system, code, display: 'ignored' })),
  text: 'free text is never read',
});

test('system priority: CIM-10, ICD-10, CCAM, CIP13, ATC, LOINC, then anything else', () => {
  const order = [
    CodeSystems.cim10,
    CodeSystems.icd10,
    CodeSystems.ccam,
    CodeSystems.cip13,
    CodeSystems.atc,
    CodeSystems.loinc,
    CodeSystems.snomed,
  ];
  for (let i = 1; i < order.length; i++) {
    assert.ok(systemRank(order[i - 1] as string) < systemRank(order[i] as string), order[i]);
  }
  assert.equal(systemRank('http://hl7.org/fhir/sid/icd-10-cm'), systemRank(CodeSystems.icd10));
  assert.equal(systemRank('urn:oid:2.16.840.1.113883.6.90'), systemRank(CodeSystems.icd10));
  assert.equal(systemRank('http://hl7.org/fhir/sid/cvx'), systemRank(CodeSystems.rxnorm));
  assert.ok(systemRank(null) > systemRank(CodeSystems.rxnorm));
});

test('the preferred coding keeps the system URI as given; ICD-10 family codes are undotted', () => {
  assert.deepEqual(
    preferredCoding(
      cc([CodeSystems.snomed, '44054006'], ['http://hl7.org/fhir/sid/icd-10-cm', 'e11.9']),
    ),
    { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E119' },
  );
  assert.deepEqual(preferredCoding(cc([CodeSystems.cim10, 'J11.1'])), {
    system: CodeSystems.cim10,
    code: 'J111',
  });
  // LOINC codes keep their dash, SNOMED codes are untouched.
  assert.deepEqual(preferredCoding(cc([CodeSystems.loinc, '8480-6'])), {
    system: CodeSystems.loinc,
    code: '8480-6',
  });
  // A coding without a code is skipped; one without a system is the last resort.
  assert.deepEqual(preferredCoding(cc([CodeSystems.cim10, undefined], [undefined, 'X1'])), {
    system: null,
    code: 'X1',
  });
  assert.equal(preferredCoding({ text: 'only text' }), undefined);
  assert.equal(preferredCoding(undefined), undefined);
});

test('the alternative coding is the best one of another system (ATC next to CIP13)', () => {
  const pair = codingPair(
    cc(
      [CodeSystems.atc, 'C03CA01'],
      [CodeSystems.cip13, '3400990000481'],
      [CodeSystems.cip13, '3400990000482'],
    ),
  );
  assert.deepEqual(pair.main, { system: CodeSystems.cip13, code: '3400990000481' });
  assert.deepEqual(pair.alt, { system: CodeSystems.atc, code: 'C03CA01' });
  assert.equal(codingPair(cc([CodeSystems.rxnorm, '314076'])).alt, undefined);
  assert.equal(rankedCodings(cc([CodeSystems.loinc, '1'], [CodeSystems.loinc, '1'])).length, 1);
});

test('FHIR dates: year, year-month, date, dateTime with zone; invalid calendar dates refused', () => {
  assert.deepEqual(parseFhirDate('1961'), {
    kind: 'date',
    date: { year: 1961, month: null, day: null },
  });
  assert.deepEqual(parseFhirDate('1961-07'), {
    kind: 'date',
    date: { year: 1961, month: 7, day: null },
  });
  assert.deepEqual(parseFhirDate('2019-03-04T23:12:41-05:00'), {
    kind: 'date',
    date: { year: 2019, month: 3, day: 4 },
  });
  assert.deepEqual(parseFhirDate('2020-06-15T10:00:00.123Z'), {
    kind: 'date',
    date: { year: 2020, month: 6, day: 15 },
  });
  assert.deepEqual(parseFhirDate('2024-02-29').kind, 'date');
  assert.deepEqual(parseFhirDate(undefined), { kind: 'absent' });
  for (const bad of [
    '2023-02-29',
    '1980-02-30',
    '2020-13-01',
    '2020-00',
    '20200101',
    '1/2/2020',
    12,
    'soon',
  ]) {
    assert.deepEqual(parseFhirDate(bad), { kind: 'invalid' }, String(bad));
  }
});

test('references: relative, absolute, versioned, urn:uuid, bare id; others unsupported', () => {
  assert.deepEqual(parseReference('Patient/123'), { type: 'Patient', id: '123' });
  assert.deepEqual(parseReference('https://h.example/fhir/Patient/a-1/_history/3'), {
    type: 'Patient',
    id: 'a-1',
  });
  assert.deepEqual(parseReference('urn:uuid:0b8e3a7c-5d2f-4e61-9a3b-7c4d2e1f0a91'), {
    type: undefined,
    id: '0b8e3a7c-5d2f-4e61-9a3b-7c4d2e1f0a91',
  });
  assert.deepEqual(parseReference('abc'), { type: undefined, id: 'abc' });
  assert.equal(parseReference('#contained'), undefined);
  assert.equal(
    parseReference('Patient?identifier=urn:oid:1.2.250.1.213.1.4.8|175037505612361'),
    undefined,
  );

  assert.deepEqual(resolveReference({ reference: 'Patient/1' }, 'Patient'), { ok: true, id: '1' });
  assert.deepEqual(resolveReference({ reference: 'Group/1' }, 'Patient'), {
    ok: false,
    rule: 'reference to another resource type',
  });
  assert.deepEqual(resolveReference(undefined, 'Patient'), {
    ok: false,
    rule: 'missing reference',
  });
  // A subject given by its identifier only names no resource (and would put a NIR in its place).
  assert.deepEqual(
    resolveReference(
      { identifier: { system: CodeSystems.insNir, value: '175037505612361' } },
      'Patient',
    ),
    { ok: false, rule: 'unsupported reference' },
  );
  // In a Bundle, fullUrls resolve first, with the type of the entry they name.
  const targets = {
    byFullUrl: (url: string) =>
      url === 'urn:uuid:x' ? { type: 'Encounter', id: 'enc-9' } : undefined,
  };
  assert.deepEqual(resolveReference({ reference: 'urn:uuid:x' }, 'Encounter', targets), {
    ok: true,
    id: 'enc-9',
  });
  assert.deepEqual(resolveReference({ reference: 'urn:uuid:x' }, 'Patient', targets), {
    ok: false,
    rule: 'reference to another resource type',
  });
});
