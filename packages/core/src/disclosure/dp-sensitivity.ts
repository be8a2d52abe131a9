/**
 * Sensitivities of the released statistics, under add/remove-one-person neighbouring (two
 * databases are neighbours when one holds one more person, with all their records).
 *
 * **Contribution bounding is the assumption everything rests on.** A person changes a released
 * vector by at most (cells they fall in) × (what they add to one cell). The query compiler must
 * enforce both bounds *in SQL* before aggregation, and say what they are:
 *
 * - `maxCells`: the cells of the released vector one person can fall in. One per grouping set
 *   when the dimensions partition persons (sex, département at a date); more when they do not (a
 *   person is counted in every year they appear: up to the number of years). A table with margins
 *   counts each grouping set: interior plus m margins is m + 1 cells per person at least.
 * - per cell: 1 for a count of persons; `maxPerPerson` events for an event count (clamped); for a
 *   sum or a mean, the per-person total clamped to [lower, upper], so max(|lower|, |upper|).
 *
 * Then Δ₁ = maxCells × perCell and Δ₂ = √maxCells × perCell (the change is spread over at most
 * maxCells coordinates, each at most perCell).
 */
import { HygieError } from '../errors.js';
import { addNoise, noiseScale } from './dp-mechanisms.js';
import type { NoiseParameters, Sensitivity } from './dp-mechanisms.js';
import { cryptoRandomSource } from './dp-random.js';
import type { RandomSource } from './dp-random.js';

function checkBound(value: number, argument: string): void {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `${argument}: must be a whole number ≥ 1`, {
      argument,
    });
  }
}

function scaled(maxCells: number, perCell: number): Sensitivity {
  checkBound(maxCells, 'maxCells');
  return { l1: maxCells * perCell, l2: Math.sqrt(maxCells) * perCell };
}

/** Counts of persons: each person adds 1 to at most `maxCells` cells. */
export function countSensitivity(maxCells: number): Sensitivity {
  return scaled(maxCells, 1);
}

/** Event counts: each person adds at most `maxPerPerson` events to at most `maxCells` cells. */
export function eventCountSensitivity(maxCells: number, maxPerPerson: number): Sensitivity {
  checkBound(maxPerPerson, 'maxPerPerson');
  return scaled(maxCells, maxPerPerson);
}

/** Largest |contribution| of one person under clamping bounds. */
export function clampMagnitude(clamp: { readonly lower: number; readonly upper: number }): number {
  if (!(
    Number.isFinite(clamp.lower) &&
    Number.isFinite(clamp.upper) &&
    clamp.lower <= clamp.upper
  )) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'clamp: must be finite with lower ≤ upper', {
      argument: 'clamp',
    });
  }
  return Math.max(Math.abs(clamp.lower), Math.abs(clamp.upper));
}

/** Sums of per-person values clamped to [lower, upper], over at most `maxCells` cells. */
export function sumSensitivity(
  maxCells: number,
  clamp: { readonly lower: number; readonly upper: number },
): Sensitivity {
  const m = clampMagnitude(clamp);
  if (m === 0) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'clamp: a sum clamped to {0} carries nothing', {
      argument: 'clamp',
    });
  }
  return scaled(maxCells, m);
}

/** Options of a noisy mean. */
export interface NoisyMeanOptions {
  /** The whole cost of the mean; half goes to the sum, half to the count (δ likewise). */
  readonly parameters: NoiseParameters;
  readonly clamp: { readonly lower: number; readonly upper: number };
  readonly maxCells: number;
}

/**
 * A differentially private mean: noisy sum / noisy count, each noised with half the budget (basic
 * composition), the quotient clamped to [lower, upper] — post-processing, free of cost. The
 * noisy count is floored at 1 so that a near-empty cell gives a clamped value, never a division
 * by zero or a sign flip.
 */
export function noisyMean(
  sum: number,
  count: number,
  options: NoisyMeanOptions,
  random: RandomSource = cryptoRandomSource(),
): number {
  const half: NoiseParameters =
    options.parameters.mechanism === 'laplace'
      ? { mechanism: 'laplace', epsilon: options.parameters.epsilon / 2 }
      : {
          mechanism: 'gaussian',
          epsilon: options.parameters.epsilon / 2,
          delta: options.parameters.delta / 2,
        };
  const sumScale = noiseScale(sumSensitivity(options.maxCells, options.clamp), half);
  const countScale = noiseScale(countSensitivity(options.maxCells), half);
  const noisySum = addNoise(sum, half.mechanism, sumScale, random).value;
  const noisyCount = addNoise(count, half.mechanism, countScale, random).value;
  const mean = noisySum / Math.max(1, noisyCount);
  return Math.min(options.clamp.upper, Math.max(options.clamp.lower, mean));
}
