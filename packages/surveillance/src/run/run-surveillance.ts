/**
 * One run of national population-health monitoring (issue #7): for every syndrome and every
 * level (nation, régions, départements) the weekly series is computed in the warehouse
 * (`computeIndicatorSeries`, surveillance purpose: only opt-outs that are not
 * surveillance-exempt are excluded) and stored whole, the monthly one too; then every area's
 * latest week is tested by the detection algorithms and each result is kept with its evidence
 * (observed, expected, threshold, p-value, alarm). All-cause deaths (weekly, monthly) and weekly
 * excess mortality are stored too, as the indicators `deaths` and `excess-mortality`, each
 * syndrome's hospital stays (principal diagnosis) as `hospitalisations-<syndrome>`, and deaths by
 * cause (`DEATH_CAUSES`, CépiDc's major groups) by month as `deaths-<cause>` — monthly only: by
 * week and département most causes are a few deaths, and causes are certified with a delay.
 * Every rate is stored crude and age-and-sex-standardised to France 2020 (`STANDARD_POPULATION`), each with
 * its 95 % interval.
 *
 * Detection also looks back: the alarms each algorithm would have raised at each of the
 * `HISTORY_WEEKS` weeks before the latest, prospectively (`detectHistory`), are recorded too —
 * alarms only — so that a series shows its alert markers of the past year.
 *
 * Detection (parameters in `DETECTION`):
 * - **Farrington flexible with the Noufaily (2013) improvements** — R `farringtonFlexible` with
 *   `b = 5` years, `w = 3`, `noPeriods = 10`, `pastWeeksNotIncluded = 26`,
 *   `weightsThreshold = 2.58`, `thresholdMethod = "nbPlugin"`, `alpha = 0.05`, trend kept when
 *   significant, `limit54 = c(5, 4)`. Needs five years and a few weeks of history.
 * - **EARS C1, C2, C3** — R `earsC`, baseline 7 weeks, α = 0.001.
 * - **CUSUM** — R `algo.cusum` (standardised, k = 1.04, h = 2.26), the reference mean taken over
 *   the history before a monitoring window of the last `CUSUM_WINDOW` weeks, which it sums over.
 * A series too short for an algorithm is skipped for that algorithm (no result rather than a
 * result on too little history).
 *
 * **Alarms on sparse series.** EARS (with R's `minSigma = 0`) and the standardised CUSUM assume
 * roughly normal counts: on a département series averaging 0.1 case a week, one case is "many
 * standard deviations" and every quiet week after it keeps the CUSUM above h. So the run applies
 * Farrington's own `limit54` rule to every algorithm — no alarm unless at least 5 cases in the
 * last 4 weeks — and keeps the algorithm's expected value and threshold as computed.
 *
 * **Denominators once.** A series' denominators (every person's observation against every
 * period) are most of its cost and the same for every indicator at one level and unit: the run
 * computes the six of them first into scratch tables (`materialiseDenominator`), which every
 * series reads, and drops them at the end (leftovers of a killed run at the next start).
 *
 * A run is recorded (`hygie_surveillance_run`) with its trigger, and as failed with the error
 * code if anything throws; a failed run leaves the previous series of the indicators it did not
 * reach in place (each series is replaced in its own transaction).
 */
import { HygieError, isHygieError } from '@hygie/core';
import type { WarehouseEngine } from '@hygie/warehouse';
import { cusum, earsC, farringtonFlexible } from '../detection/index.js';
import type { DetectionResult, FarringtonOptions } from '../detection/index.js';
import {
  computeExcessMortality,
  computeIndicatorSeries,
  DEATH_CAUSES,
  deathCauseIndicator,
  dropDenominator,
  materialiseDenominator,
  SYNDROMES,
} from '../indicators/index.js';
import type { Indicator, IndicatorRow } from '../indicators/index.js';
import type {
  AlertRecord,
  Level,
  RunTrigger,
  SeriesValue,
  SurveillanceStore,
  Unit,
} from '../store/surveillance-store.js';
import { LEVELS, UNITS } from '../store/surveillance-store.js';

/** The standard population of every stored standardised rate. */
export const STANDARD_POPULATION = 'france_2020';

