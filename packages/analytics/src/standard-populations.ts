/**
 * Standard populations for direct standardisation, as weights by 5-year age band (0–4 … 95+)
 * and sex, summing to 1:
 *
 * - `france_2020`: France's population on 1 January 2020 by age and sex (INSEE estimates, the
 *   `@hygie/reference` age pyramid), bands of 95 and over folded into 95+.
 * - `europe_2013`: the European Standard Population 2013 (Eurostat), unisex weights per 100,000
 *   split equally between the sexes.
 */
import { HygieError } from '@hygie/core';
import type { StandardPopulation } from '@hygie/core';
import { agePyramid } from '@hygie/reference';
import { STANDARD_TOP_BAND } from './strata-sql.js';

/** One stratum of a standard population. */
export interface StandardStratum {
  /** Lower bound of the 5-year band (95: 95 and over). */
  readonly ageFrom: number;
  readonly sex: 'female' | 'male';
  /** Share of the standard population, the strata summing to 1. */
  readonly weight: number;
}

/** The European Standard Population 2013: persons per 100,000 by 5-year band, 0–4 to 95+. */
export const EUROPE_2013_PER_100000: readonly number[] = [
  5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000,
  2500, 1500, 800, 200,
];

const BANDS = STANDARD_TOP_BAND / 5 + 1;

function europe2013(): StandardStratum[] {
  const total = EUROPE_2013_PER_100000.reduce((a, b) => a + b, 0);
  if (EUROPE_2013_PER_100000.length !== BANDS || total !== 100_000) {
    throw new HygieError('HYG_INTERNAL', 'the European Standard Population 2013 is malformed');
  }
  return EUROPE_2013_PER_100000.flatMap((n, i) =>
    (['female', 'male'] as const).map((sex) => ({ ageFrom: i * 5, sex, weight: n / total / 2 })),
  );
}

function france2020(): StandardStratum[] {
  const females = new Array<number>(BANDS).fill(0);
  const males = new Array<number>(BANDS).fill(0);
  for (const band of agePyramid()) {
    const i = Math.min(Math.floor(band.ageFrom / 5), BANDS - 1);
    females[i] = (females[i] ?? 0) + band.females;
    males[i] = (males[i] ?? 0) + band.males;
  }
  const total = [...females, ...males].reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new HygieError('HYG_INTERNAL', 'the France 2020 age pyramid is empty');
  return females.flatMap((f, i) => [
    { ageFrom: i * 5, sex: 'female' as const, weight: f / total },
    { ageFrom: i * 5, sex: 'male' as const, weight: (males[i] ?? 0) / total },
  ]);
}

const cache = new Map<StandardPopulation, readonly StandardStratum[]>();

/** The strata of a standard population (40: 20 bands × 2 sexes). */
export function standardPopulation(name: StandardPopulation): readonly StandardStratum[] {
  let strata = cache.get(name);
  if (strata === undefined) {
    strata = name === 'france_2020' ? france2020() : europe2013();
    cache.set(name, strata);
  }
  return strata;
}
