/**
 * The data a query reads, as a permit access request's `data` (`[{table, variables}]`): the
 * permit check (`permits.authorize`) refuses a query that reads outside the permit before any SQL
 * runs. Derived from the same `queryNeeds` and domain columns the compiler writes its SQL from.
 *
 * Not listed: the vocabulary tables (`concept`, `concept_ancestor`: reference data, not person
 * data), the opt-out mirror (governance, applied to every population), and the columns the
 * permit's own population filters read (the permit defines them).
 */
import type { DataItem, Query } from '@hygie/core';
import { EVENT_DOMAIN_COLUMNS } from './event-domains.js';
import { queryCriteria, queryNeeds } from './query-needs.js';

/** The tables and variables `query` reads, tables and variables in alphabetical order. */
export function requiredData(query: Query): DataItem[] {
  const tables = new Map<string, Set<string>>();
  const read = (table: string, ...variables: string[]): void => {
    const set = tables.get(table) ?? new Set<string>();
    for (const v of variables) set.add(v);
    tables.set(table, set);
  };
  const needs = queryNeeds(query);
  read('person', 'person_id');
  if (needs.sex) read('person', 'gender_concept_id');
  if (needs.age) read('person', 'year_of_birth', 'month_of_birth');
  if (needs.departement || needs.region) {
    read('person', 'location_id');
    read('location', 'location_id', ...(needs.departement ? ['county'] : []));
    if (needs.region) read('location', 'state');
  }
  // Observation bounds every follow-up and every population denominator; death ends both.
  read(
    'observation_period',
    'person_id',
    'observation_period_start_date',
    'observation_period_end_date',
  );
  read('death', 'person_id', 'death_date');
  for (const { criterion, needsValue } of queryCriteria(query)) {
    const cols = EVENT_DOMAIN_COLUMNS[criterion.domain];
    read(cols.table, 'person_id', cols.date);
    if (criterion.conceptSet !== undefined) read(cols.table, cols.concept);
    if (cols.value !== undefined && (needsValue || criterion.valueRange !== undefined)) {
      read(cols.table, cols.value);
    }
  }
  return [...tables.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([table, variables]) => ({ table, variables: [...variables].sort() }));
}