/** Weeks the CUSUM sums over (its monitoring window). */
export const CUSUM_WINDOW = 4;

/** The detection algorithms of a run, with R `surveillance`'s names of their options. */
export const DETECTION = {
  farrington: {
    b: 5,
    w: 3,
    noPeriods: 10,
    pastWeeksNotIncluded: 26,
    weightsThreshold: 2.58,
    thresholdMethod: 'nbPlugin',
    alpha: 0.05,
    trend: true,
    limit54: [5, 4],
  },
  ears: { baseline: 7, alpha: 0.001 },
  cusum: { k: 1.04, h: 2.26 },
} as const;

/** What a run computes. */
export interface SurveillanceRunOptions {
  readonly trigger: RunTrigger;
  /** First and last day of the series (`YYYY-MM-DD`); detection tests the last week. */
  readonly period: { readonly from: string; readonly to: string };
  /** Syndrome ids (default: every syndrome of `SYNDROMES`). */
  readonly syndromes?: readonly string[];
  /** Levels (default: nation, régions, départements). */
  readonly levels?: readonly Level[];
  /** Hospitalisations by syndrome, deaths (all causes, by cause) and excess mortality too (default true). */
  readonly mortality?: boolean;
  /** Weeks before the latest whose alarms are recorded (default `HISTORY_WEEKS`; 0: none). */
  readonly historyWeeks?: number;
  /** Called after each series, for progress display. */
  readonly onProgress?: (done: number, total: number, label: string) => void;
}

/** What a run did. */
export interface SurveillanceRunReport {
  readonly runId: string;
  readonly series: number;
  readonly values: number;
  /** Detection results of the latest week. */
  readonly results: number;
  /** Alarms of the latest week. */
  readonly alarms: number;
  /** Alarms of the weeks before (`historyWeeks`). */
  readonly pastAlarms: number;
}

function toValues(level: Level, unit: Unit, rows: readonly IndicatorRow[]): SeriesValue[] {
  return rows.map((r) => ({
    level,
    area: r.area,
    unit,
    period: r.period,
    cases: r.cases,
    population: r.population,
    rate: r.rate,
    rateLower: r.lower,
    rateUpper: r.upper,
    standardisedRate: r.standardisedRate ?? null,
    standardisedLower: r.standardisedLower ?? null,
    standardisedUpper: r.standardisedUpper ?? null,
  }));
}

/** The last result of an algorithm over a series, or null when the series is too short for it. */
function lastResult(run: () => DetectionResult[]): DetectionResult | null {
  try {
    return run().at(-1) ?? null;
  } catch (e) {
    if (isHygieError(e, 'HYG_INVALID_ARGUMENT')) return null;
    throw e;
  }
}

/**
 * The options of `farringtonFlexible` a run uses (`DETECTION.farrington`), monitoring from the
 * 0-based week `start`; `overrides` for validation (another b, limit54 off).
 */
export function farringtonOptions(
  start: number,
  overrides: { readonly b?: number; readonly limit54?: readonly [number, number] } = {},
): FarringtonOptions {
  const f = DETECTION.farrington;
  return {
    b: overrides.b ?? f.b,
    w: f.w,
    noPeriods: f.noPeriods,
    pastWeeksNotIncluded: f.pastWeeksNotIncluded,
    weightsThreshold: f.weightsThreshold,
    thresholdMethod: f.thresholdMethod,
    alpha: f.alpha,
    trend: f.trend,
    limit54: overrides.limit54 ?? [f.limit54[0], f.limit54[1]],
    start,
  };
}

/** Whether the last weeks hold enough cases for an alarm (`limit54`, see the module comment). */
export function enoughCases(counts: readonly number[]): boolean {
  const [cases, weeks] = DETECTION.farrington.limit54;
  return counts.slice(-weeks).reduce((a, b) => a + b, 0) >= cases;
}

