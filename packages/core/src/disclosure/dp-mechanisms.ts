/**
 * Differential privacy mechanisms for numeric releases.
 *
 * - **Laplace**: add Laplace(0, b) noise with b = Δ₁/ε, where Δ₁ is the L1 sensitivity of the
 *   released vector (the most one person can change it, summed over the cells). ε-DP, δ = 0.
 * - **Gaussian**: add N(0, σ²) noise with σ from the **analytic Gaussian mechanism** (Balle & Wang,
 *   "Improving the Gaussian Mechanism for Differential Privacy", ICML 2018, Theorem 8): the
 *   smallest σ with Φ(Δ₂/(2σ) − εσ/Δ₂) − e^ε Φ(−Δ₂/(2σ) − εσ/Δ₂) ≤ δ, found by bisection on an
 *   accurate normal CDF (`normal-distribution.ts`), rounded up. It is exact for every ε > 0 and
 *   smaller than the classic σ = Δ₂ √(2 ln(1.25/δ)) / ε (Dwork & Roth, Theorem A.1), which holds
 *   only for ε < 1; the classic one is kept for comparison and refuses ε ≥ 1.
 *
 * Floating point: Mironov ("On significance of the least significant bits for differential
 * privacy", CCS 2012) showed that textbook Laplace noise in doubles leaks through the set of
 * values it can produce — some outputs are only reachable from some inputs. The mitigation here
 * is the core of his snapping mechanism: every noisy output is rounded to a grid of spacing Λ,
 * the smallest power of two ≥ the noise scale (b or σ). The rounding is exact in binary floating
 * point and erases the low-order bits the attack reads. It is not the full snapping mechanism
 * (which also clamps input and output to a bound B and charges a slightly larger ε), so it is a
 * mitigation, not a proof. Uniforms come from 53 random bits and never reach 0 (`dp-random.ts`).
 */
import { HygieError } from '../errors.js';
import { MAX_EPSILON } from '../governance/permit-scope.js';
import type { PrivacyCost } from '../governance/privacy-budget.js';
import { cryptoRandomSource, sampleLaplace, sampleStandardNormal } from './dp-random.js';
import type { RandomSource } from './dp-random.js';
import { normalCdf } from './normal-distribution.js';

function invalid(argument: string, message: string): HygieError {
  return new HygieError('HYG_INVALID_ARGUMENT', `${argument}: ${message}`, { argument });
}

/** Throws unless 0 < ε ≤ MAX_EPSILON. */
export function checkEpsilon(epsilon: number): void {
  if (!(Number.isFinite(epsilon) && epsilon > 0 && epsilon <= MAX_EPSILON)) {
    throw invalid('epsilon', `must be in (0, ${MAX_EPSILON}]`);
  }
}

/** Throws unless 0 < δ < 1. */
export function checkDelta(delta: number): void {
  if (!(Number.isFinite(delta) && delta > 0 && delta < 1)) {
    throw invalid('delta', 'must be in (0, 1)');
  }
}

function checkSensitivity(sensitivity: number, argument: string): void {
  if (!(Number.isFinite(sensitivity) && sensitivity > 0)) {
    throw invalid(argument, 'must be a positive finite number');
  }
}

/** The Laplace scale b = Δ₁/ε. */
export function laplaceScale(l1Sensitivity: number, epsilon: number): number {
  checkSensitivity(l1Sensitivity, 'l1Sensitivity');
  checkEpsilon(epsilon);
  return l1Sensitivity / epsilon;
}

/** The classic Gaussian σ = Δ₂ √(2 ln(1.25/δ)) / ε; refuses ε ≥ 1, where it is not valid. */
export function classicGaussianSigma(
  l2Sensitivity: number,
  epsilon: number,
  delta: number,
): number {
  checkSensitivity(l2Sensitivity, 'l2Sensitivity');
  checkEpsilon(epsilon);
  checkDelta(delta);
  if (epsilon >= 1) throw invalid('epsilon', 'the classic Gaussian mechanism needs ε < 1');
  return (l2Sensitivity * Math.sqrt(2 * Math.log(1.25 / delta))) / epsilon;
}

/**
 * The δ that Gaussian noise of standard deviation σ achieves at ε for sensitivity Δ₂ (Balle &
 * Wang, Theorem 8): Φ(Δ₂/(2σ) − εσ/Δ₂) − e^ε Φ(−Δ₂/(2σ) − εσ/Δ₂).
 */
export function analyticGaussianDelta(
  sigma: number,
  l2Sensitivity: number,
  epsilon: number,
): number {
  const a = l2Sensitivity / (2 * sigma);
  const b = (epsilon * sigma) / l2Sensitivity;
  return normalCdf(a - b) - Math.exp(epsilon) * normalCdf(-a - b);
}

