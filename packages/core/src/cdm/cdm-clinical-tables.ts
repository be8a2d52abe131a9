/**
 * OMOP CDM v5.4 clinical tables (the subset Hygie fills), following the official v5.4 DDL for
 * names, order and nullability. Differences, all deliberate:
 *
 * - Keys (`person_id` and every `*_occurrence_id`, `*_exposure_id`, … and their references) are
 *   `bigint`: the person key is derived from a keyed pseudonym, and national event tables exceed
 *   the 32-bit range over a few years. Concept ids stay `integer`, as in OMOP.
 * - Columns that could only ever hold a direct identifier are absent, so the warehouse cannot
 *   store one even by mistake (DESIGN.md §4.1): `person.day_of_birth` and `person.birth_datetime`
 *   (an exact birth date), `drug_exposure.sig` (free text), and the race/ethnicity *source*
 *   columns (no French source fills them; the required concept ids stay and hold 0).
 * - Varchar lengths are not kept: pseudonyms are longer than OMOP's varchar(50), and length
 *   limits belong to validation, not to storage.
 */
import {
  defineTable,
  optional,
  primaryKey,
  pseudonymOnly,
  required,
  singleColumnIndexes,
} from './cdm-define.js';

const personId = required('person_id', 'bigint', 'Person key (person.person_id).');
const providerId = optional(
  'provider_id',
  'bigint',
  'Provider responsible (provider.provider_id).',
);
const visitOccurrenceId = optional(
  'visit_occurrence_id',
  'bigint',
  'Visit during which the event happened (visit_occurrence.visit_occurrence_id).',
);
const visitDetailId = optional(
  'visit_detail_id',
  'bigint',
  'Visit detail (not loaded by Hygie yet).',
);

/** PERSON: one row per person, the demographic core every other clinical table points at. */
export const personTable = defineTable({
  name: 'person',
  kind: 'clinical',
  description: 'One row per person: sex, year and month of birth, residence.',
  personKey: 'person_id',
  columns: [
    primaryKey(
      'person_id',
      'bigint',
      'Person key derived from the platform pseudonym (keyed hash), never from a source identifier.',
    ),
    required('gender_concept_id', 'integer', 'Sex at birth as a Gender concept.'),
    required('year_of_birth', 'integer', 'Year of birth (the exact date is never stored).'),
    optional('month_of_birth', 'integer', 'Month of birth 1–12 when the source gives it.'),
    required(
      'race_concept_id',
      'integer',
      'Race concept; always 0 in France, where it is not collected.',
    ),
    required('ethnicity_concept_id', 'integer', 'Ethnicity concept; always 0 in France.'),
    optional('location_id', 'bigint', 'Area of residence (location.location_id).'),
    optional('provider_id', 'bigint', 'Primary care provider (provider.provider_id).'),
    optional('care_site_id', 'bigint', 'Primary care site (care_site.care_site_id).'),
    pseudonymOnly(
      optional(
        'person_source_value',
        'text',
        'Platform pseudonym of the person; never a NIR or any other source identifier.',
      ),
    ),
    optional('gender_source_value', 'text', 'Sex as coded in the source (e.g. SNDS BEN_SEX_COD).'),
    optional('gender_source_concept_id', 'integer', 'Concept of the source sex code.'),
  ],
  indexes: singleColumnIndexes('gender_concept_id', 'year_of_birth'),
});

/** OBSERVATION_PERIOD: spans during which a person's events are expected to be recorded. */
export const observationPeriodTable = defineTable({
  name: 'observation_period',
  kind: 'clinical',
  description: 'A span of time during which the person is covered by the sources.',
  personKey: 'person_id',
  columns: [
    primaryKey('observation_period_id', 'bigint', 'Observation period key.'),
    personId,
    required('observation_period_start_date', 'date', 'First day of coverage.'),
    required('observation_period_end_date', 'date', 'Last day of coverage.'),
    required('period_type_concept_id', 'integer', 'Provenance of the period (Type Concept).'),
  ],
  indexes: singleColumnIndexes('person_id'),
});