/** Tests the latest week of one area's weekly series with every algorithm. */
export function detectLatest(
  counts: readonly number[],
): { algorithm: string; result: DetectionResult }[] {
  const n = counts.length;
  const enough = enoughCases(counts);
  const out: { algorithm: string; result: DetectionResult }[] = [];
  const push = (algorithm: string, r: DetectionResult): void => {
    out.push({ algorithm, result: enough || !r.alarm ? r : { ...r, alarm: false } });
  };
  const farrington = lastResult(() => farringtonFlexible(counts, farringtonOptions(n - 1)));
  if (farrington) push('farrington-flexible', farrington);
  for (const method of ['C1', 'C2', 'C3'] as const) {
    const r = lastResult(() => earsC(counts, { method, ...DETECTION.ears }));
    if (r) push(`ears-${method.toLowerCase()}`, r);
  }
  if (n > CUSUM_WINDOW) {
    const r = lastResult(() => cusum(counts, { start: n - CUSUM_WINDOW, ...DETECTION.cusum }));
    if (r) push('cusum', r);
  }
  return out;
}

/** Weeks before the latest whose alarms a run records (the alarm history of a year). */
export const HISTORY_WEEKS = 52;

/**
 * The alarms the production detection would have raised at each of the `weeks` weeks before the
 * latest, each computed only from the counts up to its week (prospective, as `detectLatest` does
 * at the latest week), with the `limit54` rule: what analysts see as the alert markers of a
 * series. Farrington runs once from the first week (it fits each week on the weeks before it),
 * EARS once, the CUSUM once per week (its window slides). Only alarms are returned.
 */
export function detectHistory(
  counts: readonly number[],
  weeks: number = HISTORY_WEEKS,
): { algorithm: string; result: DetectionResult }[] {
  const n = counts.length;
  const first = Math.max(0, n - 1 - weeks);
  if (weeks <= 0 || n < 2) return [];
  const out: { algorithm: string; result: DetectionResult }[] = [];
  const enough = (t: number): boolean => enoughCases(counts.slice(0, t + 1));
  const keep = (algorithm: string, results: readonly DetectionResult[]): void => {
    for (const r of results) {
      if (r.alarm && r.index >= first && r.index < n - 1 && enough(r.index)) {
        out.push({ algorithm, result: r });
      }
    }
  };
  const history = counts.slice(0, n - 1);
  const f = DETECTION.farrington;
  if (history.length > 52 * f.b + f.w) {
    const start = Math.max(first, 52 * f.b + f.w);
    keep(
      'farrington-flexible',
      safely(() => farringtonFlexible(history, farringtonOptions(start))),
    );
  }
  for (const method of ['C1', 'C2', 'C3'] as const) {
    keep(
      `ears-${method.toLowerCase()}`,
      safely(() =>
        earsC(history, {
          method,
          ...DETECTION.ears,
          start: Math.max(first, DETECTION.ears.baseline + 4),
        }),
      ),
    );
  }
  for (let t = Math.max(first, CUSUM_WINDOW); t < n - 1; t++) {
    const r = safely(() =>
      cusum(counts.slice(0, t + 1), { start: t + 1 - CUSUM_WINDOW, ...DETECTION.cusum }),
    ).at(-1);
    if (r !== undefined) keep('cusum', [{ ...r, index: t }]);
  }
  return out;
}

/** An algorithm's results, or none when the series is too short for it. */
function safely(run: () => DetectionResult[]): DetectionResult[] {
  try {
    return run();
  } catch (e) {
    if (isHygieError(e, 'HYG_INVALID_ARGUMENT')) return [];
    throw e;
  }
}

