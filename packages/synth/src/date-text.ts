/**
 * Date-to-text conversions for the output formats, memoised per epoch day: the generator writes
 * hundreds of millions of dates over a few tens of thousands of distinct days, so each text is
 * built once.
 */
import { civilDate } from '@hygie/core';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const BASE = -25567; // 1900-01-01
const SPAN = 73415; // to 2100-12-31

function memo(format: (y: number, m: number, d: number) => string): (day: number) => string {
  const cache: (string | undefined)[] = new Array<string | undefined>(SPAN);
  return (day) => {
    const i = day - BASE;
    let s = i >= 0 && i < SPAN ? cache[i] : undefined;
    if (s === undefined) {
      const c = civilDate(day);
      s = format(c.year, c.month, c.day);
      if (i >= 0 && i < SPAN) cache[i] = s;
    }
    return s;
  };
}

const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `YYYY-MM-DD` (Table Schema `date`, FHIR `date`). */
export const isoText = memo((y, m, d) => `${y}-${p2(m)}-${p2(d)}`);
/** `DDMMYYYY` (PMSI dates such as ENT_DAT). */
export const ddmmyyyyText = memo((y, m, d) => `${p2(d)}${p2(m)}${y}`);
/** `DDMonYYYY:00:00:00` (SAS datetime, PMSI EXE_SOI_DTD). */
export const sasDateTimeText = memo((y, m, d) => `${p2(d)}${MONTHS[m - 1] as string}${y}:00:00:00`);
/** `YYYYMM` (SNDS year-month). */
export const yyyymmText = memo((y, m) => `${y}${p2(m)}`);
/** `MM`. */
export const mmText = memo((_y, m) => p2(m));
/** `YYYY`. */
export const yyyyText = memo((y) => String(y));
/** `YYYY-MM-01` of the month after the day's month (SNDS monthly data release, FLX_DIS_DTD). */
export const firstOfNextMonthText = memo((y, m) =>
  m === 12 ? `${y + 1}-01-01` : `${y}-${p2(m + 1)}-01`,
);