/** VISIT_OCCURRENCE: encounters (hospital stays, consultations, pharmacy visits). */
export const visitOccurrenceTable = defineTable({
  name: 'visit_occurrence',
  kind: 'clinical',
  description: 'An encounter of the person with the health system (stay, consultation, …).',
  personKey: 'person_id',
  columns: [
    primaryKey('visit_occurrence_id', 'bigint', 'Visit key.'),
    personId,
    required('visit_concept_id', 'integer', 'Kind of visit (inpatient, outpatient, emergency, …).'),
    required('visit_start_date', 'date', 'Start date of the visit.'),
    optional('visit_start_datetime', 'timestamp', 'Start date and time (UTC).'),
    required('visit_end_date', 'date', 'End date of the visit.'),
    optional('visit_end_datetime', 'timestamp', 'End date and time (UTC).'),
    required('visit_type_concept_id', 'integer', 'Provenance of the record (Type Concept).'),
    providerId,
    optional('care_site_id', 'bigint', 'Care site of the visit (care_site.care_site_id).'),
    optional('visit_source_value', 'text', 'Visit kind as coded in the source.'),
    optional('visit_source_concept_id', 'integer', 'Concept of the source visit code.'),
    optional('admitted_from_concept_id', 'integer', 'Where the person came from.'),
    optional('admitted_from_source_value', 'text', 'Admission origin as coded in the source.'),
    optional('discharged_to_concept_id', 'integer', 'Where the person went after the visit.'),
    optional('discharged_to_source_value', 'text', 'Discharge destination as coded in the source.'),
    optional('preceding_visit_occurrence_id', 'bigint', 'The person’s previous visit.'),
  ],
  indexes: singleColumnIndexes('person_id', 'visit_concept_id'),
});

/** CONDITION_OCCURRENCE: diagnoses (CIM-10 in French sources). */
export const conditionOccurrenceTable = defineTable({
  name: 'condition_occurrence',
  kind: 'clinical',
  description: 'A diagnosis or condition recorded for the person.',
  personKey: 'person_id',
  columns: [
    primaryKey('condition_occurrence_id', 'bigint', 'Condition occurrence key.'),
    personId,
    required('condition_concept_id', 'integer', 'Condition concept (0 when unmapped).'),
    required('condition_start_date', 'date', 'Date the condition was recorded or started.'),
    optional('condition_start_datetime', 'timestamp', 'Start date and time (UTC).'),
    optional('condition_end_date', 'date', 'Date the condition ended, when known.'),
    optional('condition_end_datetime', 'timestamp', 'End date and time (UTC).'),
    required('condition_type_concept_id', 'integer', 'Provenance of the record (Type Concept).'),
    optional(
      'condition_status_concept_id',
      'integer',
      'Diagnosis role (principal, associated, …).',
    ),
    optional('stop_reason', 'text', 'Why the condition was considered ended.'),
    providerId,
    visitOccurrenceId,
    visitDetailId,
    optional(
      'condition_source_value',
      'text',
      'Diagnosis code as written in the source (e.g. CIM-10).',
    ),
    optional('condition_source_concept_id', 'integer', 'Concept of the source diagnosis code.'),
    optional('condition_status_source_value', 'text', 'Diagnosis role as coded in the source.'),
  ],
  indexes: singleColumnIndexes('person_id', 'condition_concept_id', 'visit_occurrence_id'),
});

