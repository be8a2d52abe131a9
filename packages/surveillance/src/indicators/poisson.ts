/**
 * Confidence intervals for counts and rates, computed exactly rather than by normal
 * approximation:
 *
 * - **Garwood's exact Poisson interval** for a count x: [χ²(α/2; 2x)/2, χ²(1−α/2; 2x+2)/2], which
 *   is the gamma quantile [G⁻¹(α/2; x), G⁻¹(1−α/2; x+1)] (shape x, scale 1), the lower bound 0
 *   for x = 0. The gamma quantile is computed here (regularised incomplete gamma by series and
 *   continued fraction, inverted by bisection to 1e-12 relative), not approximated (Byar's
 *   approximation is off by up to 1 % for small counts).
 * - **Fay & Feuer (1997)** for a directly standardised rate y = Σ wₖ xₖ/nₖ with variance
 *   v = Σ wₖ² xₖ/nₖ² and wₘ = maxₖ wₖ/nₖ: lower = v/y · G⁻¹(α/2; y²/v),
 *   upper = (v + wₘ²)/(y + wₘ) · G⁻¹(1−α/2; (y + wₘ)²/(v + wₘ²)); it reduces to Garwood's
 *   interval when there is one stratum, and is the method of the R `epitools::ageadjust.direct`.
 */
import { HygieError } from '@hygie/core';

const EPS = 1e-15;

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), relative error below 1e-15.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] ?? 0;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] ?? 0) / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised lower incomplete gamma function P(a, x), a > 0, x ≥ 0. */
export function gammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0))
    throw new HygieError('HYG_INVALID_ARGUMENT', 'gammaP needs a > 0, x ≥ 0');
  if (x === 0) return 0;
  const lead = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    // Series.
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return Math.min(1, sum * Math.exp(lead));
  }
  // Continued fraction for Q (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.max(0, 1 - Math.exp(lead) * h);
}

/** The quantile p of the gamma distribution of shape `shape` and scale 1 (0 when shape is 0). */
export function gammaQuantile(p: number, shape: number): number {
  if (!(p > 0 && p < 1) || !(shape >= 0)) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'gammaQuantile needs 0 < p < 1 and shape ≥ 0');
  }
  if (shape === 0) return 0;
  let lo = 0;
  let hi = Math.max(1, shape);
  while (gammaP(shape, hi) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (gammaP(shape, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** An interval. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** Garwood's exact Poisson interval of a count (95 % by default). */
export function poissonInterval(count: number, confidence = 0.95): Interval {
  if (!(count >= 0)) throw new HygieError('HYG_INVALID_ARGUMENT', 'a count is ≥ 0');
  const alpha = 1 - confidence;
  return {
    lower: count === 0 ? 0 : gammaQuantile(alpha / 2, count),
    upper: gammaQuantile(1 - alpha / 2, count + 1),
  };
}

/** Sums over the strata of a directly standardised rate (per person, weights summing to 1). */
export interface StandardisedSums {
  /** Σ wₖ xₖ / nₖ. */
  readonly rate: number;
  /** Σ wₖ² xₖ / nₖ². */
  readonly variance: number;
  /** maxₖ wₖ / nₖ over the strata with persons. */
  readonly maxWeight: number;
}

/** The Fay–Feuer gamma interval of a directly standardised rate (same unit as `rate`). */
export function fayFeuerInterval(s: StandardisedSums, confidence = 0.95): Interval {
  const alpha = 1 - confidence;
  const { rate: y, variance: v, maxWeight: wm } = s;
  const lower = v > 0 && y > 0 ? (v / y) * gammaQuantile(alpha / 2, (y * y) / v) : 0;
  const vu = v + wm * wm;
  const upper = vu > 0 ? (vu / (y + wm)) * gammaQuantile(1 - alpha / 2, (y + wm) ** 2 / vu) : 0;
  return { lower, upper };
}
