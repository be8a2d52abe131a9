/**
 * The periods of a series, computed from the validated analysis period: ISO weeks (Monday to
 * Sunday, labelled `2020-W53`, the year being the ISO year) or months (`2024-03`). A series covers
 * whole periods: from the first day of the period holding `from` to the last day of the one
 * holding `to`.
 */
import { HygieError } from '@hygie/core';

/** Period unit of a series. */
export type SeriesUnit = 'isoweek' | 'month';

/** One period of a series. */
export interface SeriesBucket {
  /** Position from 0. */
  readonly index: number;
  readonly label: string;
  /** First and last day, `YYYY-MM-DD`. */
  readonly start: string;
  readonly end: string;
  /** Year of the label (the ISO year for weeks): ages are reached in this year. */
  readonly year: number;
}

const DAY = 86_400_000;

function parseDate(iso: string): number {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(iso);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== iso) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'a period date must be YYYY-MM-DD', {
      argument: 'period',
    });
  }
  return t;
}

const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** ISO year and week of a date (ms since epoch, UTC midnight). */
export function isoWeek(t: number): { year: number; week: number } {
  const dow = (new Date(t).getUTCDay() + 6) % 7; // Monday 0
  const thursday = t + (3 - dow) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY / 7) + 1;
  return { year, week };
}

/** At most this many periods in one series. */
export const MAX_BUCKETS = 2_000;

/** The periods of `unit` covering [from, to]. */
export function seriesBuckets(
  period: { readonly from: string; readonly to: string },
  unit: SeriesUnit,
): SeriesBucket[] {
  const from = parseDate(period.from);
  const to = parseDate(period.to);
  if (to < from) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'the period ends before it starts', {
      argument: 'period',
    });
  }
  const out: SeriesBucket[] = [];
  if (unit === 'isoweek') {
    let start = from - ((new Date(from).getUTCDay() + 6) % 7) * DAY;
    while (start <= to) {
      const { year, week } = isoWeek(start);
      out.push({
        index: out.length,
        label: `${year}-W${String(week).padStart(2, '0')}`,
        start: iso(start),
        end: iso(start + 6 * DAY),
        year,
      });
      start += 7 * DAY;
      if (out.length > MAX_BUCKETS) break;
    }
  } else if (unit === 'month') {
    const d = new Date(from);
    let y = d.getUTCFullYear();
    let m = d.getUTCMonth();
    while (Date.UTC(y, m, 1) <= to) {
      out.push({
        index: out.length,
        label: `${y}-${String(m + 1).padStart(2, '0')}`,
        start: iso(Date.UTC(y, m, 1)),
        end: iso(Date.UTC(y, m + 1, 0)),
        year: y,
      });
      m += 1;
      if (m === 12) {
        m = 0;
        y += 1;
      }
      if (out.length > MAX_BUCKETS) break;
    }
  } else {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'unit is isoweek or month', { argument: 'unit' });
  }
  if (out.length > MAX_BUCKETS) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `at most ${MAX_BUCKETS} periods`, {
      argument: 'period',
    });
  }
  return out;
}
