import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CDM_TABLES,
  CDM_TYPES,
  cdmColumn,
  cdmTable,
  isCdmTableName,
  isHygieError,
  personTable,
  primaryKeyColumn,
} from '../src/index.js';
import type { CdmTable, ConceptAncestorRow, PersonRow } from '../src/index.js';

/** NOT NULL columns of the official OMOP CDM v5.4 DDL, for the tables Hygie keeps. */
const OMOP_V54_REQUIRED: Record<string, readonly string[]> = {
  person: [
    'person_id',
    'gender_concept_id',
    'year_of_birth',
    'race_concept_id',
    'ethnicity_concept_id',
  ],
  observation_period: [
    'observation_period_id',
    'person_id',
    'observation_period_start_date',
    'observation_period_end_date',
    'period_type_concept_id',
  ],
  visit_occurrence: [
    'visit_occurrence_id',
    'person_id',
    'visit_concept_id',
    'visit_start_date',
    'visit_end_date',
    'visit_type_concept_id',
  ],
  condition_occurrence: [
    'condition_occurrence_id',
    'person_id',
    'condition_concept_id',
    'condition_start_date',
    'condition_type_concept_id',
  ],
  drug_exposure: [
    'drug_exposure_id',
    'person_id',
    'drug_concept_id',
    'drug_exposure_start_date',
    'drug_exposure_end_date',
    'drug_type_concept_id',
  ],
  procedure_occurrence: [
    'procedure_occurrence_id',
    'person_id',
    'procedure_concept_id',
    'procedure_date',
    'procedure_type_concept_id',
  ],
  measurement: [
    'measurement_id',
    'person_id',
    'measurement_concept_id',
    'measurement_date',
    'measurement_type_concept_id',
  ],
  observation: [
    'observation_id',
    'person_id',
    'observation_concept_id',
    'observation_date',
    'observation_type_concept_id',
  ],
  death: ['person_id', 'death_date'],
  location: ['location_id'],
  care_site: ['care_site_id'],
  provider: ['provider_id'],
  concept: [
    'concept_id',
    'concept_name',
    'domain_id',
    'vocabulary_id',
    'concept_class_id',
    'concept_code',
    'valid_start_date',
    'valid_end_date',
  ],
  concept_relationship: [
    'concept_id_1',
    'concept_id_2',
    'relationship_id',
    'valid_start_date',
    'valid_end_date',
  ],
  concept_ancestor: [
    'ancestor_concept_id',
    'descendant_concept_id',
    'min_levels_of_separation',
    'max_levels_of_separation',
  ],
  vocabulary: ['vocabulary_id', 'vocabulary_name', 'vocabulary_concept_id'],
  cdm_source: [
    'cdm_source_name',
    'cdm_source_abbreviation',
    'cdm_holder',
    'source_release_date',
    'cdm_release_date',
    'cdm_version_concept_id',
    'vocabulary_version',
  ],
};

const tables: readonly CdmTable[] = CDM_TABLES;

test('the model holds the OMOP subset and the hygie_ tables, nothing else', () => {
  const names = tables.map((t) => t.name).sort();
  const expected = [
    ...Object.keys(OMOP_V54_REQUIRED),
    'hygie_batch',
    'hygie_batch_file',
    'hygie_disclosed_cell',
    'hygie_disclosed_member',
    'hygie_opt_out',
    'hygie_person_identity',
    'hygie_quarantine',
    'hygie_schema_migrations',
    'hygie_surveillance_alert',
    'hygie_surveillance_run',
    'hygie_surveillance_value',
  ];
  assert.deepEqual(names, expected.sort());
  for (const t of tables) {
    assert.equal(t.name.startsWith('hygie_'), t.kind === 'hygie', t.name);
  }
});

test('every OMOP v5.4 NOT NULL column is kept, and only those are NOT NULL', () => {
  for (const [name, required] of Object.entries(OMOP_V54_REQUIRED)) {
    const t = cdmTable(name);
    const notNull = t.columns.filter((c) => !c.nullable).map((c) => c.name);
    assert.deepEqual(notNull, [...required], name);
  }
});

test('descriptions are well formed', () => {
  const snake = /^[a-z][a-z0-9_]*$/;
  for (const t of tables) {
    assert.match(t.name, snake);
    assert.ok(t.description.length > 0, `${t.name} has a description`);
    const names = t.columns.map((c) => c.name);
    assert.equal(new Set(names).size, names.length, `${t.name}: duplicate column`);
    for (const c of t.columns) {
      assert.match(c.name, snake);
      assert.ok((CDM_TYPES as readonly string[]).includes(c.type), `${t.name}.${c.name} type`);
      assert.ok(c.description.length > 0 && !c.description.includes('\n'), `${t.name}.${c.name}`);
      if (c.primaryKey) assert.equal(c.nullable, false, `${t.name}.${c.name} pk not null`);
    }
    assert.ok(t.columns.filter((c) => c.primaryKey).length <= 1, `${t.name}: one pk at most`);
    for (const ix of t.indexes) {
      for (const col of ix.columns) assert.ok(names.includes(col), `${t.name} index on ${col}`);
    }
    // Any table with a person_id column is a per-person table, distributed by it.
    assert.equal(t.personKey, names.includes('person_id') ? 'person_id' : undefined, t.name);
  }
});

test('identifier-holding OMOP columns are absent; pseudonym columns are marked', () => {
  const forbidden = [
    'day_of_birth',
    'birth_datetime',
    'address_1',
    'address_2',
    'provider_name',
    'npi',
    'dea',
  ];
  for (const t of tables) {
    for (const c of t.columns) assert.ok(!forbidden.includes(c.name), `${t.name}.${c.name}`);
  }
  assert.equal(primaryKeyColumn(personTable)?.type, 'bigint');
  assert.match(cdmColumn(personTable, 'person_id').description, /pseudonym/);
  const psv = cdmColumn(personTable, 'person_source_value');
  assert.equal(psv.pseudonym, true);
  assert.match(psv.description, /never a NIR/);
});

test('lookups', () => {
  assert.ok(isCdmTableName('concept_ancestor'));
  assert.ok(!isCdmTableName('visit_detail'));
  assert.throws(
    () => cdmTable('nope'),
    (e) => isHygieError(e, 'HYG_NOT_FOUND'),
  );
  assert.throws(
    () => cdmColumn(personTable, 'nir'),
    (e) => isHygieError(e, 'HYG_NOT_FOUND'),
  );
});

test('row types follow the descriptions', () => {
  const person: PersonRow = {
    person_id: 2n ** 60n,
    gender_concept_id: 8532,
    year_of_birth: 1980,
    month_of_birth: null,
    race_concept_id: 0,
    ethnicity_concept_id: 0,
    location_id: 1,
    provider_id: null,
    care_site_id: null,
    person_source_value: 'p-3f2a',
    gender_source_value: '2',
    gender_source_concept_id: null,
  };
  // @ts-expect-error year_of_birth is NOT NULL
  const bad: PersonRow = { ...person, year_of_birth: null };
  const pair: ConceptAncestorRow = {
    ancestor_concept_id: 1,
    descendant_concept_id: 2,
    min_levels_of_separation: 1,
    max_levels_of_separation: 1,
  };
  assert.ok(person && bad && pair);
});
