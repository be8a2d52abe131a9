/**
 * The calendar labels the compiler writes into its bucket lists (`calendarLabel`, TypeScript)
 * must be those the engine's `periodLabel` gives index dates: otherwise a cohort's index-date
 * strata and a rate's bucket strata would not line up. Checked on every engine over dates around
 * year boundaries (ISO weeks 52/53/01) and month starts.
 */
import assert from 'node:assert/strict';
import { DATE_UNITS } from '@hygie/warehouse';
import type { WarehouseSession } from '@hygie/warehouse';
import { epochDay, isoDate } from '@hygie/core';
import { calendarLabel } from '../../src/calendar-buckets.js';

function sampleDays(): number[] {
  const days: number[] = [];
  for (const year of [2015, 2016, 2019, 2020, 2021, 2026]) {
    for (let d = epochDay(year, 12, 20); d <= epochDay(year + 1, 1, 12); d++) days.push(d);
    for (let m = 1; m <= 12; m++) days.push(epochDay(year, m, 1), epochDay(year, m, 1) - 1);
  }
  return [...new Set(days)].sort((a, b) => a - b);
}

/** Asserts that the engine labels every sample date as `calendarLabel` does. */
export async function checkCalendarLabels(session: WarehouseSession): Promise<void> {
  const days = sampleDays();
  const values = days.map((d) => `(DATE '${isoDate(d)}')`).join(', ');
  const columns = DATE_UNITS.map((u) => `${session.dialect.periodLabel(u, 't.d')} AS ${u}`);
  const rows = await session.query<Record<string, string>>(
    `SELECT t.d, ${columns.join(', ')} FROM (VALUES ${values}) AS t(d) ORDER BY t.d`,
  );
  assert.equal(rows.length, days.length);
  rows.forEach((row, i) => {
    const day = days[i]!;
    for (const unit of DATE_UNITS) {
      assert.equal(row[unit], calendarLabel(unit, day), `${unit} of ${isoDate(day)}`);
    }
  });
}