/** DRUG_EXPOSURE: dispensings and administrations (CIP13/UCD, ATC classes). */
export const drugExposureTable = defineTable({
  name: 'drug_exposure',
  kind: 'clinical',
  description: 'A drug dispensed to or administered to the person.',
  personKey: 'person_id',
  columns: [
    primaryKey('drug_exposure_id', 'bigint', 'Drug exposure key.'),
    personId,
    required('drug_concept_id', 'integer', 'Drug concept (0 when unmapped).'),
    required('drug_exposure_start_date', 'date', 'Start of the exposure (dispensing date).'),
    optional('drug_exposure_start_datetime', 'timestamp', 'Start date and time (UTC).'),
    required('drug_exposure_end_date', 'date', 'End of the exposure (given or estimated).'),
    optional('drug_exposure_end_datetime', 'timestamp', 'End date and time (UTC).'),
    optional('verbatim_end_date', 'date', 'End date exactly as the source gives it.'),
    required('drug_type_concept_id', 'integer', 'Provenance of the record (Type Concept).'),
    optional('stop_reason', 'text', 'Why the drug was stopped.'),
    optional('refills', 'integer', 'Number of refills after the first dispensing.'),
    optional('quantity', 'double', 'Quantity dispensed (units or packs).'),
    optional('days_supply', 'integer', 'Days covered by the dispensing.'),
    optional('route_concept_id', 'integer', 'Route of administration.'),
    optional('lot_number', 'text', 'Manufacturing lot.'),
    providerId,
    visitOccurrenceId,
    visitDetailId,
    optional('drug_source_value', 'text', 'Drug code as written in the source (e.g. CIP13).'),
    optional('drug_source_concept_id', 'integer', 'Concept of the source drug code.'),
    optional('route_source_value', 'text', 'Route as written in the source.'),
    optional('dose_unit_source_value', 'text', 'Dose unit as written in the source.'),
  ],
  indexes: singleColumnIndexes('person_id', 'drug_concept_id', 'visit_occurrence_id'),
});

/** PROCEDURE_OCCURRENCE: medical acts (CCAM in French sources). */
export const procedureOccurrenceTable = defineTable({
  name: 'procedure_occurrence',
  kind: 'clinical',
  description: 'A procedure or medical act performed on the person.',
  personKey: 'person_id',
  columns: [
    primaryKey('procedure_occurrence_id', 'bigint', 'Procedure occurrence key.'),
    personId,
    required('procedure_concept_id', 'integer', 'Procedure concept (0 when unmapped).'),
    required('procedure_date', 'date', 'Date of the procedure.'),
    optional('procedure_datetime', 'timestamp', 'Date and time (UTC).'),
    optional('procedure_end_date', 'date', 'End date of the procedure.'),
    optional('procedure_end_datetime', 'timestamp', 'End date and time (UTC).'),
    required('procedure_type_concept_id', 'integer', 'Provenance of the record (Type Concept).'),
    optional('modifier_concept_id', 'integer', 'Modifier of the procedure.'),
    optional('quantity', 'integer', 'Number of times the procedure was performed.'),
    providerId,
    visitOccurrenceId,
    visitDetailId,
    optional(
      'procedure_source_value',
      'text',
      'Procedure code as written in the source (e.g. CCAM).',
    ),
    optional('procedure_source_concept_id', 'integer', 'Concept of the source procedure code.'),
    optional('modifier_source_value', 'text', 'Modifier as written in the source.'),
  ],
  indexes: singleColumnIndexes('person_id', 'procedure_concept_id', 'visit_occurrence_id'),
});

