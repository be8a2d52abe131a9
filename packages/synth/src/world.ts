/**
 * The shared, read-only context of a synthetic run — geography with population weights, the age
 * pyramid, the drug catalogue, the epidemic calendar, injected outbreaks, hospitals — built once
 * per worker thread from the options alone (so every thread builds the same world).
 */
import { Rng, cumulative, epochDay } from '@hygie/core';
import {
  agePyramid,
  communes,
  departements,
  drugProducts,
  regions,
  sndsDeptCode,
} from '@hygie/reference';
import { EPIDEMIC_SYNDROMES } from './catalogue/acute-syndromes.js';
import { buildIntensities, buildWaves, type IntensityTable, type Wave } from './epidemics.js';
import { planOutbreaks, type Outbreak } from './outbreaks.js';
import type { SynthOptions } from './options.js';

/** Crude birth rates (births per person-year) of France by year, INSEE order of magnitude. */
const BIRTH_RATE: Readonly<Record<number, number>> = {
  2015: 0.0119,
  2016: 0.0117,
  2017: 0.0114,
  2018: 0.0112,
  2019: 0.011,
  2020: 0.0109,
  2021: 0.011,
  2022: 0.0107,
  2023: 0.01,
  2024: 0.0098,
};

/** Crude birth rate of a year (extrapolated flat outside the table). */
export function birthRate(year: number): number {
  return BIRTH_RATE[year] ?? (year < 2015 ? 0.012 : 0.0097);
}

/** A drug product ready to be dispensed. */
export interface Product {
  cip13: string;
  cip7: string;
  atc5: string;
  label: string;
  /** Unit price in euros, 3 decimals, derived from the code so it is stable. */
  price: number;
}

/** A hospital (synthetic establishment number). */
export interface Hospital {
  etaNum: string;
  dept: string;
}

/** Everything a worker needs to generate persons. */
export interface World {
  options: SynthOptions;
  startDay: number;
  endDay: number;
  /** Persons alive at the start of the period (the `--persons` argument). */
  initialPersons: number;
  births: number;
  totalPersons: number;
  /** Cumulative birth weights over days of the period (for newborns' birth dates). */
  birthCumulative: Float64Array;
  communeCode: readonly string[];
  communeDept: readonly string[];
  communeRegion: readonly string[];
  communePostal: readonly string[];
  communeName: readonly string[];
  communeCum: Float64Array;
  /** Per département: first commune index, count, and cumulative weights within it. */
  deptCommunes: ReadonlyMap<string, { first: number; count: number; cum: Float64Array }>;
  deptCodes: readonly string[];
  deptRegion: ReadonlyMap<string, string>;
  deptSnds: ReadonlyMap<string, string>;
  regionCodes: readonly string[];
  /** Cumulative weights over single ages 0..104, males then females (index = sex*105 + age). */
  ageSexCum: Float64Array;
  productsByAtc: ReadonlyMap<string, readonly Product[]>;
  waves: readonly Wave[];
  intensities: IntensityTable;
  outbreaks: readonly Outbreak[];
  hospitalsByDept: ReadonlyMap<string, readonly Hospital[]>;
  /** Regional university hospital per région (referrals). */
  chuByRegion: ReadonlyMap<string, Hospital>;
  /**
   * The source-level NIR key when the extract is pseudonymised at the source (`--source-key`):
   * NIRs are then written as their source pseudonyms. Null for an extract with raw NIRs.
   */
  sourceNirKey: Buffer | null;
}

function luhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * Builds the world of a run. Deterministic in the options (and the source key, when the extract
 * is pseudonymised at the source).
 */
