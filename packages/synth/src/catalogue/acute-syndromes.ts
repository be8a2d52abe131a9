/**
 * Acute syndromes: the seasonal epidemics the surveillance issue monitors (influenza-like illness,
 * acute gastroenteritis, bronchiolitis, COVID-19) and the background acute care every population
 * has (colds, urinary infections, back pain, check-ups). Parameters are orders of magnitude from
 * French surveillance (Réseau Sentinelles, Santé publique France): a winter influenza epidemic
 * sends 2–5 % of the population to a GP, bronchiolitis affects about a third of infants each
 * winter, COVID-19 came in waves from March 2020, with the Omicron wave of January 2022 the largest.
 */

/** Relative incidence by age: [age from, multiplier] steps, ages ascending. */
export type AgeSteps = readonly (readonly [number, number])[];

/** A syndrome and the care one episode produces. */
export interface AcuteSyndrome {
  id: string;
  label: string;
  /** CIM-10 diagnosis codes of a consultation (FHIR) and of a stay (PMSI); first is most frequent. */
  codes: readonly string[];
  /** Relative incidence by age. */
  ageProfile: AgeSteps;
  /** Episodes per person-year outside epidemics (before age weighting). */
  baselinePerYear: number;
  /** ATC level-5 codes dispensed after the consultation, with the probability of each. */
  drugs: readonly (readonly [string, number])[];
  /** Probability of a hospital stay per episode, by age. */
  hospitalisation: AgeSteps;
  /** Principal diagnoses and acts of such a stay. */
  stayDp: readonly string[];
  stayActs: readonly string[];
  meanLos: number;
  /** Probability of death per hospital stay, by age. */
  deathAfterStay: AgeSteps;
  /** Specialty consulted (1 = general practice, 12 = paediatrics). */
  spe: number;
}

/**
 * Severity of COVID-19 by year, multiplying the probability of a hospital stay per episode: the
 * 2020 waves hit an unvaccinated population, Omicron (2022 onwards) was milder per case.
 */
export function covidSeverity(year: number): number {
  return year <= 2020 ? 1 : year === 2021 ? 0.75 : 0.25;
}

/** The value of age-steps at an age. */
export function stepValue(steps: AgeSteps, age: number): number {
  let v = 0;
  for (const [from, m] of steps) {
    if (age >= from) v = m;
    else break;
  }
  return v;
}

/** Syndromes with seasonal epidemics, monitored by the surveillance module. */
export const EPIDEMIC_SYNDROMES: readonly AcuteSyndrome[] = [
  {
    id: 'influenza',
    label: 'Influenza-like illness',
    codes: ['J111', 'J101', 'J110'],
    ageProfile: [
      [0, 1.8],
      [15, 1],
      [65, 0.6],
    ],
    baselinePerYear: 0.004,
    drugs: [
      ['N02BE01', 0.9],
      ['J05AH02', 0.08],
      ['R05DA04', 0.2],
    ],
    hospitalisation: [
      [0, 0.01],
      [5, 0.003],
      [65, 0.02],
      [75, 0.06],
    ],
    stayDp: ['J110', 'J111', 'J189'],
    stayActs: ['ZBQK002'],
    meanLos: 6,
    deathAfterStay: [
      [0, 0.002],
      [65, 0.03],
      [75, 0.07],
      [85, 0.12],
    ],
    spe: 1,
  },
  {
    id: 'gastroenteritis',
    label: 'Acute gastroenteritis',
    codes: ['A099', 'A090', 'A081'],
    ageProfile: [
      [0, 3],
      [5, 1.5],
      [15, 1],
      [65, 0.8],
    ],
    baselinePerYear: 0.02,
    drugs: [
      ['A07XA04', 0.4],
      ['A07BC05', 0.5],
      ['N02BE01', 0.3],
    ],
    hospitalisation: [
      [0, 0.02],
      [2, 0.003],
      [75, 0.03],
    ],
    stayDp: ['A099', 'E86'],
    stayActs: [],
    meanLos: 3,
    deathAfterStay: [
      [0, 0],
      [75, 0.01],
      [85, 0.03],
    ],
    spe: 1,
  },
  {
    id: 'bronchiolitis',
    label: 'Bronchiolitis',
    codes: ['J219', 'J210'],
    ageProfile: [
      [0, 1.3],
      [1, 0.7],
      [2, 0],
    ],
    baselinePerYear: 0.01,
    drugs: [['N02BE01', 0.6]],
    hospitalisation: [
      [0, 0.1],
      [1, 0.03],
    ],
    stayDp: ['J210', 'J219'],
    stayActs: ['ZBQK002'],
    meanLos: 4,
    deathAfterStay: [[0, 0.0005]],
    spe: 12,
  },
  {
    id: 'covid19',
    label: 'COVID-19',
    codes: ['U071'],
    ageProfile: [
      [0, 0.6],
      [20, 1.1],
      [60, 0.9],
    ],
    baselinePerYear: 0,
    drugs: [['N02BE01', 0.8]],
    hospitalisation: [
      [0, 0.003],
      [40, 0.02],
      [60, 0.07],
      [70, 0.15],
      [80, 0.3],
    ],
    stayDp: ['U071'],
    stayActs: ['ZBQK001', 'GLLD015'],
    meanLos: 10,
    deathAfterStay: [
      [0, 0.01],
      [60, 0.05],
      [70, 0.16],
      [80, 0.3],
    ],
    spe: 1,
  },
];

