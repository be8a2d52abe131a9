/**
 * Time at risk as SQL. A *span* is a stretch of days, both ends included, during which a person
 * counts in the denominators; measures count what happens inside spans.
 *
 * - **Cohort**: one span per person, the follow-up inside the query period:
 *   [max(index, period.from), min(exit, period.to)] — none when the follow-up misses the period.
 * - **Population** (no cohort): the persons of the permit's population observed during the query
 *   period. Their observation periods are clipped to the query period, overlapping or adjacent
 *   periods merged (several sources may each contribute one), and each stretch cut at death:
 *   [max(obs start, period.from), min(obs end, death, period.to)].
 *
 * A *segment* is a span cut by calendar bucket (with a calendar dimension) — through a series of
 * bucket numbers per span and an equality join on them, never a range join of persons × buckets
 * (the dialect's `integerSeries`).
 * Age is the age at the index date in a cohort; in the population, the age at the start of the
 * bucket (or of the period).
 *
 * Counting persons never uses COUNT(DISTINCT …) over segments (on DuckDB a grouped distinct
 * count over millions of rows costs 50 times a plain count): every span carries the end of the
 * person's previous span (`prev_end`), and a segment is `first_in_cell` unless that previous span
 * already reached the same bucket. Persons in a cell are then `SUM(first_in_cell)`.
 */
import { periodFrom, periodTo } from './compile-scope.js';
import type { CompileScope } from './compile-scope.js';
import { bucketIndexSql, bucketsSql, calendarBuckets } from './calendar-buckets.js';
import { cohortCte } from './cohort-sql.js';
import { eventsCte } from './event-sql.js';
import { ageOnSql, ageSql, deathsCte, personAttrCte } from './person-sql.js';
import { POPULATION_CTE } from './statement-builder.js';
import type { EventCriterion } from '@hygie/core';

/** Person columns every span, segment and positioned event carries. */
export const PERSON_COLUMNS = [
  'gender_concept_id',
  'year_of_birth',
  'birth_month',
  'departement',
  'region',
  'index_age',
] as const;

function personColumns(row: string): string {
  return PERSON_COLUMNS.map((c) => `${row}.${c}`).join(', ');
}

/** The merged observed stretches of the population inside the query period (population mode). */
function observedSpans(s: CompileScope): string {
  const clipped = s.b.cte(
    'obs_clipped',
    () =>
      `SELECT op.person_id,\n` +
      `  greatest(op.observation_period_start_date, ${periodFrom(s)}) AS s,\n` +
      `  least(op.observation_period_end_date, ${periodTo(s)}) AS e\n` +
      `FROM observation_period op\n` +
      `JOIN ${POPULATION_CTE} pp ON pp.person_id = op.person_id\n` +
      `WHERE op.observation_period_start_date <= ${periodTo(s)}\n` +
      `  AND op.observation_period_end_date >= ${periodFrom(s)}`,
  );
  // Gaps and islands: a stretch starts a new island unless it begins at most one day after the
  // latest end seen so far for the person; islands are then merged by aggregation.
  const islands = s.b.cte('obs_islands', () => {
    const before =
      'OVER (PARTITION BY person_id ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)';
    return (
      `SELECT person_id, s, e,\n` +
      `  SUM(starts) OVER (PARTITION BY person_id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS island\n` +
      `FROM (\n` +
      `  SELECT person_id, s, e,\n` +
      `    CASE WHEN s <= ${s.dialect.addDays(`MAX(e) ${before}`, 1)} THEN 0 ELSE 1 END AS starts\n` +
      `  FROM ${clipped}\n) f`
    );
  });
  return s.b.cte('spans', () => {
    const attr = personAttrCte(s);
    const deaths = deathsCte(s);
    const end = 'least(m.e, d.death_date)';
    const cut =
      `SELECT m.person_id, m.s AS span_start, ${end} AS span_end,\n` +
      `  pa.gender_concept_id, pa.year_of_birth, pa.birth_month, pa.departement, pa.region,\n` +
      `  ${s.dialect.cast('NULL', 'integer')} AS index_age\n` +
      `FROM (SELECT person_id, MIN(s) AS s, MAX(e) AS e FROM ${islands} GROUP BY person_id, island) m\n` +
      `JOIN ${attr} pa ON pa.person_id = m.person_id\n` +
      `LEFT JOIN ${deaths} d ON d.person_id = m.person_id\n` +
      `WHERE m.s <= ${end}`;
    return withPreviousEnd(cut);
  });
}

/** The cohort's follow-up inside the query period (cohort mode). */
function cohortSpans(s: CompileScope): string {
  const cohort = s.query.cohort;
  if (cohort === undefined) return observedSpans(s);
  return s.b.cte('spans', () => {
    const c = cohortCte(s, cohort);
    const start = `greatest(c.index_date, ${periodFrom(s)})`;
    const end = `least(c.exit_date, ${periodTo(s)})`;
    // One span per person: no previous span.
    return (
      `SELECT c.person_id, ${start} AS span_start, ${end} AS span_end, ${personColumns('c')},\n` +
      `  ${s.dialect.cast('NULL', 'date')} AS prev_end\n` +
      `FROM ${c} c\nWHERE ${start} <= ${end}`
    );
  });
}

