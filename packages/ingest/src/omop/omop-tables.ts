/**
 * The OMOP CDM v5.4 tables the OMOP CSV connector reads, column by column: how each column is
 * typed and checked when staged, and what becomes of it. Every `*_id` that is not a concept id is
 * a SOURCE identifier of the exporting warehouse: it is staged (to join rows of the batch and to
 * pseudonymise persons) but never published. Columns that could hold a direct identifier or free
 * text (exact birth date, address lines, coordinates, `sig`, `value_as_string`, …) are never
 * even staged.
 */

/** OMOP tables the connector publishes (location only feeds the persons' communes). */
export const OMOP_TABLES = [
  'location',
  'person',
  'observation_period',
  'visit_occurrence',
  'condition_occurrence',
  'drug_exposure',
  'procedure_occurrence',
  'measurement',
  'observation',
  'death',
] as const;

/** An OMOP table of the connector. */
export type OmopTable = (typeof OMOP_TABLES)[number];

/**
 * What a column is:
 * - `source_id`: an identifier of the export (person, visit, event, provider, location): BIGINT in
 *   staging, used for joins inside the batch, never published;
 * - `concept`: an OMOP concept id (INTEGER), kept only if Hygie's vocabulary has it;
 * - `integer`, `number`, `date`, `datetime`: typed values, published;
 * - `code`: a `*_source_value` holding a code, published when it looks like one;
 * - `label`: a `*_source_value` from a short list (sex, visit kind, unit, route…), published when
 *   it looks like one and not like a record number (exports often put encounter numbers there);
 * - `identifier`: `person_source_value` (NIR, source pseudonym or hospital number), pseudonymised;
 * - `place`: location fields used to find the commune, never published;
 * - `dropped`: identifying or free text: not staged, not checked.
 */
export type OmopColumnKind =
  | 'source_id'
  | 'concept'
  | 'integer'
  | 'number'
  | 'date'
  | 'datetime'
  | 'code'
  | 'label'
  | 'identifier'
  | 'place'
  | 'dropped';

/** One column of an OMOP table. */
export interface OmopColumn {
  name: string;
  kind: OmopColumnKind;
  /** NOT NULL in the OMOP CDM v5.4 DDL: the header must have it and every row a value. */
  required: boolean;
  /** Inclusive range of an integer. */
  range?: readonly [number, number];
}

/** The staging layout of one OMOP table. */
export interface OmopTableSpec {
  table: OmopTable;
  /** Temporary staging table. */
  stage: string;
  columns: readonly OmopColumn[];
  /** (start, end) date columns: an end before its start is quarantined. */
  periods: readonly (readonly [string, string])[];
}

const req = (name: string, kind: OmopColumnKind): OmopColumn => ({ name, kind, required: true });
const opt = (name: string, kind: OmopColumnKind): OmopColumn => ({ name, kind, required: false });
const drop = (name: string): OmopColumn => ({ name, kind: 'dropped', required: false });

/** Range of counts stored in 32-bit CDM columns (refills, days of supply, procedure quantity). */
const COUNT_RANGE = [0, 2_147_483_647] as const;

const personId = req('person_id', 'source_id');
const providerId = opt('provider_id', 'source_id');
const visitId = opt('visit_occurrence_id', 'source_id');
const visitDetailId = opt('visit_detail_id', 'source_id');

const spec = (
  table: OmopTable,
  columns: OmopColumn[],
  periods: (readonly [string, string])[] = [],
): OmopTableSpec => ({ table, stage: `stg_omop_${table}`, columns, periods });

