/**
 * Prospective detection over a whole weekly series, for validation (issue #7): the alarm of
 * every monitored week t is the one the production run (`detectLatest`, parameters `DETECTION`)
 * would have raised had it run at week t, i.e. computed only from the counts up to t.
 *
 * - **Farrington flexible** (Noufaily): one call with `start` at the first monitored index; R's
 *   algorithm fits each week k on the reference weeks before it, so every result is prospective.
 *   The number of years back `b` is an option (production: 5), since Farrington needs
 *   `52·b + w` weeks of history before its first monitored week.
 * - **EARS C1/C2/C3**: one call; each week's baseline is the 7 weeks before it (C2/C3: with a
 *   2-week guard band).
 * - **CUSUM**: the production run sums over the last `CUSUM_WINDOW` (4) weeks with the reference
 *   mean taken over all the history before that window, so at each t it is re-run as
 *   `cusum(counts[0..t], { start: t + 1 − 4 })` and its last result kept (a rolling window, not
 *   one CUSUM accumulating from the first monitored week). First monitorable t: 4.
 *
 * Alarms are returned **raw** (without the `limit54` rule, Farrington run with `limit54 = [0, 4]`,
 * which disables it); {@link withLimit54} applies the production rule (at least 5 cases in the
 * last 4 weeks, counting week t) to any algorithm — for Farrington that is exactly its own rule.
 */
import { HygieError } from '@hygie/core';
import { cusum, earsC, farringtonFlexible } from '../detection/index.js';
import { CUSUM_WINDOW, DETECTION, farringtonOptions } from '../run/run-surveillance.js';

/** The algorithms validated, named as the production run names them. */
export type ValidationAlgorithm =
  'farrington-flexible' | 'ears-c1' | 'ears-c2' | 'ears-c3' | 'cusum';

/** Every {@link ValidationAlgorithm}, in report order. */
export const VALIDATION_ALGORITHMS: readonly ValidationAlgorithm[] = [
  'farrington-flexible',
  'ears-c1',
  'ears-c2',
  'ears-c3',
  'cusum',
];

/** Options of prospective detection; everything else is the production `DETECTION`. */
export interface ProspectiveOptions {
  /** Farrington's years back (default `DETECTION.farrington.b`, 5). */
  readonly farringtonB?: number;
  /** CUSUM's window in weeks (default `CUSUM_WINDOW`, 4). */
  readonly cusumWindow?: number;
  /**
   * 0-based first index to monitor (default: the algorithm's first monitorable index); an index
   * before that first monitorable one is moved up to it.
   */
  readonly start?: number;
}

/** The first 0-based index an algorithm can monitor (it needs that much history before it). */
export function firstMonitorable(
  algorithm: ValidationAlgorithm,
  options: ProspectiveOptions = {},
): number {
  switch (algorithm) {
    case 'farrington-flexible':
      return 52 * (options.farringtonB ?? DETECTION.farrington.b) + DETECTION.farrington.w;
    case 'ears-c1':
      return DETECTION.ears.baseline;
    case 'ears-c2':
      return DETECTION.ears.baseline + 2;
    case 'ears-c3':
      return DETECTION.ears.baseline + 4;
    case 'cusum':
      return options.cusumWindow ?? CUSUM_WINDOW;
    default:
      throw new HygieError('HYG_INVALID_ARGUMENT', `unknown algorithm ${String(algorithm)}`, {
        argument: 'algorithm',
      });
  }
}

/**
 * The raw prospective alarm of every week of `counts` (see the module comment): `null` for a week
 * not monitored (before the start, or the whole series when it is too short).
 */
export function prospectiveAlarms(
  counts: readonly number[],
  algorithm: ValidationAlgorithm,
  options: ProspectiveOptions = {},
): (boolean | null)[] {
  const start = Math.max(firstMonitorable(algorithm, options), options.start ?? 0);
  const alarms: (boolean | null)[] = counts.map(() => null);
  if (counts.length <= start) return alarms;
  if (algorithm === 'cusum') {
    const window = options.cusumWindow ?? CUSUM_WINDOW;
    for (let t = start; t < counts.length; t++) {
      const last = cusum(counts.slice(0, t + 1), { start: t + 1 - window, ...DETECTION.cusum }).at(
        -1,
      );
      alarms[t] = last?.alarm ?? null;
    }
    return alarms;
  }
  let results;
  if (algorithm === 'farrington-flexible') {
    // Raw alarms: limit54 off here, applied by `withLimit54`.
    results = farringtonFlexible(
      counts,
      farringtonOptions(start, {
        ...(options.farringtonB !== undefined ? { b: options.farringtonB } : {}),
        limit54: [0, DETECTION.farrington.limit54[1]],
      }),
    );
  } else {
    const method = algorithm === 'ears-c1' ? 'C1' : algorithm === 'ears-c2' ? 'C2' : 'C3';
    results = earsC(counts, { method, ...DETECTION.ears, start });
  }
  for (const r of results) alarms[r.index] = r.alarm;
  return alarms;
}

/**
 * The alarms with the production `limit54` rule applied: an alarm at week t stays only if the
 * weeks t − weeks + 1 … t hold at least `cases` cases (default `DETECTION.farrington.limit54`).
 */
export function withLimit54(
  counts: readonly number[],
  alarms: readonly (boolean | null)[],
  limit: readonly [number, number] = DETECTION.farrington.limit54,
): (boolean | null)[] {
  const [cases, weeks] = limit;
  return alarms.map((alarm, t) => {
    if (alarm !== true) return alarm;
    let recent = 0;
    for (let i = Math.max(0, t - weeks + 1); i <= t; i++) recent += counts[i] ?? 0;
    return recent >= cases;
  });
}
