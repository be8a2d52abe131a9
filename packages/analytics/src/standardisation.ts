/**
 * Direct standardisation, a small pure step over stratum-specific counts: the rate the study
 * population would have if it had the standard population's age and sex structure,
 *
 *     DSR = Σₖ wₖ · (casesₖ / denominatorₖ) / Σₖ wₖ
 *
 * over the standard strata k (5-year age band × sex) that the cell covers — all 40 for a cell
 * that is not stratified by sex or age, those of its sex and of the 5-year bands overlapping its
 * age band otherwise. A stratum without anyone at risk contributes a rate of 0 (its weight still
 * counts, so a population missing an age group is not silently re-weighted). Persons of unknown
 * sex are in the crude rate only: no standard stratum weighs them.
 */
import type { StandardStratum } from './standard-populations.js';
import { STANDARD_TOP_BAND } from './strata-sql.js';

/** Counts of one stratum of a cell, as the SQL gives them. */
export interface StratumCounts {
  /** Lower bound of the 5-year band (95: 95 and over); null when the age is unknown. */
  readonly ageFrom: number | null;
  readonly sex: 'female' | 'male' | null;
  readonly cases: number;
  /** Persons (prevalence) or person-years (incidence) at risk. */
  readonly denominator: number;
}

/** The age interval a cell covers (both ends included), or any age. */
export interface CellScope {
  readonly sex?: 'female' | 'male' | null;
  readonly ages?: { readonly from: number; readonly to: number };
}

/** Whether a standard stratum falls (at least partly) in a cell. */
export function stratumInCell(stratum: StandardStratum, cell: CellScope): boolean {
  if (cell.sex !== undefined && stratum.sex !== cell.sex) return false;
  if (cell.ages !== undefined) {
    const to = stratum.ageFrom >= STANDARD_TOP_BAND ? Infinity : stratum.ageFrom + 4;
    if (to < cell.ages.from || stratum.ageFrom > cell.ages.to) return false;
  }
  return true;
}

/**
 * The directly standardised rate of a cell (a ratio: multiply by the rate unit), or null when no
 * standard stratum falls in the cell.
 */
export function directlyStandardisedRate(
  strata: readonly StratumCounts[],
  standard: readonly StandardStratum[],
  cell: CellScope,
): number | null {
  const sums = new Map<string, { cases: number; denominator: number }>();
  for (const s of strata) {
    if (s.ageFrom === null || s.sex === null) continue;
    const key = `${s.ageFrom}|${s.sex}`;
    const sum = sums.get(key) ?? { cases: 0, denominator: 0 };
    sums.set(key, { cases: sum.cases + s.cases, denominator: sum.denominator + s.denominator });
  }
  let weighted = 0;
  let weights = 0;
  for (const k of standard) {
    if (!stratumInCell(k, cell)) continue;
    weights += k.weight;
    const sum = sums.get(`${k.ageFrom}|${k.sex}`);
    if (sum !== undefined && sum.denominator > 0)
      weighted += (k.weight * sum.cases) / sum.denominator;
  }
  return weights > 0 ? weighted / weights : null;
}
