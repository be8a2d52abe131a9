/**
 * What a query needs from the warehouse, worked out once from the query alone: which person
 * attributes (sex, age, place), which calendar unit, which event criteria. Both the SQL and the
 * permit's access request (`requiredData`) are derived from it, so the two cannot drift apart: the
 * compiled SQL reads exactly the columns the permit check approved.
 */
import { CALENDAR_DIMENSIONS } from '@hygie/core';
import type { EventCriterion, Query } from '@hygie/core';
import type { DateUnit } from '@hygie/warehouse';
import type { PopulationColumn } from './population-sql.js';

/** The person attributes and calendar unit a query uses. */
export interface QueryNeeds {
  /** `person.gender_concept_id`: sex strata, a sex condition, or standardisation. */
  readonly sex: boolean;
  /** `person.year_of_birth` and `month_of_birth`: age bands, an age condition, standardisation, an age distribution. */
  readonly age: boolean;
  /** `location.county` through `person.location_id`. */
  readonly departement: boolean;
  /** `location.state` through `person.location_id`. */
  readonly region: boolean;
  /** The calendar dimension of the stratification, if any. */
  readonly calendar: DateUnit | null;
}

/** Works out the person attributes and calendar unit of a query. */
export function queryNeeds(query: Query): QueryNeeds {
  const demographics = query.cohort?.demographics;
  const standardised = query.measures.some(
    (m) => (m.kind === 'prevalence' || m.kind === 'incidence_rate') && m.standardise !== undefined,
  );
  const calendar = query.stratify.find((d) => CALENDAR_DIMENSIONS.includes(d));
  return {
    sex: query.stratify.includes('sex') || demographics?.sex !== undefined || standardised,
    age:
      query.stratify.includes('age_band') ||
      demographics?.ageAtIndex?.min !== undefined ||
      demographics?.ageAtIndex?.max !== undefined ||
      standardised ||
      query.measures.some((m) => m.kind === 'distribution' && m.variable.of === 'age'),
    departement: query.stratify.includes('departement') || demographics?.departements !== undefined,
    region: query.stratify.includes('region') || demographics?.regions !== undefined,
    calendar: calendar === undefined ? null : (calendar as DateUnit),
  };
}

/** The columns the population must carry for the attributes a query uses. */
export function populationColumns(needs: QueryNeeds): PopulationColumn[] {
  const columns: PopulationColumn[] = [];
  if (needs.sex) columns.push('gender_concept_id');
  if (needs.age) columns.push('year_of_birth', 'month_of_birth');
  if (needs.departement) columns.push('departement');
  if (needs.region) columns.push('region');
  return columns;
}

/** An event criterion and what it is used for (a measurement value needs `value_as_number`). */
export interface UsedCriterion {
  readonly criterion: EventCriterion;
  readonly needsValue: boolean;
}

/** Every event criterion of the query: cohort entry and inclusion, measures. */
export function queryCriteria(query: Query): UsedCriterion[] {
  const used: UsedCriterion[] = [];
  for (const criterion of query.cohort?.entry.events ?? [])
    used.push({ criterion, needsValue: false });
  for (const rule of query.cohort?.inclusion ?? []) {
    used.push({ criterion: rule.criterion, needsValue: false });
  }
  for (const m of query.measures) {
    if (m.kind === 'event_count' || m.kind === 'prevalence' || m.kind === 'incidence_rate') {
      used.push({ criterion: m.events, needsValue: false });
    }
    if (m.kind === 'distribution' && m.variable.of === 'measurement_value') {
      used.push({ criterion: m.variable.events, needsValue: true });
    }
  }
  return used;
}