/** MEASUREMENT: laboratory results and other measured values. */
export const measurementTable = defineTable({
  name: 'measurement',
  kind: 'clinical',
  description: 'A measured value (laboratory result, vital sign, score).',
  personKey: 'person_id',
  columns: [
    primaryKey('measurement_id', 'bigint', 'Measurement key.'),
    personId,
    required('measurement_concept_id', 'integer', 'What was measured.'),
    required('measurement_date', 'date', 'Date of the measurement.'),
    optional('measurement_datetime', 'timestamp', 'Date and time (UTC).'),
    optional('measurement_time', 'text', 'Time as written in the source.'),
    required('measurement_type_concept_id', 'integer', 'Provenance of the record (Type Concept).'),
    optional('operator_concept_id', 'integer', 'Comparison operator (<, ≤, =, ≥, >).'),
    optional('value_as_number', 'double', 'Numeric result.'),
    optional('value_as_concept_id', 'integer', 'Categorical result as a concept.'),
    optional('unit_concept_id', 'integer', 'Unit of the numeric result.'),
    optional('range_low', 'double', 'Lower bound of the normal range.'),
    optional('range_high', 'double', 'Upper bound of the normal range.'),
    providerId,
    visitOccurrenceId,
    visitDetailId,
    optional('measurement_source_value', 'text', 'Measurement code as written in the source.'),
    optional('measurement_source_concept_id', 'integer', 'Concept of the source measurement code.'),
    optional('unit_source_value', 'text', 'Unit as written in the source.'),
    optional('unit_source_concept_id', 'integer', 'Concept of the source unit.'),
    optional('value_source_value', 'text', 'Result as written in the source.'),
    optional('measurement_event_id', 'bigint', 'Key of a related event row.'),
    optional('meas_event_field_concept_id', 'integer', 'Table/field of the related event.'),
  ],
  indexes: singleColumnIndexes('person_id', 'measurement_concept_id', 'visit_occurrence_id'),
});

/** OBSERVATION: clinical facts that fit no other domain. */
export const observationTable = defineTable({
  name: 'observation',
  kind: 'clinical',
  description: 'A clinical fact that fits no other domain (history, context, status).',
  personKey: 'person_id',
  columns: [
    primaryKey('observation_id', 'bigint', 'Observation key.'),
    personId,
    required('observation_concept_id', 'integer', 'What was observed.'),
    required('observation_date', 'date', 'Date of the observation.'),
    optional('observation_datetime', 'timestamp', 'Date and time (UTC).'),
    required('observation_type_concept_id', 'integer', 'Provenance of the record (Type Concept).'),
    optional('value_as_number', 'double', 'Numeric value.'),
    optional('value_as_string', 'text', 'Coded text value (never free text about the person).'),
    optional('value_as_concept_id', 'integer', 'Categorical value as a concept.'),
    optional('qualifier_concept_id', 'integer', 'Qualifier of the observation.'),
    optional('unit_concept_id', 'integer', 'Unit of the numeric value.'),
    providerId,
    visitOccurrenceId,
    visitDetailId,
    optional('observation_source_value', 'text', 'Observation code as written in the source.'),
    optional('observation_source_concept_id', 'integer', 'Concept of the source code.'),
    optional('unit_source_value', 'text', 'Unit as written in the source.'),
    optional('qualifier_source_value', 'text', 'Qualifier as written in the source.'),
    optional('value_source_value', 'text', 'Value as written in the source.'),
    optional('observation_event_id', 'bigint', 'Key of a related event row.'),
    optional('obs_event_field_concept_id', 'integer', 'Table/field of the related event.'),
  ],
  indexes: singleColumnIndexes('person_id', 'observation_concept_id', 'visit_occurrence_id'),
});

/** DEATH: at most one row per person (causes of death from CépiDc). */
export const deathTable = defineTable({
  name: 'death',
  kind: 'clinical',
  description: 'The death of a person and its underlying cause.',
  personKey: 'person_id',
  columns: [
    personId,
    required('death_date', 'date', 'Date of death.'),
    optional('death_datetime', 'timestamp', 'Date and time of death (UTC).'),
    optional('death_type_concept_id', 'integer', 'Provenance of the record (Type Concept).'),
    optional('cause_concept_id', 'integer', 'Underlying cause of death.'),
    optional('cause_source_value', 'text', 'Cause as coded in the source (CIM-10).'),
    optional('cause_source_concept_id', 'integer', 'Concept of the source cause code.'),
  ],
  indexes: singleColumnIndexes('person_id'),
});
