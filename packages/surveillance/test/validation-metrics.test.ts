import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHygieError } from '@hygie/core';
import {
  evaluateDetection,
  groundTruthOutbreaks,
  isoWeekLabel,
  isoWeekOrdinal,
  type AlarmSeries,
  type ValidationOutbreak,
} from '../src/validation/index.js';

const weeks = (from: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => isoWeekLabel(isoWeekOrdinal(from) + i));

/** 2024-W01…W12, W01–W02 not monitored, alarms at the given week numbers. */
function series(syndrome: string, area: string, alarmWeeks: number[]): AlarmSeries {
  return {
    syndrome,
    area,
    periods: weeks('2024-W01', 12),
    alarms: Array.from({ length: 12 }, (_, i) => (i < 2 ? null : alarmWeeks.includes(i + 1))),
  };
}

const outbreak = (id: string, syndrome: string, dept: string, w: number[]): ValidationOutbreak => ({
  id,
  syndrome,
  dept,
  isoWeeks: w.map((n) => `2024-W${String(n).padStart(2, '0')}`),
});

// Dept 01: outbreak o1 W05–W06, alarms W04 (false), W06 (detects o1, delay 1), W08 (in o1's
// 2-week exclusion margin: not counted), W10 (false). Dept 02: o2 W07–W09 detected by the alarm
// at W10 (1 week after the end, delay 3); o4 W11–W12 missed. o3 (dept 03) and o5 (influenza)
// have no series: not monitored.
const SERIES = [series('gastro', '01', [4, 6, 8, 10]), series('gastro', '02', [10])];
const OUTBREAKS = [
  outbreak('o1', 'gastro', '01', [5, 6]),
  outbreak('o2', 'gastro', '02', [7, 8, 9]),
  outbreak('o3', 'gastro', '03', [5]),
  outbreak('o4', 'gastro', '02', [11, 12]),
  outbreak('o5', 'influenza', '01', [5]),
];

test('ISO week ordinals are consecutive across 53-week years', () => {
  assert.equal(isoWeekOrdinal('2021-W01') - isoWeekOrdinal('2020-W53'), 1);
  assert.equal(isoWeekOrdinal('2020-W01') - isoWeekOrdinal('2019-W52'), 1);
  assert.equal(isoWeekLabel(isoWeekOrdinal('2024-W05')), '2024-W05');
  for (const bad of ['2021-W53', '2024-W00', '2024-05', 'x']) {
    assert.throws(
      () => isoWeekOrdinal(bad),
      (e: unknown) => isHygieError(e, 'HYG_INVALID_ARGUMENT'),
    );
  }
});

test('evaluateDetection: sensitivity, specificity and delay of a hand-worked case', () => {
  const m = evaluateDetection(SERIES, OUTBREAKS);
  // Evaluated: o1, o2, o4 (o3, o5 have no series); detected o1 (delay 1), o2 (delay 3).
  assert.equal(m.outbreaks, 5);
  assert.equal(m.outbreaksEvaluated, 3);
  assert.equal(m.outbreaksDetected, 2);
  assert.equal(m.sensitivity, 2 / 3);
  assert.equal(m.meanDelay, 2);
  assert.equal(m.medianDelay, 2);
  // Monitored W03–W12 in 2 series = 20. Dept 01 excludes W05–W08 → 6 weeks, 2 false alarms
  // (W04, W10); dept 02 excludes W07–W11 and W11–W12(+2) → W03–W06, 4 weeks, none.
  assert.equal(m.monitoredWeeks, 20);
  assert.equal(m.nonOutbreakWeeks, 10);
  assert.equal(m.falseAlarms, 2);
  assert.equal(m.specificity, 0.8);
  assert.equal(m.falseAlarmsPer100, 20);
  assert.deepEqual(
    m.outcomes.map((o) => [o.id, o.status, o.firstAlarm, o.delay]),
    [
      ['o1', 'detected', '2024-W06', 1],
      ['o2', 'detected', '2024-W10', 3],
      ['o3', 'not-monitored', null, null],
      ['o4', 'missed', null, null],
      ['o5', 'not-monitored', null, null],
    ],
  );
});

