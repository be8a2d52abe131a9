/**
 * Calendar buckets of a query period: the years, quarters, months, ISO weeks (Monday to Sunday)
 * or days it spans, clipped to the period, numbered 0, 1, … and labelled as the dialects'
 * `periodLabel` labels them (`2024`, `2024-Q1`, `2024-03`, `2024-W09`, `2024-03-01`).
 *
 * The compiler writes them as a VALUES list of DATE literals — compiler-generated from validated
 * ISO dates, never user text — and finds a date's bucket by arithmetic on its calendar fields
 * (`bucketIndexSql`), so that splitting person-time across buckets is an equality join on the
 * bucket number, never a range join of every person against every bucket.
 */
import {
  HygieError,
  civilDate,
  epochDay,
  isoDate,
  isoWeekLabel,
  isoWeekday,
  parseIsoDate,
} from '@hygie/core';
import type { Period } from '@hygie/core';
import type { DateUnit, SqlDialect } from '@hygie/warehouse';

/** One calendar bucket of the query period. */
export interface CalendarBucket {
  /** 0 for the bucket holding the period's first day, then 1, 2, … */
  readonly index: number;
  /** First day inside the period (`YYYY-MM-DD`). */
  readonly start: string;
  /** Last day inside the period. */
  readonly end: string;
  readonly label: string;
}

function day(text: string): number {
  const d = parseIsoDate(text);
  if (Number.isNaN(d)) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'a period date must be YYYY-MM-DD', {
      argument: 'period',
    });
  }
  return d;
}

/** First day of the calendar period of `unit` holding the epoch day `d`. */
function naturalStart(unit: DateUnit, d: number): number {
  const { year, month } = civilDate(d);
  switch (unit) {
    case 'year':
      return epochDay(year, 1, 1);
    case 'quarter':
      return epochDay(year, 3 * Math.floor((month - 1) / 3) + 1, 1);
    case 'month':
      return epochDay(year, month, 1);
    case 'week':
      return d - isoWeekday(d) + 1;
    case 'day':
      return d;
  }
}

/** First day of the calendar period after the one starting on `start`. */
function nextStart(unit: DateUnit, start: number): number {
  const { year, month } = civilDate(start);
  switch (unit) {
    case 'year':
      return epochDay(year + 1, 1, 1);
    case 'quarter':
      return epochDay(year, month + 3, 1);
    case 'month':
      return epochDay(year, month + 1, 1);
    case 'week':
      return start + 7;
    case 'day':
      return start + 1;
  }
}

/** The label of the calendar period of `unit` holding the epoch day `d`. */
export function calendarLabel(unit: DateUnit, d: number): string {
  const { year, month } = civilDate(d);
  switch (unit) {
    case 'year':
      return String(year);
    case 'quarter':
      return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
    case 'month':
      return `${year}-${String(month).padStart(2, '0')}`;
    case 'week':
      return isoWeekLabel(d);
    case 'day':
      return isoDate(d);
  }
}

/** The buckets of `unit` spanned by `period`, clipped to it, in time order. */
export function calendarBuckets(unit: DateUnit, period: Period): CalendarBucket[] {
  const from = day(period.from);
  const to = day(period.to);
  const buckets: CalendarBucket[] = [];
  for (let start = naturalStart(unit, from); start <= to; start = nextStart(unit, start)) {
    buckets.push({
      index: buckets.length,
      start: isoDate(Math.max(start, from)),
      end: isoDate(Math.min(nextStart(unit, start) - 1, to)),
      label: calendarLabel(unit, start),
    });
  }
  return buckets;
}

/** A validated ISO date as a DATE literal. */
export function dateLiteral(iso: string): string {
  return `DATE '${isoDate(day(iso))}'`;
}

/**
 * The bucket number of the DATE expression `date`, which must not be before `period.from`
 * (the compiler only asks for dates clipped to the period): calendar-field arithmetic, the same
 * numbering as `calendarBuckets`.
 */
export function bucketIndexSql(
  dialect: SqlDialect,
  unit: DateUnit,
  period: Period,
  date: string,
): string {
  const from = day(period.from);
  const { year, month } = civilDate(from);
  const years = `(${dialect.datePart('year', date)} - ${year})`;
  switch (unit) {
    case 'year':
      return years;
    case 'quarter':
      return `(${years} * 4 + ${dialect.datePart('quarter', date)} - ${Math.floor((month - 1) / 3) + 1})`;
    case 'month':
      return `(${years} * 12 + ${dialect.datePart('month', date)} - ${month})`;
    case 'week': {
      const monday = isoDate(naturalStart('week', from));
      return dialect.intDiv(dialect.dateDiffDays(`DATE '${monday}'`, date), '7');
    }
    case 'day':
      return dialect.dateDiffDays(dateLiteral(period.from), date);
  }
}

/** The buckets as a FROM item `(bucket_index, bucket_start, bucket_end, bucket_label)`. */
export function bucketsSql(buckets: readonly CalendarBucket[]): string {
  const rows = buckets.map(
    (b) =>
      `(${b.index}, ${dateLiteral(b.start)}, ${dateLiteral(b.end)}, '${b.label.replace(/[^0-9A-Z-]/g, '')}')`,
  );
  return (
    `SELECT * FROM (VALUES ${rows.join(',\n  ')})\n` +
    `  AS b(bucket_index, bucket_start, bucket_end, bucket_label)`
  );
}
