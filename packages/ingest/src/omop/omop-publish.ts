/**
 * Publishes a staged OMOP export to the warehouse's OMOP tables, in SQL, inside the batch's
 * transaction. Nothing of the export's identifiers survives: persons carry their pseudonymised
 * `person_id` (`omop-persons.ts`), every other row a new key (`row-ids.ts`), and the export's
 * visit ids only serve to join its events to the new visit keys. Concepts Hygie lacks become 0
 * with the source code kept (`omop-concepts.ts`); type concepts Hygie lacks become EHR.
 *
 * A person already in the warehouse (the same NIR from another source, or the same source
 * identifier from an earlier batch of this source) is not inserted again: its events are added.
 * An event pointing at a visit the batch does not publish, or at another person's visit, is
 * quarantined rather than published half-linked.
 */
import type { WarehouseSession } from '@hygie/warehouse';
import { Concepts } from '../concept-lookup.js';
import { rowIdSql } from '../row-ids.js';
import {
  domainConceptSql,
  genderConceptSql,
  mainConceptSql,
  optionalConceptSql,
  typeConceptSql,
  type LookupVocabulary,
} from './omop-concepts.js';
import { mapOmopLocations } from './omop-locations.js';
import { OMOP_STAGING, OMOP_VISIT_CHILD_TABLES, type OmopTable } from './omop-tables.js';
import { tagDuplicates, tagRows } from './omop-tags.js';

/** CDM rows written, per table. */
export type PublishCounts = Record<string, number>;

const stageOf = (t: OmopTable): string => OMOP_STAGING[t].stage;
const VISITS = stageOf('visit_occurrence');

