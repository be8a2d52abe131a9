import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildNir,
  cdmRowSchema,
  conceptTable,
  personTable,
  visitOccurrenceTable,
} from '../src/index.js';

const person = {
  person_id: 9007199254740993n,
  gender_concept_id: 8507,
  year_of_birth: 1950,
  race_concept_id: 0,
  ethnicity_concept_id: 0,
  person_source_value: 'a1b2c3d4e5f60718',
};

test('a valid row passes; nullable columns may be left out', () => {
  assert.ok(cdmRowSchema(personTable).safeParse(person).success);
  assert.ok(cdmRowSchema(personTable).safeParse({ ...person, person_id: 12 }).success);
});

test('required columns, types, dates and unknown columns are checked', () => {
  const schema = cdmRowSchema(personTable);
  assert.ok(!schema.safeParse({ ...person, year_of_birth: null }).success);
  assert.ok(!schema.safeParse({ ...person, person_id: 2 ** 60 }).success, 'unsafe number');
  assert.ok(!schema.safeParse({ ...person, person_id: 2n ** 64n }).success, 'beyond int64');
  assert.ok(!schema.safeParse({ ...person, nir: 'x' }).success, 'unknown column');
  const concept = cdmRowSchema(conceptTable);
  const row = {
    concept_id: 1,
    concept_name: 'x',
    domain_id: 'Condition',
    vocabulary_id: 'CIM10',
    concept_class_id: 'ICD10 code',
    concept_code: 'E11',
    valid_start_date: '1970-01-01',
    valid_end_date: '2099-12-31',
  };
  assert.ok(concept.safeParse(row).success);
  assert.ok(!concept.safeParse({ ...row, valid_end_date: '2023-02-29' }).success);
  assert.ok(!concept.safeParse({ ...row, valid_end_date: '20991231' }).success);
  const visit = cdmRowSchema(visitOccurrenceTable);
  const v = {
    visit_occurrence_id: 1,
    person_id: 1,
    visit_concept_id: 9201,
    visit_start_date: '2024-01-01',
    visit_end_date: '2024-01-03',
    visit_type_concept_id: 32810,
  };
  assert.ok(visit.safeParse({ ...v, visit_start_datetime: '2024-01-01T08:30:00Z' }).success);
  assert.ok(!visit.safeParse({ ...v, visit_start_datetime: '2024-01-01T08:30:00+02:00' }).success);
});

test('a NIR in a pseudonym column is refused without echoing it', () => {
  const nir = buildNir({
    sex: 1,
    birthYear: 1985,
    birthMonth: 7,
    placeDept: '69',
    placeCommune: '123',
    order: 45,
  });
  for (const value of [
    nir,
    `${nir.slice(0, 1)} ${nir.slice(1, 3)} ${nir.slice(3, 5)} ${nir.slice(5)}`,
  ]) {
    const r = cdmRowSchema(personTable).safeParse({ ...person, person_source_value: value });
    assert.equal(r.success, false);
    assert.ok(!JSON.stringify(r.error?.issues).includes(nir.slice(0, 13)));
  }
});
