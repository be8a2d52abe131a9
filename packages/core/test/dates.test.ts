import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ageInYears,
  civilDate,
  epochDay,
  isoDate,
  isoWeek,
  isoWeekLabel,
  isoWeekStart,
  isoWeekday,
  isoWeeksInYear,
  parseIsoDate,
} from '../src/index.js';

test('epoch days round-trip through civil dates', () => {
  assert.equal(epochDay(1970, 1, 1), 0);
  assert.equal(isoDate(epochDay(2024, 2, 29)), '2024-02-29');
  for (let d = -30000; d < 30000; d += 97)
    assert.equal(epochDay(civilDate(d).year, civilDate(d).month, civilDate(d).day), d);
  assert.ok(Number.isNaN(parseIsoDate('2023-02-29')));
  assert.equal(parseIsoDate('2023-03-01'), epochDay(2023, 3, 1));
});

test('ISO weeks match known calendar facts', () => {
  assert.equal(isoWeekday(epochDay(2024, 1, 1)), 1); // a Monday
  assert.deepEqual(isoWeek(epochDay(2021, 1, 3)), { year: 2020, week: 53 });
  assert.deepEqual(isoWeek(epochDay(2019, 12, 30)), { year: 2020, week: 1 });
  assert.equal(isoWeekLabel(epochDay(2024, 2, 14)), '2024-W07');
  assert.equal(isoWeeksInYear(2020), 53);
  assert.equal(isoWeeksInYear(2021), 52);
  assert.equal(isoWeekStart(2020, 53), epochDay(2020, 12, 28));
  for (let d = epochDay(2015, 1, 1); d < epochDay(2026, 1, 1); d++) {
    const w = isoWeek(d);
    const start = isoWeekStart(w.year, w.week);
    assert.ok(d >= start && d < start + 7);
  }
});

test('ageInYears counts completed years', () => {
  assert.equal(ageInYears(epochDay(2000, 3, 15), epochDay(2020, 3, 14)), 19);
  assert.equal(ageInYears(epochDay(2000, 3, 15), epochDay(2020, 3, 15)), 20);
});
