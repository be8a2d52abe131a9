/**
 * Validation of outbreak detection against known outbreaks (issue #7: the ground truth that
 * `hygie synth` writes), as sensitivity, specificity and detection delay.
 *
 * Input: per syndrome × area (département), the consecutive ISO weeks of the series and, for each
 * week, the alarm of the algorithm (`true`/`false`) or `null` when the week was not monitored;
 * and the outbreaks (syndrome, département, ISO weeks). Definitions:
 *
 * - **Evaluated outbreak**: its syndrome × département has a series and every one of its weeks is
 *   monitored. Others are reported as `not-monitored` and left out of sensitivity and delay.
 * - **Detection window** of an outbreak: from its first week to `detectionWeeksAfter` weeks
 *   (default 1) after its last week — an alarm the week after the end still reflects it (the
 *   excess of the last week is seen then by lagged algorithms such as EARS C3 or CUSUM). Weeks
 *   of the window past the series or not monitored count as without alarm.
 * - **Sensitivity** = evaluated outbreaks with at least one alarm in their detection window in
 *   their own syndrome × département / evaluated outbreaks.
 * - **Delay** of a detected outbreak = weeks from its first week to the first alarm of the window
 *   (0 = alarm in the first outbreak week); mean and median over detected outbreaks.
 * - **Specificity** = monitored weeks outside every outbreak without alarm / monitored weeks
 *   outside every outbreak, over all syndrome × département series. "Outside" excludes, for each
 *   outbreak of that syndrome × département (evaluated or not), its weeks and
 *   `exclusionWeeksAfter` weeks (default 2) after its end, where alarms are neither true nor
 *   false positives. An alarm at a non-excluded monitored week is a **false alarm**.
 *   Seasonal epidemic waves are not outbreaks: an alarm they raise counts as a false alarm.
 */
import { HygieError } from '@hygie/core';
import { isoWeekOrdinal } from './iso-weeks.js';

/** One known outbreak. */
export interface ValidationOutbreak {
  readonly id: string;
  /** Syndrome id, as in `SYNDROMES`. */
  readonly syndrome: string;
  /** Département code. */
  readonly dept: string;
  /** ISO weeks of the outbreak (`2019-W26`), consecutive. */
  readonly isoWeeks: readonly string[];
}

/** An algorithm's alarms over one syndrome × area series. */
export interface AlarmSeries {
  readonly syndrome: string;
  readonly area: string;
  /** Consecutive ISO weeks (`2024-W05`), in order. */
  readonly periods: readonly string[];
  /** One per period: the alarm, or null when the week was not monitored. */
  readonly alarms: readonly (boolean | null)[];
}

/** The windows of the definitions (see the module comment). */
export interface ValidationWindows {
  /** Weeks after an outbreak's end still counted as detecting it. Default 1. */
  readonly detectionWeeksAfter?: number;
  /** Weeks after an outbreak's end left out of specificity. Default 2. */
  readonly exclusionWeeksAfter?: number;
}

/** What became of one outbreak. */
export interface OutbreakOutcome {
  readonly id: string;
  readonly syndrome: string;
  readonly dept: string;
  readonly status: 'detected' | 'missed' | 'not-monitored';
  /** First week of the outbreak. */
  readonly startWeek: string;
  /** Week of the first alarm in the detection window, when detected. */
  readonly firstAlarm: string | null;
  /** Weeks from the start to the first alarm, when detected. */
  readonly delay: number | null;
}

/** The validation of one algorithm. */
export interface ValidationMetrics {
  /** Outbreaks given. */
  readonly outbreaks: number;
  readonly outbreaksEvaluated: number;
  readonly outbreaksDetected: number;
  /** Detected / evaluated; null when none evaluated. */
  readonly sensitivity: number | null;
  /** Monitored area-weeks, all series. */
  readonly monitoredWeeks: number;
  /** Monitored area-weeks outside outbreaks and their exclusion margin. */
  readonly nonOutbreakWeeks: number;
  /** Alarms among those. */
  readonly falseAlarms: number;
  /** 1 − falseAlarms / nonOutbreakWeeks; null when there is no such week. */
  readonly specificity: number | null;
  /** False alarms per 100 non-outbreak area-weeks; null when there is no such week. */
  readonly falseAlarmsPer100: number | null;
  /** Mean and median delay (weeks) over detected outbreaks; null when none detected. */
  readonly meanDelay: number | null;
  readonly medianDelay: number | null;
  /** Every outbreak, in input order. */
  readonly outcomes: readonly OutbreakOutcome[];
}

