/**
 * The epidemic calendar of a synthetic run: influenza seasons with regional onset shifts,
 * gastroenteritis winters, bronchiolitis seasons and the COVID-19 waves of 2020–2022, turned into
 * daily intensities per région. Deterministic given the seed, so every worker thread builds the
 * same calendar independently.
 */
import { Rng, epochDay, isoWeekStart } from '@hygie/core';

/** One epidemic wave: a Gaussian bump in time with an attack rate and regional modulation. */
export interface Wave {
  syndrome: string;
  label: string;
  /** Epoch day of the national peak. */
  peakDay: number;
  /** Standard deviation of the bump, in days. */
  sdDays: number;
  /** Episodes per person over the wave (before age weighting). */
  attackRate: number;
  /** Per-région shift of the peak (days) and intensity multiplier. */
  regionShift: Readonly<Record<string, number>>;
  regionFactor: Readonly<Record<string, number>>;
}

const mid = (year: number, week: number): number => isoWeekStart(year, week) + 3;

function regionalShifts(rng: Rng, regions: readonly string[], sd: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of regions)
    out[r] = Math.max(-3 * sd, Math.min(3 * sd, Math.round(rng.normal() * sd)));
  return out;
}

function flat(regions: readonly string[], v: number): Record<string, number> {
  return Object.fromEntries(regions.map((r) => [r, v]));
}

/** Builds every wave that touches [from-1, to] for the given régions. */
export function buildWaves(
  seed: string,
  fromYear: number,
  toYear: number,
  regions: readonly string[],
): Wave[] {
  const waves: Wave[] = [];
  for (let y = fromYear - 1; y <= toYear; y++) {
    const rng = Rng.from(seed, 'season', y);
    // Influenza: peak around ISO week 5 of the next year; the 2020–21 season did not happen, the
    // 2021–22 season came late (spring 2022) and 2022–23 early (December 2022).
    let peak = mid(y + 1, 5) + Math.round(rng.normal() * 10);
    let attack = 0.02 + rng.float() * 0.025;
    if (y === 2020) attack = 0.0005;
    if (y === 2021) {
      peak = mid(2022, 13);
      attack = 0.012;
    }
    if (y === 2022) {
      peak = mid(2022, 51);
      attack = 0.035;
    }
    waves.push({
      syndrome: 'influenza',
      label: `influenza ${y}-${y + 1}`,
      peakDay: peak,
      sdDays: 11 + rng.float() * 5,
      attackRate: attack,
      regionShift: regionalShifts(rng, regions, 7),
      regionFactor: Object.fromEntries(regions.map((r) => [r, 0.8 + rng.float() * 0.4])),
    });
    // Acute gastroenteritis: winter peak around the new year.
    waves.push({
      syndrome: 'gastroenteritis',
      label: `gastroenteritis ${y}-${y + 1}`,
      peakDay: epochDay(y, 12, 31) + Math.round(rng.normal() * 7),
      sdDays: 14,
      attackRate: y === 2020 ? 0.008 : 0.02 + rng.float() * 0.01,
      regionShift: regionalShifts(rng, regions, 5),
      regionFactor: Object.fromEntries(regions.map((r) => [r, 0.85 + rng.float() * 0.3])),
    });
    // Bronchiolitis (infants): early-December peak; shifted to February in 2021, early and severe
    // in November 2022.
    let bPeak = epochDay(y, 12, 5) + Math.round(rng.normal() * 6);
    let bAttack = 0.25;
    if (y === 2020) {
      bPeak = epochDay(2021, 2, 20);
      bAttack = 0.15;
    }
    if (y === 2022) {
      bPeak = epochDay(2022, 11, 20);
      bAttack = 0.35;
    }
    waves.push({
      syndrome: 'bronchiolitis',
      label: `bronchiolitis ${y}-${y + 1}`,
      peakDay: bPeak,
      sdDays: 16,
      attackRate: bAttack,
      regionShift: regionalShifts(rng, regions, 6),
      regionFactor: flat(regions, 1),
    });
  }
  // COVID-19 waves (France): March 2020, autumn 2020, spring 2021, Delta summer 2021, Omicron
  // winter 2021–22 (by far the largest in cases), then the 2022 Omicron sub-variant waves.
  const covid: readonly [number, number, number, number][] = [
    [2020, 13, 10, 0.03],
    [2020, 44, 14, 0.06],
    [2021, 14, 14, 0.04],
    [2021, 32, 12, 0.03],
    [2022, 3, 14, 0.15],
    [2022, 13, 12, 0.06],
    [2022, 28, 12, 0.05],
    [2022, 42, 12, 0.03],
    [2022, 51, 10, 0.025],
  ];
  for (const [year, week, sd, attack] of covid) {
    if (year < fromYear - 1 || year > toYear) continue;
    const rng = Rng.from(seed, 'covid', year, week);
    const factor = flat(regions, 1);
    if (year === 2020 && week === 13) {
      // The first wave hit Grand Est and Île-de-France hardest.
      for (const r of regions)
        factor[r] = r === '44' || r === '11' ? 3 : r === '32' || r === '84' ? 1.3 : 0.4;
    }
    waves.push({
      syndrome: 'covid19',
      label: `COVID-19 ${year}-W${String(week).padStart(2, '0')}`,
      peakDay: mid(year, week),
      sdDays: sd,
      attackRate: attack,
      regionShift: regionalShifts(rng, regions, 4),
      regionFactor: factor,
    });
  }
  return waves;
}

/**
 * Daily episode intensity (episodes per person per day, before age weighting) of each epidemic
 * syndrome, per région, over [startDay, endDay]: baseline plus waves. Returned as cumulative sums
 * so that the expected count over any interval is a subtraction and an episode day is a binary
 * search.
 */
export interface IntensityTable {
  startDay: number;
  days: number;
  /** syndrome → région → cumulative intensity (length days + 1, cum[0] = 0). */
  cumulative: ReadonlyMap<string, ReadonlyMap<string, Float64Array>>;
}

/** Builds the cumulative intensity table. */
export function buildIntensities(
  waves: readonly Wave[],
  baselines: ReadonlyMap<string, number>,
  regions: readonly string[],
  startDay: number,
  endDay: number,
): IntensityTable {
  const days = endDay - startDay + 1;
  const cumulative = new Map<string, Map<string, Float64Array>>();
  for (const [syndrome, baselinePerYear] of baselines) {
    const perRegion = new Map<string, Float64Array>();
    for (const region of regions) {
      const daily = new Float64Array(days).fill(baselinePerYear / 365.25);
      for (const w of waves) {
        if (w.syndrome !== syndrome) continue;
        const peak = w.peakDay + (w.regionShift[region] ?? 0);
        const a =
          (w.attackRate * (w.regionFactor[region] ?? 1)) / (w.sdDays * Math.sqrt(2 * Math.PI));
        const lo = Math.max(0, Math.floor(peak - 4 * w.sdDays) - startDay);
        const hi = Math.min(days - 1, Math.ceil(peak + 4 * w.sdDays) - startDay);
        for (let i = lo; i <= hi; i++) {
          const z = (startDay + i - peak) / w.sdDays;
          daily[i] = (daily[i] as number) + a * Math.exp(-0.5 * z * z);
        }
      }
      const cum = new Float64Array(days + 1);
      for (let i = 0; i < days; i++) cum[i + 1] = (cum[i] as number) + (daily[i] as number);
      perRegion.set(region, cum);
    }
    cumulative.set(syndrome, perRegion);
  }
  return { startDay, days, cumulative };
}