/**
 * The smallest σ (to a relative 1e-12, rounded up) for which Gaussian noise is (ε, δ)-DP at L2
 * sensitivity Δ₂, by bisection: δ(σ) decreases with σ.
 */
export function analyticGaussianSigma(
  l2Sensitivity: number,
  epsilon: number,
  delta: number,
): number {
  checkSensitivity(l2Sensitivity, 'l2Sensitivity');
  checkEpsilon(epsilon);
  checkDelta(delta);
  const achieved = (s: number) => analyticGaussianDelta(s, l2Sensitivity, epsilon);
  let hi = (l2Sensitivity * Math.sqrt(2 * Math.log(1.25 / delta))) / epsilon;
  for (let i = 0; i < 200 && achieved(hi) > delta; i++) hi *= 2;
  let lo = hi;
  for (let i = 0; i < 200 && achieved(lo) <= delta; i++) lo /= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (achieved(mid) <= delta) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Λ: the smallest power of two ≥ `scale` (Mironov's snapping grid). */
export function snappingGrid(scale: number): number {
  let grid = 2 ** Math.ceil(Math.log2(scale));
  // Math.log2 may be off by an ulp near powers of two; settle on the exact power.
  if (grid < scale) grid *= 2;
  if (grid / 2 >= scale) grid /= 2;
  return grid;
}

/** `x` rounded to the nearest multiple of `grid` (a power of two: exact in floating point). */
export function snapToGrid(x: number, grid: number): number {
  return Math.round(x / grid) * grid;
}

/** A noisy release of one value. */
export interface NoisyValue {
  /** The noisy value, snapped to the grid. */
  readonly value: number;
  readonly mechanism: 'laplace' | 'gaussian';
  /** b for Laplace, σ for Gaussian. */
  readonly scale: number;
  /** The snapping grid Λ. */
  readonly grid: number;
}

/** Parameters of a mechanism: Laplace at ε, or Gaussian at (ε, δ). */
export type NoiseParameters =
  | { readonly mechanism: 'laplace'; readonly epsilon: number }
  | { readonly mechanism: 'gaussian'; readonly epsilon: number; readonly delta: number };

/** Sensitivities of a released vector: L1 (Laplace) and L2 (Gaussian). */
export interface Sensitivity {
  readonly l1: number;
  readonly l2: number;
}

/** The privacy cost of one use of a mechanism (basic composition adds them up). */
export function costOf(parameters: NoiseParameters): PrivacyCost {
  return {
    epsilon: parameters.epsilon,
    delta: parameters.mechanism === 'gaussian' ? parameters.delta : 0,
  };
}

/** The noise scale (b or σ) of a mechanism at a sensitivity. */
export function noiseScale(sensitivity: Sensitivity, parameters: NoiseParameters): number {
  return parameters.mechanism === 'laplace'
    ? laplaceScale(sensitivity.l1, parameters.epsilon)
    : analyticGaussianSigma(sensitivity.l2, parameters.epsilon, parameters.delta);
}

/**
 * A noisy copy of `value` with noise of the given scale (from {@link noiseScale}), snapped.
 * Callers noising many cells of one vector compute the scale once.
 */
export function addNoise(
  value: number,
  mechanism: 'laplace' | 'gaussian',
  scale: number,
  random: RandomSource = cryptoRandomSource(),
): NoisyValue {
  const noise =
    mechanism === 'laplace' ? sampleLaplace(scale, random) : scale * sampleStandardNormal(random);
  const grid = snappingGrid(scale);
  return { value: snapToGrid(value + noise, grid), mechanism, scale, grid };
}

/** The Laplace mechanism on one value of L1 sensitivity Δ₁ at ε. */
export function laplaceMechanism(
  value: number,
  options: { readonly l1Sensitivity: number; readonly epsilon: number },
  random: RandomSource = cryptoRandomSource(),
): NoisyValue {
  return addNoise(value, 'laplace', laplaceScale(options.l1Sensitivity, options.epsilon), random);
}

/** The (analytic) Gaussian mechanism on one value of L2 sensitivity Δ₂ at (ε, δ). */
export function gaussianMechanism(
  value: number,
  options: { readonly l2Sensitivity: number; readonly epsilon: number; readonly delta: number },
  random: RandomSource = cryptoRandomSource(),
): NoisyValue {
  const sigma = analyticGaussianSigma(options.l2Sensitivity, options.epsilon, options.delta);
  return addNoise(value, 'gaussian', sigma, random);
}