function invalid(message: string, argument: string): never {
  throw new HygieError('HYG_INVALID_ARGUMENT', message, { argument });
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Computes the metrics of the module comment for one algorithm's alarms. */
export function evaluateDetection(
  series: readonly AlarmSeries[],
  outbreaks: readonly ValidationOutbreak[],
  windows: ValidationWindows = {},
): ValidationMetrics {
  const after = windows.detectionWeeksAfter ?? 1;
  const margin = windows.exclusionWeeksAfter ?? 2;
  if (!Number.isInteger(after) || after < 0) invalid('invalid detectionWeeksAfter', 'windows');
  if (!Number.isInteger(margin) || margin < 0) invalid('invalid exclusionWeeksAfter', 'windows');

  const key = (syndrome: string, area: string): string => `${syndrome}\u0000${area}`;
  const bySeries = new Map<string, { s: AlarmSeries; first: number }>();
  for (const s of series) {
    if (s.alarms.length !== s.periods.length) {
      invalid(`${s.syndrome} ${s.area}: one alarm per period expected`, 'series');
    }
    const k = key(s.syndrome, s.area);
    if (bySeries.has(k)) invalid(`${s.syndrome} ${s.area}: series given twice`, 'series');
    const ordinals = s.periods.map(isoWeekOrdinal);
    const first = ordinals[0] ?? 0;
    if (ordinals.some((o, i) => o !== first + i)) {
      invalid(`${s.syndrome} ${s.area}: the periods must be consecutive ISO weeks`, 'series');
    }
    bySeries.set(k, { s, first });
  }

  // Outbreak spans as week ordinals, and the excluded indices of each series.
  const excluded = new Map<string, Set<number>>();
  const outcomes: OutbreakOutcome[] = [];
  for (const o of outbreaks) {
    if (o.isoWeeks.length === 0) invalid(`outbreak ${o.id} has no week`, 'outbreaks');
    const ordinals = o.isoWeeks.map(isoWeekOrdinal);
    const start = Math.min(...ordinals);
    const end = Math.max(...ordinals);
    const startWeek = o.isoWeeks[ordinals.indexOf(start)] as string;
    const entry = bySeries.get(key(o.syndrome, o.dept));
    const base = { id: o.id, syndrome: o.syndrome, dept: o.dept, startWeek };
    if (entry === undefined) {
      outcomes.push({ ...base, status: 'not-monitored', firstAlarm: null, delay: null });
      continue;
    }
    const { s, first } = entry;
    const k = key(o.syndrome, o.dept);
    const set = excluded.get(k) ?? new Set<number>();
    excluded.set(k, set);
    for (let w = start; w <= end + margin; w++) set.add(w - first);
    const monitored = ordinals.every((w) => s.alarms[w - first] != null);
    if (!monitored) {
      outcomes.push({ ...base, status: 'not-monitored', firstAlarm: null, delay: null });
      continue;
    }
    let firstAlarm: number | null = null;
    for (let w = start; w <= end + after && firstAlarm === null; w++) {
      if (s.alarms[w - first] === true) firstAlarm = w;
    }
    outcomes.push(
      firstAlarm === null
        ? { ...base, status: 'missed', firstAlarm: null, delay: null }
        : {
            ...base,
            status: 'detected',
            firstAlarm: s.periods[firstAlarm - first] as string,
            delay: firstAlarm - start,
          },
    );
  }

  let monitoredWeeks = 0;
  let nonOutbreakWeeks = 0;
  let falseAlarms = 0;
  for (const [k, { s }] of bySeries) {
    const skip = excluded.get(k);
    s.alarms.forEach((alarm, i) => {
      if (alarm === null) return;
      monitoredWeeks++;
      if (skip?.has(i)) return;
      nonOutbreakWeeks++;
      if (alarm) falseAlarms++;
    });
  }

  const evaluated = outcomes.filter((o) => o.status !== 'not-monitored');
  const delays = outcomes.flatMap((o) => (o.delay === null ? [] : [o.delay]));
  return {
    outbreaks: outbreaks.length,
    outbreaksEvaluated: evaluated.length,
    outbreaksDetected: delays.length,
    sensitivity: evaluated.length === 0 ? null : delays.length / evaluated.length,
    monitoredWeeks,
    nonOutbreakWeeks,
    falseAlarms,
    specificity: nonOutbreakWeeks === 0 ? null : 1 - falseAlarms / nonOutbreakWeeks,
    falseAlarmsPer100: nonOutbreakWeeks === 0 ? null : (100 * falseAlarms) / nonOutbreakWeeks,
    meanDelay: delays.length === 0 ? null : delays.reduce((a, b) => a + b, 0) / delays.length,
    medianDelay: median(delays),
    outcomes,
  };
}