export function buildWorld(options: SynthOptions, sourceNirKey: Buffer | null = null): World {
  const startDay = epochDay(options.from, 1, 1);
  const endDay = epochDay(options.to, 12, 31);
  const all = communes();
  const communeCum = cumulative(all.map((c) => c.population));
  const deptCommunes = new Map<string, { first: number; count: number; cum: Float64Array }>();
  for (let i = 0; i < all.length;) {
    const dept = (all[i] as (typeof all)[number]).dept;
    let j = i;
    while (j < all.length && (all[j] as (typeof all)[number]).dept === dept) j++;
    deptCommunes.set(dept, {
      first: i,
      count: j - i,
      cum: cumulative(all.slice(i, j).map((c) => c.population)),
    });
    i = j;
  }
  const depts = departements();
  const regionCodes = regions().map((r) => r.code);
  const totalPop = depts.reduce((s, d) => s + d.population, 0);

  // Single-year ages: each five-year band spread evenly over its years.
  const weights: number[] = new Array<number>(210).fill(0);
  for (const band of agePyramid()) {
    const years = band.ageTo - band.ageFrom + 1;
    for (let a = band.ageFrom; a <= band.ageTo && a < 105; a++) {
      weights[a] = band.males / years;
      weights[105 + a] = band.females / years;
    }
  }

  // Births over the period: persons born after the start, in proportion to yearly birth rates.
  const days = endDay - startDay + 1;
  const birthDaily = new Float64Array(days);
  let births = 0;
  for (let y = options.from; y <= options.to; y++) {
    const y0 = epochDay(y, 1, 1) - startDay;
    const y1 = epochDay(y + 1, 1, 1) - startDay;
    const yearBirths = options.persons * birthRate(y);
    births += yearBirths;
    for (let d = y0; d < y1; d++) birthDaily[d] = yearBirths / (y1 - y0);
  }
  const birthCumulative = new Float64Array(days);
  let acc = 0;
  for (let d = 0; d < days; d++) {
    acc += birthDaily[d] as number;
    birthCumulative[d] = acc;
  }
  const birthCount = Math.round(births);

  const productsByAtc = new Map<string, Product[]>();
  for (const p of drugProducts()) {
    const r = Rng.from('price', p.cip13);
    const product: Product = {
      cip13: p.cip13,
      cip7: p.cip13.slice(5, 12),
      atc5: p.atc5,
      label: p.label,
      price: Math.round((1.5 + r.float() * 40) * 1000) / 1000,
    };
    const list = productsByAtc.get(p.atc5) ?? [];
    list.push(product);
    productsByAtc.set(p.atc5, list);
  }

  const waves = buildWaves(options.seed, options.from, options.to, regionCodes);
  const baselines = new Map(EPIDEMIC_SYNDROMES.map((s) => [s.id, s.baselinePerYear]));
  const intensities = buildIntensities(waves, baselines, regionCodes, startDay, endDay);
  const outbreaks = planOutbreaks(
    options.seed,
    options.from,
    options.to,
    depts.map((d) => ({
      code: d.code,
      region: d.region,
      residents: (options.persons * d.population) / totalPop,
    })),
  );

  // Hospitals: one per 250,000 inhabitants (at least one) per département; the first hospital of
  // each région's most populated département acts as its university hospital. Establishment
  // numbers are synthetic 9-digit numbers (3 digits for the département's rank, 5 for the
  // hospital, 1 Luhn check digit); they are not FINESS numbers.
  const hospitalsByDept = new Map<string, Hospital[]>();
  depts.forEach((d, rank) => {
    const n = Math.max(1, Math.round(d.population / 250_000));
    const list: Hospital[] = [];
    for (let h = 1; h <= n; h++) {
      const body = `${100 + rank}${String(h).padStart(5, '0')}`;
      list.push({ etaNum: body + luhnDigit(body), dept: d.code });
    }
    hospitalsByDept.set(d.code, list);
  });
  const chuByRegion = new Map<string, Hospital>();
  for (const r of regionCodes) {
    const top = depts.filter((d) => d.region === r).sort((a, b) => b.population - a.population)[0];
    if (top) chuByRegion.set(r, (hospitalsByDept.get(top.code) as Hospital[])[0] as Hospital);
  }

  return {
    options,
    startDay,
    endDay,
    initialPersons: options.persons,
    births: birthCount,
    totalPersons: options.persons + birthCount,
    birthCumulative,
    communeCode: all.map((c) => c.code),
    communeDept: all.map((c) => c.dept),
    communeRegion: all.map((c) => c.region),
    communePostal: all.map((c) => c.postalCode),
    communeName: all.map((c) => c.name),
    communeCum,
    deptCommunes,
    deptCodes: depts.map((d) => d.code),
    deptRegion: new Map(depts.map((d) => [d.code, d.region])),
    deptSnds: new Map(depts.map((d) => [d.code, sndsDeptCode(d.code)])),
    regionCodes,
    ageSexCum: cumulative(weights),
    productsByAtc,
    waves,
    intensities,
    outbreaks,
    hospitalsByDept,
    chuByRegion,
    sourceNirKey,
  };
}

/** A Luhn check digit (used for synthetic provider and establishment numbers). */
export { luhnDigit };
