/**
 * `incidence_rate`: incident events over person-time at risk. SQL counts cases and person-days;
 * the rate per `per` person-years (days / 365.25) and its direct standardisation are worked out
 * from those counts in `result-cells.ts`.
 *
 * Who is at risk, and until when (each person's spans start on day `s`):
 *
 * - An event is *incident* when no event of the criterion happened in the `washoutDays` days
 *   before it — with `washoutDays` absent, when it is the person's first event in the permit's
 *   data. The person's *case* is their first incident event on or after `s`.
 * - Person-time ends on the case date (included: the person was at risk that day) and is not
 *   counted while the person is in a washout: it starts at the latest of `s` and the day after
 *   the washout of their last event before the case (`last + washoutDays + 1`). With
 *   `washoutDays` absent, a person with any event before `s` is never at risk (prevalent).
 * - Events are only those of the permit period (`event-sql.ts`): a washout never looks at data
 *   outside the permit; require prior observation in a cohort to make sure it is covered.
 * - A case counts in the segment (calendar bucket) holding its date; a case that falls outside
 *   every span (a gap in observation) ends the person-time without counting.
 *
 * Person-time is counted in whole days, both ends included, so that calendar buckets add up to
 * the whole period exactly.
 */
import type { CompileScope } from './compile-scope.js';
import { eventsCte } from './event-sql.js';
import { membershipSelect } from './measure-sql.js';
import type { MeasureSelects } from './measure-sql.js';
import { PERSON_COLUMNS, segmentsFrom, spansCte, withPreviousEnd } from './spans-sql.js';
import { dimensionGroupBy, dimensionSelect, standardStrataSelect } from './strata-sql.js';
import type { EventCriterion } from '@hygie/core';

/** The CTE of each person's case date and start of time at risk (persons with events only). */
function incidencePersonCte(s: CompileScope, criterion: EventCriterion, washout?: number): string {
  const events = eventsCte(s, criterion);
  const spans = spansCte(s);
  const range = s.b.cte(
    'inc_range',
    () => `SELECT person_id, MIN(span_start) AS s FROM ${spans} GROUP BY person_id`,
  );
  if (washout === undefined) {
    // The first event is the only incident one: a case when on or after s, else prevalent.
    return s.b.cte(
      'inc_person',
      () =>
        `SELECT r.person_id,\n` +
        `  CASE WHEN MIN(e.event_date) >= r.s THEN MIN(e.event_date) END AS case_date,\n` +
        `  ${s.dialect.cast('NULL', 'date')} AS risk_start,\n` +
        `  CASE WHEN MIN(e.event_date) >= r.s THEN 1 ELSE 0 END AS at_risk\n` +
        `FROM ${range} r JOIN ${events} e ON e.person_id = r.person_id\n` +
        `GROUP BY r.person_id, r.s`,
    );
  }
  const days = s.b.value(washout, 'integer');
  const lagged = s.b.cte(
    'inc_lag',
    () =>
      `SELECT e.person_id, e.event_date,\n` +
      `  LAG(e.event_date) OVER (PARTITION BY e.person_id ORDER BY e.event_date) AS prev_date\n` +
      `FROM ${events} e JOIN ${range} r ON r.person_id = e.person_id`,
  );
  const cases = s.b.cte(
    'inc_case',
    () =>
      `SELECT r.person_id, MIN(CASE WHEN e.event_date >= r.s AND (e.prev_date IS NULL\n` +
      `  OR e.event_date > ${s.dialect.addDays('e.prev_date', days)}) THEN e.event_date END) AS case_date\n` +
      `FROM ${range} r JOIN ${lagged} e ON e.person_id = r.person_id\nGROUP BY r.person_id`,
  );
  // The last event before the case (or the last event, without a case). An inner join with the
  // condition in WHERE, then a LEFT JOIN on the person alone: DuckDB runs an outer join whose ON
  // holds an OR as a nested loop (persons × events).
  const last = s.b.cte(
    'inc_last',
    () =>
      `SELECT c.person_id, MAX(e.event_date) AS last_date\n` +
      `FROM ${cases} c JOIN ${events} e ON e.person_id = c.person_id\n` +
      `WHERE c.case_date IS NULL OR e.event_date < c.case_date\nGROUP BY c.person_id`,
  );
  return s.b.cte(
    'inc_person',
    () =>
      `SELECT c.person_id, c.case_date,\n` +
      `  ${s.dialect.addDays('l.last_date', `${days} + 1`)} AS risk_start, 1 AS at_risk\n` +
      `FROM ${cases} c LEFT JOIN ${last} l ON l.person_id = c.person_id`,
  );
}

/** The spans at risk: each span cut to the time at risk, with the person's `case_date`. */
function incidenceSpansCte(s: CompileScope, criterion: EventCriterion, washout?: number): string {
  const person = incidencePersonCte(s, criterion, washout);
  const spans = spansCte(s);
  return s.b.cte('inc_spans', () => {
    // greatest()/least() ignore NULLs: no washout to wait for, no case to stop at.
    const start = 'greatest(sp.span_start, r.risk_start)';
    const end = 'least(sp.span_end, r.case_date)';
    // Spans may drop out (before the washout ends, after the case): previous ends anew.
    return withPreviousEnd(
      `SELECT sp.person_id, ${start} AS span_start, ${end} AS span_end,\n` +
        `  ${PERSON_COLUMNS.map((c) => `sp.${c}`).join(', ')}, r.case_date\n` +
        `FROM ${spans} sp LEFT JOIN ${person} r ON r.person_id = sp.person_id\n` +
        `WHERE COALESCE(r.at_risk, 1) = 1 AND ${start} <= ${end}`,
    );
  });
}

/** The SELECTs of an incidence rate; `standardised` adds the `std_band`, `std_sex` strata. */
export function incidenceSelects(
  s: CompileScope,
  criterion: EventCriterion,
  washout: number | undefined,
  standardised: boolean,
): MeasureSelects {
  const from = segmentsFrom(s, incidenceSpansCte(s, criterion, washout), ['case_date']);
  const dims = dimensionSelect(s, 'sg', 'sg.bucket_label');
  const strata = standardised ? standardStrataSelect(s, 'sg') : [];
  const isCase = 'CASE WHEN sg.case_date BETWEEN sg.seg_start AND sg.seg_end THEN 1 ELSE 0 END';
  const counts = [
    `SUM(${s.dialect.dateDiffDays('sg.seg_start', 'sg.seg_end')} + 1) AS person_days`,
    `SUM(${isCase}) AS cases`,
    'SUM(sg.first_in_cell) AS persons',
  ];
  const rows = `(SELECT ${[...dims, 'sg.person_id', `${isCase} AS is_case`].join(', ')} FROM ${from}) r`;
  return {
    select:
      `SELECT ${[...dims, ...strata, ...counts].join(', ')}\nFROM ${from}` +
      dimensionGroupBy(s, standardised ? ['std_band', 'std_sex'] : []),
    membership: membershipSelect(s, rows, 'r.is_case'),
  };
}