/**
 * Adds `prev_end`, the end of the person's previous span, to a SELECT of disjoint spans
 * (`person_id`, `span_start`, `span_end`, …).
 */
export function withPreviousEnd(spans: string): string {
  return (
    `SELECT x.*, LAG(x.span_end) OVER (PARTITION BY x.person_id ORDER BY x.span_start) AS prev_end\n` +
    `FROM (\n${spans}\n) x`
  );
}

/**
 * The `spans` CTE: `person_id`, `span_start`, `span_end`, the person columns (`PERSON_COLUMNS`;
 * `index_age` NULL in population mode) and `prev_end`. A person's spans never overlap.
 */
export function spansCte(s: CompileScope): string {
  return s.query.cohort === undefined ? observedSpans(s) : cohortSpans(s);
}

/** The `buckets` CTE of the query's calendar dimension (which must exist). */
export function bucketsCte(s: CompileScope): string {
  const unit = s.needs.calendar;
  return s.b.cte('buckets', () => bucketsSql(unit ? calendarBuckets(unit, s.query.period) : []));
}

/** Age of a span row `row` in a bucket starting on `bucketStart` (see the module comment). */
function spanAge(s: CompileScope, row: string, bucketStart: string): string {
  return s.query.cohort === undefined ? ageSql(s, row, bucketStart) : `${row}.index_age`;
}

/** Age of a span row `row` without a calendar dimension: on the query period's first day. */
function spanAgeInPeriod(s: CompileScope, row: string): string {
  return s.query.cohort === undefined ? ageOnSql(s, row, s.query.period.from) : `${row}.index_age`;
}

/**
 * A FROM clause of segments of the spans CTE `spans` (which has `prev_end`), aliased `sg`: every
 * column of the spans CTE plus `seg_start`, `seg_end`, `age`, `first_in_cell` (1 for exactly one
 * segment per person and cell) and, with a calendar dimension, `bucket_index` and
 * `bucket_label`. `extra` names further columns of the spans CTE to carry.
 */
export function segmentsFrom(
  s: CompileScope,
  spans: string,
  extra: readonly string[] = [],
): string {
  const carried = ['person_id', 'span_start', 'span_end', ...PERSON_COLUMNS, ...extra]
    .map((c) => `sp.${c}`)
    .join(', ');
  const unit = s.needs.calendar;
  if (unit === null) {
    return (
      `(SELECT ${carried}, sp.span_start AS seg_start, sp.span_end AS seg_end,\n` +
      `  ${spanAgeInPeriod(s, 'sp')} AS age,\n` +
      `  CASE WHEN sp.prev_end IS NULL THEN 1 ELSE 0 END AS first_in_cell\n` +
      `FROM ${spans} sp) sg`
    );
  }
  const buckets = bucketsCte(s);
  const index = (d: string): string => bucketIndexSql(s.dialect, unit, s.query.period, d);
  // One row per span and bucket number it reaches, then the bucket by equality on the number.
  const series = s.dialect.integerSeries(index('x.span_start'), index('x.span_end'));
  return (
    `(SELECT ${carried}, b.bucket_index, b.bucket_label,\n` +
    `  greatest(sp.span_start, b.bucket_start) AS seg_start,\n` +
    `  least(sp.span_end, b.bucket_end) AS seg_end,\n` +
    `  ${spanAge(s, 'sp', 'b.bucket_start')} AS age,\n` +
    `  CASE WHEN sp.prev_end IS NULL OR sp.i > ${index('sp.prev_end')} THEN 1 ELSE 0 END AS first_in_cell\n` +
    `FROM (SELECT x.*, ${series} AS i FROM ${spans} x) sp\n` +
    `JOIN ${buckets} b ON b.bucket_index = sp.i) sg`
  );
}

/**
 * A FROM clause of the criterion's events that fall inside a span, aliased `pe`: `person_id`,
 * `event_date`, `value` (when the events carry it), the person columns, `age` and, with a
 * calendar dimension, the event's `bucket_index` and `bucket_label`. Events are placed in their bucket by the
 * bucket number of their date, not joined against segments.
 */
export function positionedEventsFrom(
  s: CompileScope,
  criterion: EventCriterion,
  withValue = false,
): string {
  const events = eventsCte(s, criterion);
  const spans = spansCte(s);
  const unit = s.needs.calendar;
  const value = withValue ? ', e.value' : '';
  const inSpan =
    `FROM ${events} e JOIN ${spans} sp ON sp.person_id = e.person_id\n` +
    `  AND e.event_date BETWEEN sp.span_start AND sp.span_end`;
  if (unit === null) {
    return (
      `(SELECT e.person_id, e.event_date${value}, ${personColumns('sp')},\n` +
      `  ${spanAgeInPeriod(s, 'sp')} AS age\n${inSpan}) pe`
    );
  }
  const buckets = bucketsCte(s);
  const index = bucketIndexSql(s.dialect, unit, s.query.period, 'e.event_date');
  return (
    `(SELECT e.person_id, e.event_date${value}, ${personColumns('sp')}, b.bucket_index, b.bucket_label,\n` +
    `  ${spanAge(s, 'sp', 'b.bucket_start')} AS age\n${inSpan}\n` +
    `JOIN ${buckets} b ON b.bucket_index = ${index}) pe`
  );
}