/** Staging layout per OMOP table (v5.4 column order). */
export const OMOP_STAGING: Readonly<Record<OmopTable, OmopTableSpec>> = {
  location: spec('location', [
    req('location_id', 'source_id'),
    drop('address_1'),
    drop('address_2'),
    opt('city', 'place'),
    opt('state', 'place'),
    opt('zip', 'place'),
    opt('county', 'place'),
    opt('location_source_value', 'place'),
    opt('country_concept_id', 'concept'),
    opt('country_source_value', 'place'),
    drop('latitude'),
    drop('longitude'),
  ]),
  person: spec('person', [
    personId,
    req('gender_concept_id', 'concept'),
    { ...req('year_of_birth', 'integer'), range: [1850, 2100] },
    { ...opt('month_of_birth', 'integer'), range: [1, 12] },
    drop('day_of_birth'),
    drop('birth_datetime'),
    req('race_concept_id', 'concept'),
    req('ethnicity_concept_id', 'concept'),
    opt('location_id', 'source_id'),
    providerId,
    opt('care_site_id', 'source_id'),
    opt('person_source_value', 'identifier'),
    opt('gender_source_value', 'label'),
    opt('gender_source_concept_id', 'concept'),
    drop('race_source_value'),
    drop('race_source_concept_id'),
    drop('ethnicity_source_value'),
    drop('ethnicity_source_concept_id'),
  ]),
  observation_period: spec(
    'observation_period',
    [
      req('observation_period_id', 'source_id'),
      personId,
      req('observation_period_start_date', 'date'),
      req('observation_period_end_date', 'date'),
      req('period_type_concept_id', 'concept'),
    ],
    [['observation_period_start_date', 'observation_period_end_date']],
  ),
  visit_occurrence: spec(
    'visit_occurrence',
    [
      req('visit_occurrence_id', 'source_id'),
      personId,
      req('visit_concept_id', 'concept'),
      req('visit_start_date', 'date'),
      opt('visit_start_datetime', 'datetime'),
      req('visit_end_date', 'date'),
      opt('visit_end_datetime', 'datetime'),
      req('visit_type_concept_id', 'concept'),
      providerId,
      opt('care_site_id', 'source_id'),
      opt('visit_source_value', 'label'),
      opt('visit_source_concept_id', 'concept'),
      opt('admitted_from_concept_id', 'concept'),
      opt('admitted_from_source_value', 'label'),
      opt('discharged_to_concept_id', 'concept'),
      opt('discharged_to_source_value', 'label'),
      opt('preceding_visit_occurrence_id', 'source_id'),
    ],
    [['visit_start_date', 'visit_end_date']],
  ),
  condition_occurrence: spec(
    'condition_occurrence',
    [
      req('condition_occurrence_id', 'source_id'),
      personId,
      req('condition_concept_id', 'concept'),
      req('condition_start_date', 'date'),
      opt('condition_start_datetime', 'datetime'),
      opt('condition_end_date', 'date'),
      opt('condition_end_datetime', 'datetime'),
      req('condition_type_concept_id', 'concept'),
      opt('condition_status_concept_id', 'concept'),
      drop('stop_reason'),
      providerId,
      visitId,
      visitDetailId,
      opt('condition_source_value', 'code'),
      opt('condition_source_concept_id', 'concept'),
      opt('condition_status_source_value', 'label'),
    ],
    [['condition_start_date', 'condition_end_date']],
  ),
  drug_exposure: spec(
    'drug_exposure',
    [
      req('drug_exposure_id', 'source_id'),
      personId,
      req('drug_concept_id', 'concept'),
      req('drug_exposure_start_date', 'date'),
      opt('drug_exposure_start_datetime', 'datetime'),
      req('drug_exposure_end_date', 'date'),
      opt('drug_exposure_end_datetime', 'datetime'),
      opt('verbatim_end_date', 'date'),
      req('drug_type_concept_id', 'concept'),
      drop('stop_reason'),
      { ...opt('refills', 'integer'), range: COUNT_RANGE },
      opt('quantity', 'number'),
      { ...opt('days_supply', 'integer'), range: COUNT_RANGE },
      drop('sig'),
      opt('route_concept_id', 'concept'),
      drop('lot_number'),
      providerId,
      visitId,
      visitDetailId,
      opt('drug_source_value', 'code'),
      opt('drug_source_concept_id', 'concept'),
      opt('route_source_value', 'label'),
      opt('dose_unit_source_value', 'label'),
    ],
    [['drug_exposure_start_date', 'drug_exposure_end_date']],
  ),
  procedure_occurrence: spec(
    'procedure_occurrence',
    [
      req('procedure_occurrence_id', 'source_id'),
      personId,
      req('procedure_concept_id', 'concept'),
      req('procedure_date', 'date'),
      opt('procedure_datetime', 'datetime'),
      opt('procedure_end_date', 'date'),
      opt('procedure_end_datetime', 'datetime'),
      req('procedure_type_concept_id', 'concept'),
      opt('modifier_concept_id', 'concept'),
      { ...opt('quantity', 'integer'), range: COUNT_RANGE },
      providerId,
      visitId,
      visitDetailId,
      opt('procedure_source_value', 'code'),
      opt('procedure_source_concept_id', 'concept'),
      opt('modifier_source_value', 'label'),
    ],
    [['procedure_date', 'procedure_end_date']],
  ),
  measurement: spec('measurement', [
    req('measurement_id', 'source_id'),
    personId,
    req('measurement_concept_id', 'concept'),
    req('measurement_date', 'date'),
    opt('measurement_datetime', 'datetime'),
    drop('measurement_time'),
    req('measurement_type_concept_id', 'concept'),
    opt('operator_concept_id', 'concept'),
    opt('value_as_number', 'number'),
    opt('value_as_concept_id', 'concept'),
    opt('unit_concept_id', 'concept'),
    opt('range_low', 'number'),
    opt('range_high', 'number'),
    providerId,
    visitId,
    visitDetailId,
    opt('measurement_source_value', 'code'),
    opt('measurement_source_concept_id', 'concept'),
    opt('unit_source_value', 'label'),
    opt('unit_source_concept_id', 'concept'),
    drop('value_source_value'),
    opt('measurement_event_id', 'source_id'),
    opt('meas_event_field_concept_id', 'concept'),
  ]),
  observation: spec('observation', [
    req('observation_id', 'source_id'),
    personId,
    req('observation_concept_id', 'concept'),
    req('observation_date', 'date'),
    opt('observation_datetime', 'datetime'),
    req('observation_type_concept_id', 'concept'),
    opt('value_as_number', 'number'),
    drop('value_as_string'),
    opt('value_as_concept_id', 'concept'),
    opt('qualifier_concept_id', 'concept'),
    opt('unit_concept_id', 'concept'),
    providerId,
    visitId,
    visitDetailId,
    opt('observation_source_value', 'code'),
    opt('observation_source_concept_id', 'concept'),
    opt('unit_source_value', 'label'),
    opt('qualifier_source_value', 'label'),
    drop('value_source_value'),
    opt('observation_event_id', 'source_id'),
    opt('obs_event_field_concept_id', 'concept'),
  ]),
  death: spec('death', [
    personId,
    req('death_date', 'date'),
    opt('death_datetime', 'datetime'),
    opt('death_type_concept_id', 'concept'),
    opt('cause_concept_id', 'concept'),
    opt('cause_source_value', 'code'),
    opt('cause_source_concept_id', 'concept'),
  ]),
};

/** OMOP CDM v5.3 column names accepted for their v5.4 successors. */
export const OMOP_V53_ALIASES: Readonly<Partial<Record<OmopTable, Record<string, string>>>> = {
  visit_occurrence: {
    admitting_source_concept_id: 'admitted_from_concept_id',
    admitting_source_value: 'admitted_from_source_value',
    discharge_to_concept_id: 'discharged_to_concept_id',
    discharge_to_source_value: 'discharged_to_source_value',
  },
};

/** Tables whose rows name a person (`person_id`), other than `person` itself. */
export const OMOP_EVENT_TABLES: readonly OmopTable[] = OMOP_TABLES.filter(
  (t) => t !== 'location' && t !== 'person',
);

/** Event tables that may point at a visit (`visit_occurrence_id`). */
export const OMOP_VISIT_CHILD_TABLES: readonly OmopTable[] = OMOP_TABLES.filter((t) =>
  OMOP_STAGING[t].columns.some((c) => c.name === 'visit_occurrence_id' && !c.required),
);
