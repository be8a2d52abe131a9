/**
 * The identity of a synthetic person: sex, exact birth date, birth place, NIR, names, first
 * residence — the direct identifiers real sources carry and that pseudonymisation must remove.
 * Drawn from its own random stream so that a first pass can compute every NIR (to make them
 * unique) without generating any care.
 */
import { Rng, buildNir, civilDate, cumulative } from '@hygie/core';
import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES, SURNAMES } from './catalogue/names.js';
import type { World } from './world.js';

/** A synthetic person's identity. */
export interface Identity {
  index: number;
  sex: 1 | 2;
  /** Epoch day of birth. */
  birthDay: number;
  /** NIR birth place: 2 + 3 characters (`75`+`115`, `2A`+`004`, `97`+`411`, `99`+country). */
  placeDept: string;
  placeCommune: string;
  order: number;
  /** 15-character NIR (13-character body and key). */
  nir: string;
  family: string;
  given: string;
  /** Index (in the world's commune list) of the first residence. */
  residence: number;
  /** True when the person is born during the period. */
  newborn: boolean;
}

/** INSEE codes of frequent countries of birth (NIR `99` + code), with rough weights. */
const COUNTRIES: readonly (readonly [string, number])[] = [
  ['352', 16],
  ['350', 12],
  ['351', 5],
  ['139', 6],
  ['127', 3],
  ['134', 3],
  ['208', 3],
  ['109', 2],
  ['131', 2],
  ['341', 2],
  ['309', 2],
  ['216', 2],
  ['406', 1],
  ['132', 1],
  ['122', 1],
];
const COUNTRY_CUM = cumulative(COUNTRIES.map((c) => c[1]));
const zipf = (n: number): Float64Array =>
  cumulative(Array.from({ length: n }, (_, i) => 1 / (i + 8)));
const SURNAME_CUM = zipf(SURNAMES.length);
const MALE_CUM = zipf(MALE_GIVEN_NAMES.length);
const FEMALE_CUM = zipf(FEMALE_GIVEN_NAMES.length);

/** Draws a commune index within a département, weighted by population. */
export function communeInDept(world: World, rng: Rng, dept: string): number {
  const d = world.deptCommunes.get(dept);
  if (!d) return rng.weightedIndex(world.communeCum);
  return d.first + rng.weightedIndex(d.cum);
}

/**
 * Draws the identity of person `index`. `orderOverride` replaces the drawn NIR order number when
 * the uniqueness pass found a collision.
 */
export function drawIdentity(world: World, index: number, orderOverride?: number): Identity {
  const rng = Rng.from(world.options.seed, 'identity', index);
  const newborn = index >= world.initialPersons;
  let sex: 1 | 2;
  let birthDay: number;
  if (!newborn) {
    const k = rng.weightedIndex(world.ageSexCum);
    sex = k < 105 ? 1 : 2;
    const age = k % 105;
    birthDay = world.startDay - 1 - Math.floor((age + rng.float()) * 365.2425);
  } else {
    // Newborns are spread over the period by index, following the yearly birth rates.
    sex = rng.chance(0.512) ? 1 : 2;
    const j = index - world.initialPersons;
    const total = world.birthCumulative[world.birthCumulative.length - 1] as number;
    const target = ((j + 0.5) / Math.max(1, world.births)) * total;
    let lo = 0;
    let hi = world.birthCumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((world.birthCumulative[mid] as number) >= target) hi = mid;
      else lo = mid + 1;
    }
    birthDay = world.startDay + lo;
  }
  const residence = rng.weightedIndex(world.communeCum);
  const resDept = world.communeDept[residence] as string;
  const birthYear = civilDate(birthDay).year;
  const ageAtStart = (world.startDay - birthDay) / 365.25;
  const abroadP = newborn ? 0 : ageAtStart >= 30 ? 0.13 : ageAtStart >= 18 ? 0.09 : 0.04;
  let placeDept: string;
  let placeCommune: string;
  if (rng.chance(abroadP)) {
    placeDept = '99';
    placeCommune = (COUNTRIES[rng.weightedIndex(COUNTRY_CUM)] as readonly [string, number])[0];
  } else {
    const birthCommune =
      newborn || rng.chance(0.55)
        ? communeInDept(world, rng, resDept)
        : rng.weightedIndex(world.communeCum);
    const code = world.communeCode[birthCommune] as string;
    placeDept = code.slice(0, 2);
    placeCommune = code.slice(2);
  }
  const order = orderOverride ?? rng.range(1, 999);
  const nir = buildNir({
    sex,
    birthYear,
    birthMonth: civilDate(birthDay).month,
    placeDept,
    placeCommune,
    order,
  });
  const family = SURNAMES[rng.weightedIndex(SURNAME_CUM)] as string;
  const given =
    sex === 1
      ? (MALE_GIVEN_NAMES[rng.weightedIndex(MALE_CUM)] as string)
      : (FEMALE_GIVEN_NAMES[rng.weightedIndex(FEMALE_CUM)] as string);
  return {
    index,
    sex,
    birthDay,
    placeDept,
    placeCommune,
    order,
    nir,
    family,
    given,
    residence,
    newborn,
  };
}

/**
 * A numeric key of the 13-character NIR body, used to find duplicates cheaply (a body fits in a
 * double exactly). Corsica (2A/2B) gets codes no current
 * birth place uses (20 and 96), so keys stay one-to-one with bodies.
 */
export function nirNumericKey(nir: string): number {
  return Number(nir.slice(0, 13).replace('2A', '20').replace('2B', '96'));
}

/** The key with a different order number (positions 11–13 of the body). */
export function withOrder(key: number, order: number): number {
  return Math.floor(key / 1000) * 1000 + order;
}
