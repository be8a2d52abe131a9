/**
 * CUSUM for Poisson counts as `algo.cusum` of the R package `surveillance` (1.20) with its default
 * transformation `trans = "standard"` (Rossi, Lampugnani & Marchi 1999 give the variants; this is
 * the plain Pearson standardisation) and `m = NULL`.
 */
import { checkNumber, checkSeries, type DetectionResult } from './types.js';

/** Options of {@link cusum}; the defaults are those of R's `algo.cusum`. */
export interface CusumOptions {
  /**
   * 0-based first monitored time point (R: `range[1] − 1`). The reference value m is the mean of
   * all points before it (R: `m = NULL`), so it must be ≥ 1.
   */
  readonly start: number;
  /** Reference value (allowance) k of the standardised CUSUM. Default 1.04. */
  readonly k?: number;
  /** Decision boundary h. Default 2.26. */
  readonly h?: number;
}

/**
 * Standardised Poisson CUSUM: with m = mean(y₀…y_{start−1}), xₜ = (yₜ − m)/√m,
 * S₀ = 0, Sₜ = max(0, Sₜ₋₁ + xₜ − k), alarm when Sₜ ≥ h (R's `>=`). The threshold is R's
 * `upperbound` = ⌈√m·(h + k − Sₜ₋₁) + m⌉, the smallest count that would have alarmed, floored at
 * 0 (NA → 0 as R does). `expected` is m and `statistic` is Sₜ. Note the alarm is decided on Sₜ
 * (as R does), not on yₜ > threshold.
 */
export function cusum(series: readonly number[], options: CusumOptions): DetectionResult[] {
  const k = options.k ?? 1.04;
  const h = options.h ?? 2.26;
  checkNumber(options.start, 'start', (v) => Number.isInteger(v) && v >= 1);
  checkNumber(k, 'k', Number.isFinite);
  checkNumber(h, 'h', Number.isFinite);
  checkSeries(series, options.start + 1, 'cusum');
  let sum = 0;
  for (let i = 0; i < options.start; i++) sum += series[i] as number;
  const m = sum / options.start;
  const sqrtM = Math.sqrt(m);
  const out: DetectionResult[] = [];
  let previous = 0;
  for (let t = options.start; t < series.length; t++) {
    const observed = series[t] as number;
    // R: max(0, cusum[t] + (standObs[t] - k)); R's max propagates NaN (m = 0 gives 0/0).
    const step = previous + ((observed - m) / sqrtM - k);
    const s = Number.isNaN(step) ? NaN : Math.max(0, step);
    let threshold = Math.ceil(sqrtM * (h + k - previous) + m);
    if (Number.isNaN(threshold) || threshold < 0) threshold = 0;
    out.push({ index: t, observed, expected: m, threshold, alarm: s >= h, statistic: s });
    previous = s;
  }
  return out;
}