/** Background acute care: no epidemic, a steady rate all year. */
export const BACKGROUND_SYNDROMES: readonly AcuteSyndrome[] = [
  {
    id: 'upper_respiratory_infection',
    label: 'Upper respiratory infection',
    codes: ['J069', 'J00', 'J029'],
    ageProfile: [
      [0, 3],
      [6, 1.2],
      [15, 0.8],
      [65, 0.6],
    ],
    baselinePerYear: 0.35,
    drugs: [
      ['N02BE01', 0.7],
      ['J01CA04', 0.3],
      ['J01CR02', 0.08],
      ['J01FA10', 0.05],
      ['R06AE07', 0.1],
    ],
    hospitalisation: [[0, 0]],
    stayDp: [],
    stayActs: [],
    meanLos: 0,
    deathAfterStay: [[0, 0]],
    spe: 1,
  },
  {
    id: 'urinary_infection',
    label: 'Urinary tract infection',
    codes: ['N390'],
    ageProfile: [
      [0, 0.2],
      [15, 1],
      [65, 1.6],
    ],
    baselinePerYear: 0.05,
    drugs: [
      ['J01XX01', 0.6],
      ['J01CA08', 0.3],
    ],
    hospitalisation: [
      [0, 0.002],
      [75, 0.03],
    ],
    stayDp: ['N390', 'A419'],
    stayActs: [],
    meanLos: 6,
    deathAfterStay: [
      [0, 0],
      [75, 0.04],
    ],
    spe: 1,
  },
  {
    id: 'back_pain',
    label: 'Low back pain',
    codes: ['M545'],
    ageProfile: [
      [0, 0],
      [18, 1],
      [65, 0.9],
    ],
    baselinePerYear: 0.12,
    drugs: [
      ['M01AE01', 0.6],
      ['N02AX02', 0.2],
      ['N02AJ06', 0.15],
      ['N02BE01', 0.3],
    ],
    hospitalisation: [[0, 0]],
    stayDp: [],
    stayActs: [],
    meanLos: 0,
    deathAfterStay: [[0, 0]],
    spe: 1,
  },
  {
    id: 'general_examination',
    label: 'General examination or renewal',
    codes: ['Z000'],
    ageProfile: [
      [0, 2.5],
      [3, 1],
      [18, 1],
      [65, 1.5],
    ],
    baselinePerYear: 1.6,
    drugs: [],
    hospitalisation: [[0, 0]],
    stayDp: [],
    stayActs: [],
    meanLos: 0,
    deathAfterStay: [[0, 0]],
    spe: 1,
  },
  {
    id: 'gastric_reflux',
    label: 'Gastro-oesophageal reflux',
    codes: ['K210'],
    ageProfile: [
      [0, 0.1],
      [18, 1],
      [50, 1.4],
    ],
    baselinePerYear: 0.05,
    drugs: [
      ['A02BC01', 0.6],
      ['A02BC05', 0.4],
    ],
    hospitalisation: [[0, 0]],
    stayDp: [],
    stayActs: [],
    meanLos: 0,
    deathAfterStay: [[0, 0]],
    spe: 1,
  },
];
