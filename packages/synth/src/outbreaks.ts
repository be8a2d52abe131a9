/**
 * Injected local outbreaks: a few département-level excesses of an epidemic syndrome over two to
 * four ISO weeks, outside the syndrome's usual season so that they stand out. Their definition
 * (and, after generation, the number of excess cases actually produced) goes to
 * `ground-truth.json`, against which outbreak detection is scored.
 */
import { Rng, isoWeekLabel, isoWeekStart, isoWeeksInYear } from '@hygie/core';

/** One injected outbreak. */
export interface Outbreak {
  id: string;
  syndrome: string;
  dept: string;
  region: string;
  /** First and last epoch day (inclusive): whole ISO weeks, Monday to Sunday. */
  startDay: number;
  endDay: number;
  isoWeeks: string[];
  /** Excess cases aimed at in the synthetic département population. */
  targetExcessCases: number;
  /** Expected extra episodes per resident of the département over the outbreak. */
  perResident: number;
}

/** A département as the outbreak planner sees it. */
export interface DeptShare {
  code: string;
  region: string;
  /** Synthetic residents of the département (expected). */
  residents: number;
}

/** Baseline episodes per person-year off-season, used to size outbreaks against the background. */
const OFF_SEASON_RATE: Readonly<Record<string, number>> = {
  gastroenteritis: 0.03,
  influenza: 0.006,
  covid19: 0.02,
};

/**
 * Plans the outbreaks of a run: about two a year, in the 40 most populated départements (so the
 * excess is measurable even at demo size), never two of the same syndrome in the same
 * département and year.
 */
export function planOutbreaks(
  seed: string,
  fromYear: number,
  toYear: number,
  depts: readonly DeptShare[],
): Outbreak[] {
  const rng = Rng.from(seed, 'outbreaks');
  const candidates = [...depts].sort((a, b) => b.residents - a.residents).slice(0, 40);
  const out: Outbreak[] = [];
  const used = new Set<string>();
  let n = 0;
  for (let year = fromYear; year <= toYear; year++) {
    for (let k = 0; k < 2; k++) {
      let syndrome = rng.chance(0.5)
        ? 'gastroenteritis'
        : rng.chance(0.5)
          ? 'influenza'
          : 'covid19';
      // COVID-19 clusters only after the pandemic waves of 2020–2022 (and never before 2020).
      if (syndrome === 'covid19' && year < 2023) syndrome = 'gastroenteritis';
      const dept = rng.pick(candidates);
      const key = `${syndrome}:${dept.code}:${year}`;
      if (used.has(key)) continue;
      used.add(key);
      const weeks = rng.range(2, 4);
      const firstWeek =
        syndrome === 'influenza'
          ? rng.range(17, 22)
          : syndrome === 'gastroenteritis'
            ? rng.range(16, 38)
            : rng.range(10, 38);
      const lastWeek = Math.min(firstWeek + weeks - 1, isoWeeksInYear(year));
      const startDay = isoWeekStart(year, firstWeek);
      const endDay = isoWeekStart(year, lastWeek) + 6;
      const isoWeeks: string[] = [];
      for (let d = startDay; d <= endDay; d += 7) isoWeeks.push(isoWeekLabel(d));
      const baselineWeekly = (dept.residents * (OFF_SEASON_RATE[syndrome] ?? 0.02)) / 52;
      const factor = 3 + rng.float() * 3;
      const target = Math.max(
        12 * isoWeeks.length,
        Math.round(factor * baselineWeekly * isoWeeks.length),
      );
      const perResident = Math.min(0.3, target / Math.max(1, dept.residents));
      out.push({
        id: `outbreak-${String(++n).padStart(2, '0')}`,
        syndrome,
        dept: dept.code,
        region: dept.region,
        startDay,
        endDay,
        isoWeeks,
        targetExcessCases: target,
        perResident,
      });
    }
  }
  return out;
}
