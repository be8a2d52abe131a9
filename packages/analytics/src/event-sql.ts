/**
 * The events of one criterion as a CTE `(person_id, event_date[, value])`: one scan of the
 * domain's table, restricted to persons of the permit's population and to event dates inside the
 * PERMIT period. Everything downstream (entry, look-back windows, washouts, measures) reads events
 * through these CTEs, so no window can ever reach data outside the permit.
 */
import { canonicalJson } from '@hygie/core';
import type { EventCriterion, Query } from '@hygie/core';
import { permitFrom, permitTo } from './compile-scope.js';
import type { CompileScope } from './compile-scope.js';
import { conceptSetCte } from './concept-set-sql.js';
import { EVENT_DOMAIN_COLUMNS } from './event-domains.js';
import { POPULATION_CTE } from './statement-builder.js';
import { queryCriteria } from './query-needs.js';

/** A distinct criterion of a query and whether any use of it reads the measured value. */
interface DistinctCriterion {
  readonly key: string;
  readonly criterion: EventCriterion;
  readonly needsValue: boolean;
}

/** The query's criteria, each once (equal criteria share one scan). */
function distinctCriteria(query: Query): DistinctCriterion[] {
  const byKey = new Map<string, DistinctCriterion>();
  for (const { criterion, needsValue } of queryCriteria(query)) {
    const key = canonicalJson(criterion);
    const known = byKey.get(key);
    byKey.set(key, {
      key,
      criterion,
      needsValue: (known?.needsValue ?? false) || needsValue,
    });
  }
  return [...byKey.values()];
}

/** Whether the events CTE of a criterion carries the measured `value`. */
export function carriesValue(criterion: EventCriterion, needsValue: boolean): boolean {
  return criterion.domain === 'measurement' && needsValue;
}

/**
 * The CTE of a criterion's events: `person_id`, `event_date` and, for a measurement whose value a
 * distribution reads, `value`. Built once per statement whatever the number of uses.
 */
export function eventsCte(s: CompileScope, criterion: EventCriterion): string {
  const all = distinctCriteria(s.query);
  const key = canonicalJson(criterion);
  const index = all.findIndex((c) => c.key === key);
  const needsValue = all[index]?.needsValue ?? false;
  return s.b.cte(`ev_${index}`, () => {
    const cols = EVENT_DOMAIN_COLUMNS[criterion.domain];
    const where = [`e.${cols.date} BETWEEN ${permitFrom(s)} AND ${permitTo(s)}`];
    if (criterion.conceptSet !== undefined) {
      const set = conceptSetCte(s, criterion.conceptSet);
      where.push(`e.${cols.concept} IN (SELECT concept_id FROM ${set})`);
    }
    const range = criterion.valueRange;
    if (range?.min !== undefined)
      where.push(`e.value_as_number >= ${s.b.value(range.min, 'double')}`);
    if (range?.max !== undefined)
      where.push(`e.value_as_number <= ${s.b.value(range.max, 'double')}`);
    const value = carriesValue(criterion, needsValue)
      ? `, e.${cols.value ?? 'value_as_number'} AS value`
      : '';
    return (
      `SELECT e.person_id, e.${cols.date} AS event_date${value}\n` +
      `FROM ${cols.table} e\nJOIN ${POPULATION_CTE} pp ON pp.person_id = e.person_id\n` +
      `WHERE ${where.join('\n  AND ')}`
    );
  });
}
