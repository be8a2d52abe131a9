/**
 * `event_count`: events of the criterion during follow-up inside the query period (cohort: from the
 * index date, included, to the exit) or during the observed time of the population in the period.
 * A calendar dimension places each event in its own period; ages are as for the spans (at the
 * index date, or at the start of the event's bucket or of the period).
 */
import type { EventCriterion } from '@hygie/core';
import type { CompileScope } from './compile-scope.js';
import { dimensionOutput, membershipSelect } from './measure-sql.js';
import type { MeasureSelects } from './measure-sql.js';
import { positionedEventsFrom } from './spans-sql.js';
import { dimensionGroupBy, dimensionSelect } from './strata-sql.js';

/** The SELECTs of an event count. */
export function eventCountSelects(s: CompileScope, events: EventCriterion): MeasureSelects {
  const from = positionedEventsFrom(s, events);
  const dims = dimensionSelect(s, 'pe', 'pe.bucket_label');
  // Events per person and cell first, then per cell: two plain aggregations instead of a
  // grouped COUNT(DISTINCT person_id), which DuckDB computes far more slowly.
  const perPerson =
    `(SELECT ${[...dims, 'pe.person_id', 'COUNT(*) AS n'].join(', ')}\nFROM ${from}` +
    `${dimensionGroupBy(s, ['pe.person_id'])}) r`;
  return {
    select:
      `SELECT ${[...dimensionOutput(s), 'SUM(r.n) AS events', 'COUNT(*) AS persons'].join(', ')}\n` +
      `FROM ${perPerson}${dimensionGroupBy(s)}`,
    membership: membershipSelect(s, perPerson),
  };
}