test('evaluateDetection: the detection and exclusion windows', () => {
  // No week after the end: o2's alarm at W10 no longer detects it.
  const strict = evaluateDetection(SERIES, OUTBREAKS, { detectionWeeksAfter: 0 });
  assert.equal(strict.outbreaksDetected, 1);
  assert.equal(strict.sensitivity, 1 / 3);
  assert.equal(strict.meanDelay, 1);
  assert.equal(strict.medianDelay, 1);
  // No margin: dept 01 keeps W03–W04, W07–W12 (8 weeks, alarms W04, W08, W10); dept 02 keeps
  // W03–W06 and W10 (5 weeks, alarm W10) → 4 false alarms in 13 weeks.
  const noMargin = evaluateDetection(SERIES, OUTBREAKS, { exclusionWeeksAfter: 0 });
  assert.equal(noMargin.nonOutbreakWeeks, 13);
  assert.equal(noMargin.falseAlarms, 4);
  assert.equal(noMargin.specificity, 9 / 13);
});

test('evaluateDetection: an outbreak partly before the monitored range is not evaluated', () => {
  const m = evaluateDetection(SERIES, [outbreak('early', 'gastro', '01', [2, 3])]);
  assert.equal(m.outbreaksEvaluated, 0);
  assert.equal(m.sensitivity, null);
  assert.equal(m.meanDelay, null);
  // Its weeks and margin (W02–W05) are still excluded: dept 01 keeps W06–W12 (alarms W06, W08,
  // W10), dept 02 W03–W12 (W10).
  assert.equal(m.nonOutbreakWeeks, 17);
  assert.equal(m.falseAlarms, 4);
});

test('evaluateDetection: weeks across a 53-week year and an odd median', () => {
  const periods = weeks('2020-W51', 6); // 2020-W51, W52, W53, 2021-W01, W02, W03
  const s = (area: string, alarmAt: number): AlarmSeries => ({
    syndrome: 'covid19',
    area,
    periods,
    alarms: periods.map((_, i) => i === alarmAt),
  });
  const m = evaluateDetection(
    [s('75', 3), s('92', 2), s('93', 3)],
    [
      { id: 'a', syndrome: 'covid19', dept: '75', isoWeeks: ['2020-W53', '2021-W01'] },
      { id: 'b', syndrome: 'covid19', dept: '92', isoWeeks: ['2020-W53'] },
      { id: 'c', syndrome: 'covid19', dept: '93', isoWeeks: ['2020-W52', '2020-W53'] },
    ],
  );
  assert.deepEqual(
    m.outcomes.map((o) => o.delay),
    [1, 0, 2],
  );
  assert.equal(m.medianDelay, 1);
  assert.equal(m.meanDelay, 1);
  // Non-outbreak weeks: 75 W51, W52 · 92 W51, W52, 2021-W03 · 93 W51, 2021-W03 → 7, no alarm.
  assert.equal(m.nonOutbreakWeeks, 7);
  assert.equal(m.specificity, 1);
});

test('evaluateDetection refuses inconsistent series', () => {
  const invalid = (e: unknown): boolean => isHygieError(e, 'HYG_INVALID_ARGUMENT');
  const s = series('gastro', '01', []);
  assert.throws(() => evaluateDetection([s, s], []), invalid);
  assert.throws(() => evaluateDetection([{ ...s, alarms: s.alarms.slice(1) }], []), invalid);
  const gap = { ...s, periods: [...s.periods.slice(0, 11), '2024-W20'] };
  assert.throws(() => evaluateDetection([gap], []), invalid);
});

test('groundTruthOutbreaks reads hygie synth ground truth', () => {
  const json = {
    outbreaks: [
      {
        id: 'outbreak-01',
        syndrome: 'gastroenteritis',
        dept: '78',
        region: '11',
        isoWeeks: ['2019-W26', '2019-W27'],
        startDate: '2019-06-24',
        endDate: '2019-07-07',
        excessCases: 148,
      },
    ],
    epidemicWaves: [{ syndrome: 'influenza', peakIsoWeek: '2019-W04' }],
  };
  assert.deepEqual(groundTruthOutbreaks(json), [
    {
      id: 'outbreak-01',
      syndrome: 'gastroenteritis',
      dept: '78',
      isoWeeks: ['2019-W26', '2019-W27'],
      region: '11',
      excessCases: 148,
    },
  ]);
  const invalid = (e: unknown): boolean => isHygieError(e, 'HYG_INVALID_ARGUMENT');
  assert.throws(() => groundTruthOutbreaks({}), invalid);
  const unknown = { outbreaks: [{ ...json.outbreaks[0], syndrome: 'plague' }] };
  assert.throws(() => groundTruthOutbreaks(unknown), invalid);
});