/** Runs the computation and records it; see the module comment. */
export async function runSurveillance(
  warehouse: WarehouseEngine,
  store: SurveillanceStore,
  options: SurveillanceRunOptions,
): Promise<SurveillanceRunReport> {
  const syndromes = options.syndromes ?? SYNDROMES.map((s) => s.id);
  for (const id of syndromes) {
    if (!SYNDROMES.some((s) => s.id === id)) {
      throw new HygieError('HYG_INVALID_ARGUMENT', `unknown syndrome ${id}`, {
        argument: 'syndromes',
      });
    }
  }
  const levels = options.levels ?? LEVELS;
  const runId = await store.startRun(options.trigger);
  const total = seriesCount(syndromes.length, levels.length, options.mortality !== false);
  let done = 0;
  const tick = (label: string): void => options.onProgress?.(++done, total, label);
  let values = 0;
  let results = 0;
  let alarms = 0;
  let pastAlarms = 0;
  // The denominators of every level and unit, computed once for all the run's series.
  const scratch = `${SCRATCH_PREFIX}${runId.replaceAll('-', '').slice(0, 16)}`;
  const tables = new Map<string, string>();
  const series: SeriesFn = (indicator, level, unit) =>
    computeIndicatorSeries(warehouse, {
      indicator,
      period: options.period,
      unit,
      level,
      purpose: 'surveillance',
      standardise: STANDARD_POPULATION,
      ...(tables.has(`${level}_${unit}`)
        ? { denominatorTable: tables.get(`${level}_${unit}`) }
        : {}),
    });
  try {
    await dropLeftovers(warehouse);
    for (const level of levels) {
      for (const unit of UNITS) {
        const table = `${scratch}_${level}_${unit}`;
        await dropDenominator(warehouse, table);
        await materialiseDenominator(
          warehouse,
          { period: options.period, unit, level, purpose: 'surveillance' },
          table,
        );
        tables.set(`${level}_${unit}`, table);
      }
    }
    for (const syndrome of syndromes) {
      const weekly: SeriesValue[] = [];
      const monthly: SeriesValue[] = [];
      const alerts: AlertRecord[] = [];
      const past: AlertRecord[] = [];
      for (const level of levels) {
        for (const unit of ['isoweek', 'month'] as const) {
          const rows = await series({ kind: 'syndrome', syndrome }, level, unit);
          (unit === 'isoweek' ? weekly : monthly).push(...toValues(level, unit, rows));
          tick(`${syndrome} ${level} ${unit}`);
          if (unit !== 'isoweek') continue;
          // Rows come zero-filled, one per area × week: each area's counts in week order.
          const byArea = new Map<string, IndicatorRow[]>();
          for (const r of rows) byArea.set(r.area, [...(byArea.get(r.area) ?? []), r]);
          for (const [area, series] of byArea) {
            series.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
            const last = series.at(-1);
            if (last === undefined) continue;
            const counts = series.map((r) => r.cases);
            for (const { algorithm, result } of detectHistory(counts, options.historyWeeks)) {
              past.push({
                indicator: syndrome,
                level,
                area,
                period: series[result.index]?.period ?? last.period,
                algorithm,
                observed: result.observed,
                expected: result.expected,
                threshold: result.threshold,
                pValue: result.pValue ?? null,
                alarm: true,
              });
            }
            for (const { algorithm, result } of detectLatest(counts)) {
              alerts.push({
                indicator: syndrome,
                level,
                area,
                period: last.period,
                algorithm,
                observed: result.observed,
                expected: result.expected,
                threshold: result.threshold,
                pValue: result.pValue ?? null,
                alarm: result.alarm,
              });
            }
          }
        }
      }
      await store.replaceSeries(runId, syndrome, [...weekly, ...monthly]);
      await store.recordAlerts(runId, [...past, ...alerts]);
      values += weekly.length + monthly.length;
      results += alerts.length;
      alarms += alerts.filter((a) => a.alarm).length;
      pastAlarms += past.length;
    }
    if (options.mortality !== false) {
      for (const syndrome of syndromes) {
        values += await hospitalisations(series, store, runId, syndrome, levels, tick);
      }
      values += await mortality(warehouse, series, store, runId, options, levels, tick);
    }
  } catch (e) {
    await store
      .finishRun(runId, { error: isHygieError(e) ? e.code : 'HYG_INTERNAL' })
      .catch(() => undefined);
    throw e;
  } finally {
    for (const table of tables.values()) {
      await dropDenominator(warehouse, table).catch(() => undefined);
    }
  }
  await store.finishRun(runId);
  return {
    runId,
    series: total,
    values,
    results,
    alarms,
    pastAlarms,
  };
}

/** Scratch denominator tables of runs, named `hygie_scratch_den_<run>_<level>_<unit>`. */
const SCRATCH_PREFIX = 'hygie_scratch_den_';

/**
 * Drops the scratch tables a run killed before its end left behind (one run at a time: none
 * belongs to a run in progress).
 */
