/**
 * FHIR `date`, `dateTime` and `instant` values reduced to what the staging tables hold: a calendar
 * date (`YYYY-MM-DD`), or for a birth date only the year and month.
 *
 * The date part is taken as written, before any time zone: `2019-01-12T23:30:00-05:00` happened
 * on 12 January where it was recorded, which is the day a clinician would report.
 */
/** A parsed FHIR date, at the precision it was written. */
export interface FhirDate {
  readonly year: number;
  /** 1–12, or null for a year-only date. */
  readonly month: number | null;
  /** 1–31, or null for a year or year-month date. */
  readonly day: number | null;
}

/** What a date element holds: nothing, something unreadable, or a date. */
export type FhirDateResult =
  { kind: 'absent' } | { kind: 'invalid' } | { kind: 'date'; date: FhirDate };

const ABSENT: FhirDateResult = { kind: 'absent' };
const INVALID: FhirDateResult = { kind: 'invalid' };

// FHIR R4 dateTime: YYYY, YYYY-MM, YYYY-MM-DD, or a full date with a time and optional zone.
const DATE_TIME_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** Days in a month of the proleptic Gregorian calendar (cheaper than a Date round trip). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Parses a FHIR date/dateTime/instant value. */
export function parseFhirDate(value: unknown): FhirDateResult {
  if (value === undefined || value === null) return ABSENT;
  if (typeof value !== 'string') return INVALID;
  const m = DATE_TIME_RE.exec(value.trim());
  if (!m) return INVALID;
  const year = Number(m[1]);
  const month = m[2] === undefined ? null : Number(m[2]);
  const day = m[3] === undefined ? null : Number(m[3]);
  if (year < 1 || (month !== null && (month < 1 || month > 12))) return INVALID;
  if (day !== null && (day < 1 || day > daysInMonth(year, month as number))) return INVALID;
  return { kind: 'date', date: { year, month, day } };
}

/**
 * The calendar date a staging DATE column receives. A partial date (`2015`, `2015-03`) becomes
 * the first day of its year or month, the usual OMOP ETL convention, rather than losing the event.
 */
export function isoDay(date: FhirDate): string {
  return `${String(date.year).padStart(4, '0')}-${pad2(date.month ?? 1)}-${pad2(date.day ?? 1)}`;
}

/**
 * A date element for an event: the ISO day, null when absent, or 'invalid'. The caller decides
 * whether absence is a problem.
 */
export function eventDay(value: unknown): string | null | 'invalid' {
  const r = parseFhirDate(value);
  if (r.kind === 'absent') return null;
  if (r.kind === 'invalid') return 'invalid';
  return isoDay(r.date);
}
