/** ISO week labels (`2024-W05`) as consecutive week numbers, for the validation's week arithmetic. */
import { HygieError } from '@hygie/core';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/**
 * The week number of an ISO week label: the Monday of the week as whole weeks since the Monday
 * 1970-01-05, so that consecutive ISO weeks (across 52- and 53-week years) differ by exactly 1.
 */
export function isoWeekOrdinal(label: string): number {
  const m = /^([0-9]{4})-W([0-9]{2})$/.exec(label);
  const year = Number(m?.[1]);
  const week = Number(m?.[2]);
  // Monday of ISO week 1: the Monday on or before 4 January.
  const jan4 = Date.UTC(year, 0, 4);
  const week1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
  const ordinal = m ? (week1 + (week - 1) * WEEK - Date.UTC(1970, 0, 5)) / WEEK : NaN;
  if (!m || week < 1 || week > 53 || isoWeekLabel(ordinal) !== label) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `not an ISO week: ${label}`, {
      argument: 'week',
    });
  }
  return ordinal;
}

/** The label of a week number of {@link isoWeekOrdinal}. */
export function isoWeekLabel(ordinal: number): string {
  const monday = Date.UTC(1970, 0, 5) + ordinal * WEEK;
  const thursday = monday + 3 * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / WEEK) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