async function dropLeftovers(warehouse: WarehouseEngine): Promise<void> {
  const rows = await warehouse.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_name LIKE '${SCRATCH_PREFIX}%'`,
  );
  for (const r of rows) await dropDenominator(warehouse, r.t);
}

/** Computes one series of the run (its period, purpose, standard population, denominators). */
type SeriesFn = (indicator: Indicator, level: Level, unit: Unit) => Promise<IndicatorRow[]>;

/** The number of series a run stores. */
function seriesCount(syndromes: number, levels: number, mortality: boolean): number {
  // Per level: 2 units of each syndrome's episodes; with mortality, 2 of each syndrome's stays,
  // 2 of deaths, 1 of excess mortality and 1 (month) of each cause of death.
  return levels * (2 * syndromes + (mortality ? 2 * syndromes + 3 + DEATH_CAUSES.length : 0));
}

/** The indicator id of a syndrome's hospitalisation series. */
export function hospitalisationIndicator(syndrome: string): string {
  return `hospitalisations-${syndrome}`;
}

/**
 * Hospital stays whose principal diagnosis is in the syndrome's concept set, by week and month
 * for every level, stored as `hospitalisations-<syndrome>`. Returns the number of values.
 */
async function hospitalisations(
  series: SeriesFn,
  store: SurveillanceStore,
  runId: string,
  syndrome: string,
  levels: readonly Level[],
  tick: (label: string) => void,
): Promise<number> {
  const definition = SYNDROMES.find((s) => s.id === syndrome);
  if (definition === undefined) return 0;
  const values: SeriesValue[] = [];
  for (const level of levels) {
    for (const unit of ['isoweek', 'month'] as const) {
      const rows = await series(
        {
          kind: 'hospitalisations',
          cause: { label: definition.label, diagnoses: definition.diagnoses },
        },
        level,
        unit,
      );
      values.push(...toValues(level, unit, rows));
      tick(`${hospitalisationIndicator(syndrome)} ${level} ${unit}`);
    }
  }
  await store.replaceSeries(runId, hospitalisationIndicator(syndrome), values);
  return values.length;
}

/**
 * All-cause deaths by week and month, and weekly excess mortality (observed against the same
 * ISO weeks of the five previous years, `computeExcessMortality`), for every level; stored as
 * the indicators `deaths` and `excess-mortality`. Returns the number of values stored.
 */
async function mortality(
  warehouse: WarehouseEngine,
  series: SeriesFn,
  store: SurveillanceStore,
  runId: string,
  options: SurveillanceRunOptions,
  levels: readonly Level[],
  tick: (label: string) => void,
): Promise<number> {
  const deaths: SeriesValue[] = [];
  const excess: SeriesValue[] = [];
  for (const level of levels) {
    for (const unit of ['isoweek', 'month'] as const) {
      const rows = await series({ kind: 'deaths' }, level, unit);
      deaths.push(...toValues(level, unit, rows));
      tick(`deaths ${level} ${unit}`);
    }
    const rows = await computeExcessMortality(warehouse, {
      period: options.period,
      level,
      purpose: 'surveillance',
    });
    tick(`excess-mortality ${level}`);
    for (const r of rows) {
      excess.push({
        level,
        area: r.area,
        unit: 'isoweek',
        period: r.period,
        cases: r.observed,
        population: r.population,
        rate: null,
        rateLower: null,
        rateUpper: null,
        standardisedRate: null,
        expected: r.expected,
        excess: r.excess,
        excessLower: r.lower,
        excessUpper: r.upper,
      });
    }
  }
  await store.replaceSeries(runId, 'deaths', deaths);
  await store.replaceSeries(runId, 'excess-mortality', excess);
  let byCause = 0;
  for (const cause of DEATH_CAUSES) {
    const values: SeriesValue[] = [];
    for (const level of levels) {
      const rows = await series({ kind: 'deaths', cause }, level, 'month');
      values.push(...toValues(level, 'month', rows));
      tick(`${deathCauseIndicator(cause.id)} ${level} month`);
    }
    await store.replaceSeries(runId, deathCauseIndicator(cause.id), values);
    byCause += values.length;
  }
  return deaths.length + excess.length + byCause;
}
