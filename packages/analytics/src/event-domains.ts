/**
 * Where each kind of clinical event lives in the OMOP CDM: its table, its date, its concept and,
 * for measurements, its value. The one place the compiler and `requiredData` learn it from, so
 * the SQL never reads a column the permit check was not told about.
 */
import type { EventDomain } from '@hygie/core';

/** The CDM columns of one event domain. */
export interface EventDomainColumns {
  readonly table: string;
  /** The event's date (a DATE column, never null). */
  readonly date: string;
  /** The event's concept, matched against concept sets. */
  readonly concept: string;
  /** The numeric value, for measurements. */
  readonly value?: string;
}

/** The CDM columns of every event domain. */
export const EVENT_DOMAIN_COLUMNS: Readonly<Record<EventDomain, EventDomainColumns>> = {
  condition: {
    table: 'condition_occurrence',
    date: 'condition_start_date',
    concept: 'condition_concept_id',
  },
  // Ingestion stores the dispensed CIP13 presentation here; ATC classes reach it through
  // concept_ancestor (a CIP13 'Is a' its ATC class), so an ATC concept set matches dispensings.
  drug: { table: 'drug_exposure', date: 'drug_exposure_start_date', concept: 'drug_concept_id' },
  procedure: {
    table: 'procedure_occurrence',
    date: 'procedure_date',
    concept: 'procedure_concept_id',
  },
  visit: { table: 'visit_occurrence', date: 'visit_start_date', concept: 'visit_concept_id' },
  measurement: {
    table: 'measurement',
    date: 'measurement_date',
    concept: 'measurement_concept_id',
    value: 'value_as_number',
  },
  // The initial cause of death (CépiDc) is the death's concept.
  death: { table: 'death', date: 'death_date', concept: 'cause_concept_id' },
};