/** Builds `omop_visit_link(src_id, visit_id, person_id)` and quarantines rows it cannot link. */
async function linkVisits(s: WarehouseSession, batch: number): Promise<void> {
  await tagDuplicates(s, VISITS, 'visit_occurrence_id');
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE omop_visit_link AS
     SELECT visit_occurrence_id AS src_id, ${rowIdSql(batch, '_fi', '_row')} AS visit_id, _person AS person_id
     FROM ${VISITS} WHERE _reason IS NULL`,
  );
  for (const table of OMOP_VISIT_CHILD_TABLES) {
    const stage = stageOf(table);
    await tagRows(
      s,
      stage,
      'visit_occurrence_id IS NOT NULL AND visit_occurrence_id NOT IN (SELECT src_id FROM omop_visit_link)',
      'visit_occurrence_id|visit not published by this batch (absent from visit_occurrence or quarantined)',
    );
    await tagRows(
      s,
      stage,
      `visit_occurrence_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM omop_visit_link v
         WHERE v.src_id = ${stage}.visit_occurrence_id AND v.person_id = ${stage}._person)`,
      'visit_occurrence_id|visit of another person',
    );
  }
}

/**
 * Inserts the valid rows of a staging table (alias `t`; the linked visit, if any, is `v`) into a
 * CDM table; `columns` maps each CDM column to its SQL.
 */
async function insertRows(
  s: WarehouseSession,
  target: string,
  source: OmopTable,
  columns: Record<string, string>,
): Promise<number> {
  const visit = OMOP_VISIT_CHILD_TABLES.includes(source)
    ? 'LEFT JOIN omop_visit_link v ON v.src_id = t.visit_occurrence_id'
    : '';
  return s.execute(
    `INSERT INTO ${target} (${Object.keys(columns).join(', ')})
     SELECT ${Object.values(columns).join(', ')} FROM ${stageOf(source)} t ${visit} WHERE t._reason IS NULL`,
  );
}

/** Persons new to the warehouse, their identity bookkeeping, and observation periods. */
async function publishPersons(
  s: WarehouseSession,
  batchId: string,
  batch: number,
  out: PublishCounts,
): Promise<void> {
  const p = stageOf('person');
  out.person = await s.execute(
    `INSERT INTO person (person_id, gender_concept_id, year_of_birth, month_of_birth, race_concept_id,
       ethnicity_concept_id, location_id, person_source_value, gender_source_value, gender_source_concept_id)
     SELECT DISTINCT ON (l.person_id) l.person_id,
       ${genderConceptSql('t.gender_concept_id', 't.gender_source_value')},
       t.year_of_birth::INTEGER, t.month_of_birth::INTEGER, ${Concepts.none}, ${Concepts.none},
       lm.location_id, l.kind, t.gender_source_value, ${optionalConceptSql('t.gender_source_concept_id')}
     FROM omop_person_link l JOIN ${p} t ON t._fi = l._fi AND t._row = l._row
     LEFT JOIN omop_location_map lm ON lm.src_id = t.location_id
     WHERE l.from_file AND t._reason IS NULL AND l.person_id NOT IN (SELECT person_id FROM person)
     ORDER BY l.person_id, l._fi, l._row`,
  );
  await s.execute(
    `INSERT INTO hygie_person_identity (person_id, fingerprint, kind, batch_id)
     SELECT DISTINCT l.person_id, l.fingerprint, l.kind, $1 FROM omop_person_link l
     JOIN ${p} t ON t._fi = l._fi AND t._row = l._row
     WHERE l.from_file AND t._reason IS NULL
       AND l.person_id NOT IN (SELECT person_id FROM hygie_person_identity)`,
    [batchId],
  );
  out.observation_period = await insertRows(s, 'observation_period', 'observation_period', {
    observation_period_id: rowIdSql(batch, 't._fi', 't._row'),
    person_id: 't._person',
    observation_period_start_date: 't.observation_period_start_date',
    observation_period_end_date: 't.observation_period_end_date',
    period_type_concept_id: typeConceptSql('t.period_type_concept_id'),
  });
}

async function publishVisits(
  s: WarehouseSession,
  batch: number,
  out: PublishCounts,
): Promise<void> {
  out.visit_occurrence = await insertRows(s, 'visit_occurrence', 'visit_occurrence', {
    visit_occurrence_id: rowIdSql(batch, 't._fi', 't._row'),
    person_id: 't._person',
    visit_concept_id: domainConceptSql('t.visit_concept_id', 'Visit'),
    visit_start_date: 't.visit_start_date',
    visit_start_datetime: 't.visit_start_datetime',
    visit_end_date: 't.visit_end_date',
    visit_end_datetime: 't.visit_end_datetime',
    visit_type_concept_id: typeConceptSql('t.visit_type_concept_id'),
    visit_source_value: 't.visit_source_value',
    visit_source_concept_id: optionalConceptSql('t.visit_source_concept_id'),
    admitted_from_concept_id: optionalConceptSql('t.admitted_from_concept_id'),
    admitted_from_source_value: 't.admitted_from_source_value',
    discharged_to_concept_id: optionalConceptSql('t.discharged_to_concept_id'),
    discharged_to_source_value: 't.discharged_to_source_value',
    preceding_visit_occurrence_id: `(SELECT pv.visit_id FROM omop_visit_link pv
      WHERE pv.src_id = t.preceding_visit_occurrence_id AND pv.person_id = t._person)`,
  });
}

/** The concept and source concept of an event's main code. */
function codedConcepts(
  concept: string,
  sourceConcept: string,
  sourceValue: string,
  vocabularies: readonly LookupVocabulary[],
): [string, string] {
  return [
    mainConceptSql(`t.${concept}`, `t.${sourceValue}`, vocabularies),
    mainConceptSql(`t.${sourceConcept}`, `t.${sourceValue}`, vocabularies),
  ];
}

async function publishEvents(
  s: WarehouseSession,
  batch: number,
  out: PublishCounts,
): Promise<void> {
  const id = rowIdSql(batch, 't._fi', 't._row');
  const [condition, conditionSource] = codedConcepts(
    'condition_concept_id',
    'condition_source_concept_id',
    'condition_source_value',
    ['CIM10'],
  );
  out.condition_occurrence = await insertRows(s, 'condition_occurrence', 'condition_occurrence', {
    condition_occurrence_id: id,
    person_id: 't._person',
    condition_concept_id: condition,
    condition_start_date: 't.condition_start_date',
    condition_start_datetime: 't.condition_start_datetime',
    condition_end_date: 't.condition_end_date',
    condition_end_datetime: 't.condition_end_datetime',
    condition_type_concept_id: typeConceptSql('t.condition_type_concept_id'),
    condition_status_concept_id: optionalConceptSql(
      't.condition_status_concept_id',
      'Condition Status',
    ),
    visit_occurrence_id: 'v.visit_id',
    condition_source_value: 't.condition_source_value',
    condition_source_concept_id: conditionSource,
    condition_status_source_value: 't.condition_status_source_value',
  });
  const [drug, drugSource] = codedConcepts(
    'drug_concept_id',
    'drug_source_concept_id',
    'drug_source_value',
    ['CIP13', 'ATC'],
  );
  out.drug_exposure = await insertRows(s, 'drug_exposure', 'drug_exposure', {
    drug_exposure_id: id,
    person_id: 't._person',
    drug_concept_id: drug,
    drug_exposure_start_date: 't.drug_exposure_start_date',
    drug_exposure_start_datetime: 't.drug_exposure_start_datetime',
    drug_exposure_end_date: 't.drug_exposure_end_date',
    drug_exposure_end_datetime: 't.drug_exposure_end_datetime',
    verbatim_end_date: 't.verbatim_end_date',
    drug_type_concept_id: typeConceptSql('t.drug_type_concept_id'),
    refills: 't.refills::INTEGER',
    quantity: 't.quantity',
    days_supply: 't.days_supply::INTEGER',
    route_concept_id: optionalConceptSql('t.route_concept_id'),
    visit_occurrence_id: 'v.visit_id',
    drug_source_value: 't.drug_source_value',
    drug_source_concept_id: drugSource,
    route_source_value: 't.route_source_value',
    dose_unit_source_value: 't.dose_unit_source_value',
  });
  const [procedure, procedureSource] = codedConcepts(
    'procedure_concept_id',
    'procedure_source_concept_id',
    'procedure_source_value',
    ['CCAM'],
  );
  out.procedure_occurrence = await insertRows(s, 'procedure_occurrence', 'procedure_occurrence', {
    procedure_occurrence_id: id,
    person_id: 't._person',
    procedure_concept_id: procedure,
    procedure_date: 't.procedure_date',
    procedure_datetime: 't.procedure_datetime',
    procedure_end_date: 't.procedure_end_date',
    procedure_end_datetime: 't.procedure_end_datetime',
    procedure_type_concept_id: typeConceptSql('t.procedure_type_concept_id'),
    modifier_concept_id: optionalConceptSql('t.modifier_concept_id'),
    quantity: 't.quantity::INTEGER',
    visit_occurrence_id: 'v.visit_id',
    procedure_source_value: 't.procedure_source_value',
    procedure_source_concept_id: procedureSource,
    modifier_source_value: 't.modifier_source_value',
  });
  const [measurement, measurementSource] = codedConcepts(
    'measurement_concept_id',
    'measurement_source_concept_id',
    'measurement_source_value',
    ['LOINC'],
  );
  out.measurement = await insertRows(s, 'measurement', 'measurement', {
    measurement_id: id,
    person_id: 't._person',
    measurement_concept_id: measurement,
    measurement_date: 't.measurement_date',
    measurement_datetime: 't.measurement_datetime',
    measurement_type_concept_id: typeConceptSql('t.measurement_type_concept_id'),
    operator_concept_id: optionalConceptSql('t.operator_concept_id'),
    value_as_number: 't.value_as_number',
    value_as_concept_id: optionalConceptSql('t.value_as_concept_id'),
    unit_concept_id: optionalConceptSql('t.unit_concept_id'),
    range_low: 't.range_low',
    range_high: 't.range_high',
    visit_occurrence_id: 'v.visit_id',
    measurement_source_value: 't.measurement_source_value',
    measurement_source_concept_id: measurementSource,
    unit_source_value: 't.unit_source_value',
    unit_source_concept_id: optionalConceptSql('t.unit_source_concept_id'),
  });
  const [observation, observationSource] = codedConcepts(
    'observation_concept_id',
    'observation_source_concept_id',
    'observation_source_value',
    ['LOINC', 'CIM10'],
  );
  out.observation = await insertRows(s, 'observation', 'observation', {
    observation_id: id,
    person_id: 't._person',
    observation_concept_id: observation,
    observation_date: 't.observation_date',
    observation_datetime: 't.observation_datetime',
    observation_type_concept_id: typeConceptSql('t.observation_type_concept_id'),
    value_as_number: 't.value_as_number',
    value_as_concept_id: optionalConceptSql('t.value_as_concept_id'),
    qualifier_concept_id: optionalConceptSql('t.qualifier_concept_id'),
    unit_concept_id: optionalConceptSql('t.unit_concept_id'),
    visit_occurrence_id: 'v.visit_id',
    observation_source_value: 't.observation_source_value',
    observation_source_concept_id: observationSource,
    unit_source_value: 't.unit_source_value',
    qualifier_source_value: 't.qualifier_source_value',
  });
}

/** Deaths: one per person, not replacing a death the warehouse already has. */
async function publishDeaths(s: WarehouseSession, out: PublishCounts): Promise<void> {
  const [cause, causeSource] = codedConcepts(
    'cause_concept_id',
    'cause_source_concept_id',
    'cause_source_value',
    ['CIM10'],
  );
  out.death = await s.execute(
    `INSERT INTO death (person_id, death_date, death_datetime, death_type_concept_id, cause_concept_id,
       cause_source_value, cause_source_concept_id)
     SELECT DISTINCT ON (t._person) t._person, t.death_date, t.death_datetime,
       ${typeConceptSql('t.death_type_concept_id')}, ${cause}, t.cause_source_value, ${causeSource}
     FROM ${stageOf('death')} t
     WHERE t._reason IS NULL AND t._person NOT IN (SELECT person_id FROM death)
     ORDER BY t._person, t._fi, t._row`,
  );
}

/**
 * Publishes the staged export; returns CDM rows written per table (and, when given, fills
 * `timings` with the duration of each step in ms).
 */
export async function publishOmop(
  s: WarehouseSession,
  batchId: string,
  batch: number,
  timings?: Record<string, number>,
): Promise<PublishCounts> {
  const out: PublishCounts = {};
  const steps: [string, () => Promise<void>][] = [
    ['locations', () => mapOmopLocations(s)],
    ['visit links', () => linkVisits(s, batch)],
    ['persons', () => publishPersons(s, batchId, batch, out)],
    ['visits', () => publishVisits(s, batch, out)],
    ['events', () => publishEvents(s, batch, out)],
    ['deaths', () => publishDeaths(s, out)],
  ];
  for (const [name, step] of steps) {
    const t0 = performance.now();
    await step();
    if (timings) timings[`publish ${name}`] = Math.round(performance.now() - t0);
  }
  return out;
}
