/**
 * Calendar arithmetic on "epoch days" (whole days since 1970-01-01, UTC), the representation the
 * synthetic generator and the surveillance series use: integers are cheap to draw, compare and
 * store, and turn into text only when written.
 */

const MS_PER_DAY = 86_400_000;

/** Epoch day of a calendar date (month 1–12). */
export function epochDay(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

/** Calendar date of an epoch day. */
export function civilDate(day: number): { year: number; month: number; day: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** ISO 8601 date text (YYYY-MM-DD) of an epoch day. */
export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Epoch day of an ISO date text (YYYY-MM-DD); NaN when malformed. */
export function parseIsoDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return Number.NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = epochDay(y, mo, d);
  const back = civilDate(day);
  return back.year === y && back.month === mo && back.day === d ? day : Number.NaN;
}

/** Day of week of an epoch day, ISO numbering: Monday = 1 … Sunday = 7. */
export function isoWeekday(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** ISO 8601 week-numbering year and week (1–53) of an epoch day. */
export function isoWeek(day: number): { year: number; week: number } {
  const thursday = day - isoWeekday(day) + 4;
  const { year } = civilDate(thursday);
  const jan1 = epochDay(year, 1, 1);
  return { year, week: Math.floor((thursday - jan1) / 7) + 1 };
}

/** ISO week label such as `2024-W07`. */
export function isoWeekLabel(day: number): string {
  const { year, week } = isoWeek(day);
  return `${year}-W${week < 10 ? '0' : ''}${week}`;
}

/** Epoch day of the Monday of an ISO week. */
export function isoWeekStart(year: number, week: number): number {
  const jan4 = epochDay(year, 1, 4);
  const mondayWeek1 = jan4 - isoWeekday(jan4) + 1;
  return mondayWeek1 + (week - 1) * 7;
}

/** Number of ISO weeks (52 or 53) in an ISO week-numbering year. */
export function isoWeeksInYear(year: number): number {
  return isoWeek(epochDay(year, 12, 28)).week;
}

/** Whole years between a birth date and a later date (age in completed years). */
export function ageInYears(birthDay: number, atDay: number): number {
  const b = civilDate(birthDay);
  const a = civilDate(atDay);
  let age = a.year - b.year;
  if (a.month < b.month || (a.month === b.month && a.day < b.day)) age--;
  return age;
}
