/**
 * EARS C1, C2 and C3 (Hutwagner et al. 2003, "The bioterrorism preparedness and response Early
 * Aberration Reporting System (EARS)", J Urban Health 80:i89–i96), exactly as `earsC` of the R
 * package `surveillance` (1.20) computes them.
 */
import { HygieError } from '@hygie/core';
import { qnorm } from './distributions.js';
import { checkNumber, checkSeries, meanSd, naToNull, type DetectionResult } from './types.js';

/** The EARS variant: C1 (no lag), C2 (2-week lag), C3 (sum over 3 C2 statistics). */
export type EarsMethod = 'C1' | 'C2' | 'C3';

/** Options of {@link earsC}; the defaults are those of R's `earsC`. */
export interface EarsOptions {
  /** Variant. Default `'C1'`. */
  readonly method?: EarsMethod;
  /** Number of reference time points (R: `baseline`, ≥ 3). Default 7. */
  readonly baseline?: number;
  /** Floor on the baseline standard deviation (R: `minSigma`, ≥ 0). Default 0. */
  readonly minSigma?: number;
  /**
   * One-sided level; the threshold uses the normal quantile z = Φ⁻¹(1 − α). Default as R when
   * `alpha` is not given: 0.001 for C1 and C2, **0.025 for C3**.
   */
  readonly alpha?: number;
  /** 0-based first time point to monitor; default R's: baseline (C1), baseline + 2 (C2), baseline + 4 (C3). */
  readonly start?: number;
}

/**
 * EARS C1/C2/C3 over a count series. For each monitored time t (from `start` to the end):
 * - C1: baseline = the `baseline` points t−7…t−1; threshold = ȳ + z·max(s, minSigma).
 * - C2: the same baseline shifted by a 2-point guard band, t−9…t−3.
 * - C3: with C2ᵢ = (yᵢ − ȳᵢ)/max(sᵢ, minSigma), R's threshold is
 *   y_t + max(s_t, minSigma)·(z − max(0, C2_{t−2} − 1) − max(0, C2_{t−1} − 1)), floored at 0, so the
 *   alarm (y_t > threshold) fires when the two lagged terms exceed z (Hutwagner's C3 is the sum of
 *   the three terms; `statistic` reports that sum).
 * `expected` is the baseline mean ȳ_t; the alarm is y_t > threshold, NA (false here) when R's is.
 */
export function earsC(series: readonly number[], options: EarsOptions = {}): DetectionResult[] {
  const method = options.method ?? 'C1';
  if (method !== 'C1' && method !== 'C2' && method !== 'C3') {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'invalid option method', { option: 'method' });
  }
  const baseline = options.baseline ?? 7;
  const minSigma = options.minSigma ?? 0;
  const alpha = options.alpha ?? (method === 'C3' ? 0.025 : 0.001);
  checkNumber(baseline, 'baseline', (v) => Number.isInteger(v) && v >= 3);
  checkNumber(minSigma, 'minSigma', (v) => v >= 0 && Number.isFinite(v));
  checkNumber(alpha, 'alpha', (v) => v > 0 && v < 1);
  const maxLag = baseline + (method === 'C1' ? 0 : method === 'C2' ? 2 : 4);
  const start = options.start ?? maxLag;
  checkNumber(start, 'start', (v) => Number.isInteger(v) && v >= maxLag);
  checkSeries(series, start + 1, 'earsC');
  const z = qnorm(1 - alpha);
  const guard = method === 'C1' ? 0 : 2;
  // Baseline of time t: the `baseline` points ending `guard` points before t.
  const stats = (t: number): { mean: number; sigma: number; c: number } => {
    const { mean, sd } = meanSd(series, t - guard - baseline, t - guard);
    const sigma = Math.max(sd, minSigma);
    return { mean, sigma, c: ((series[t] as number) - mean) / sigma };
  };
  const out: DetectionResult[] = [];
  for (let t = start; t < series.length; t++) {
    const observed = series[t] as number;
    const now = stats(t);
    let threshold: number;
    let statistic: number;
    if (method === 'C3') {
      const lag2 = Math.max(0, stats(t - 2).c - 1);
      const lag1 = Math.max(0, stats(t - 1).c - 1);
      // R: pmax(0, observed + sd·(zAlpha − (lag2 + lag1))); pmax keeps NaN (NA) as NA.
      const raw = observed + now.sigma * (z - (lag2 + lag1));
      threshold = Number.isNaN(raw) ? NaN : Math.max(0, raw);
      statistic = lag2 + lag1 + Math.max(0, now.c - 1);
    } else {
      threshold = now.mean + z * now.sigma;
      statistic = now.c;
    }
    out.push({
      index: t,
      observed,
      expected: now.mean,
      threshold: naToNull(threshold),
      alarm: observed > threshold,
      statistic,
    });
  }
  return out;
}
