/**
 * Hospital stays not driven by a chronic condition or an epidemic: births, elective surgery,
 * injuries and acute cardiovascular events, with age-specific annual rates at the order of
 * magnitude of French PMSI activity (deliveries follow the French age-specific fertility rates).
 */
import type { AgeSteps } from './acute-syndromes.js';

/** A kind of hospital stay with its annual rate by age. */
export interface HospitalEvent {
  id: string;
  /** Principal diagnoses (CIM-10) and their CCAM acts, as parallel alternatives. */
  variants: readonly { dp: string; acts: readonly string[]; weight: number }[];
  /** Annual rate by age, for men and women. */
  male: AgeSteps;
  female: AgeSteps;
  meanLos: number;
  /** Day-case (length of stay 0). */
  ambulatory: boolean;
  deathProb: AgeSteps;
  /** Associated diagnosis always added (e.g. Z370 "single live birth" for deliveries). */
  das: readonly string[];
}

/** The hospital events the generator models. */
export const HOSPITAL_EVENTS: readonly HospitalEvent[] = [
  {
    id: 'delivery',
    variants: [
      { dp: 'O800', acts: ['JQGD010'], weight: 0.4 },
      { dp: 'O800', acts: ['JQGD012'], weight: 0.4 },
      { dp: 'O821', acts: ['JQGA003'], weight: 0.1 },
      { dp: 'O820', acts: ['JQGA002'], weight: 0.1 },
    ],
    male: [[0, 0]],
    female: [
      [0, 0],
      [15, 0.009],
      [20, 0.045],
      [25, 0.105],
      [30, 0.125],
      [35, 0.07],
      [40, 0.017],
      [45, 0.001],
      [50, 0],
    ],
    meanLos: 4,
    ambulatory: false,
    deathProb: [[0, 0]],
    das: ['Z370'],
  },
  {
    id: 'cataract',
    variants: [{ dp: 'H259', acts: ['BFGA427'], weight: 1 }],
    male: [
      [0, 0],
      [55, 0.006],
      [65, 0.025],
      [75, 0.05],
      [90, 0.02],
    ],
    female: [
      [0, 0],
      [55, 0.007],
      [65, 0.028],
      [75, 0.055],
      [90, 0.02],
    ],
    meanLos: 0,
    ambulatory: true,
    deathProb: [[0, 0]],
    das: [],
  },
  {
    id: 'colonoscopy',
    variants: [
      { dp: 'Z121', acts: ['HHQE002'], weight: 0.6 },
      { dp: 'K635', acts: ['HHQE005'], weight: 0.4 },
    ],
    male: [
      [0, 0],
      [45, 0.01],
      [50, 0.025],
      [75, 0.015],
    ],
    female: [
      [0, 0],
      [45, 0.01],
      [50, 0.022],
      [75, 0.012],
    ],
    meanLos: 0,
    ambulatory: true,
    deathProb: [[0, 0]],
    das: [],
  },
  {
    id: 'hip_arthroplasty',
    variants: [{ dp: 'M169', acts: ['NEKA020'], weight: 1 }],
    male: [
      [0, 0],
      [55, 0.0015],
      [65, 0.003],
      [75, 0.004],
      [90, 0.001],
    ],
    female: [
      [0, 0],
      [55, 0.0015],
      [65, 0.0035],
      [75, 0.005],
      [90, 0.001],
    ],
    meanLos: 5,
    ambulatory: false,
    deathProb: [
      [0, 0],
      [75, 0.003],
    ],
    das: [],
  },
  {
    id: 'knee_arthroplasty',
    variants: [{ dp: 'M179', acts: ['NFKA007'], weight: 1 }],
    male: [
      [0, 0],
      [55, 0.001],
      [65, 0.0025],
      [80, 0.001],
    ],
    female: [
      [0, 0],
      [55, 0.0015],
      [65, 0.0035],
      [80, 0.0015],
    ],
    meanLos: 5,
    ambulatory: false,
    deathProb: [[0, 0]],
    das: [],
  },
  {
    id: 'appendicitis',
    variants: [{ dp: 'K358', acts: ['HHFA016'], weight: 1 }],
    male: [
      [0, 0],
      [5, 0.0012],
      [10, 0.0018],
      [20, 0.001],
      [40, 0.0005],
    ],
    female: [
      [0, 0],
      [5, 0.001],
      [10, 0.0016],
      [20, 0.0009],
      [40, 0.0005],
    ],
    meanLos: 2,
    ambulatory: false,
    deathProb: [[0, 0]],
    das: [],
  },
  {
    id: 'hip_fracture',
    variants: [
      { dp: 'S720', acts: ['NBCA010'], weight: 0.6 },
      { dp: 'S720', acts: ['NEKA020'], weight: 0.4 },
    ],
    male: [
      [0, 0],
      [65, 0.001],
      [75, 0.004],
      [85, 0.012],
    ],
    female: [
      [0, 0],
      [65, 0.002],
      [75, 0.008],
      [85, 0.025],
    ],
    meanLos: 9,
    ambulatory: false,
    deathProb: [
      [0, 0],
      [75, 0.04],
      [85, 0.07],
    ],
    das: [],
  },
  {
    id: 'stroke',
    variants: [{ dp: 'I639', acts: ['ACQK001'], weight: 1 }],
    male: [
      [0, 0],
      [45, 0.0008],
      [65, 0.004],
      [75, 0.01],
      [85, 0.018],
    ],
    female: [
      [0, 0],
      [45, 0.0005],
      [65, 0.0025],
      [75, 0.007],
      [85, 0.015],
    ],
    meanLos: 10,
    ambulatory: false,
    deathProb: [
      [0, 0.05],
      [75, 0.15],
      [85, 0.22],
    ],
    das: [],
  },
  {
    id: 'myocardial_infarction',
    variants: [{ dp: 'I219', acts: ['DDQH009', 'DDAF008'], weight: 1 }],
    male: [
      [0, 0],
      [40, 0.0008],
      [55, 0.003],
      [70, 0.005],
      [85, 0.008],
    ],
    female: [
      [0, 0],
      [40, 0.0002],
      [55, 0.001],
      [70, 0.0025],
      [85, 0.005],
    ],
    meanLos: 5,
    ambulatory: false,
    deathProb: [
      [0, 0.03],
      [75, 0.1],
    ],
    das: [],
  },
  {
    id: 'pneumonia',
    variants: [{ dp: 'J189', acts: ['ZBQK002'], weight: 1 }],
    male: [
      [0, 0.003],
      [5, 0.0008],
      [65, 0.004],
      [75, 0.012],
      [85, 0.03],
    ],
    female: [
      [0, 0.0025],
      [5, 0.0007],
      [65, 0.003],
      [75, 0.009],
      [85, 0.024],
    ],
    meanLos: 7,
    ambulatory: false,
    deathProb: [
      [0, 0.005],
      [75, 0.08],
      [85, 0.12],
    ],
    das: [],
  },
  {
    id: 'head_injury',
    variants: [{ dp: 'S060', acts: ['ACQK001'], weight: 1 }],
    male: [
      [0, 0.002],
      [15, 0.0015],
      [75, 0.004],
    ],
    female: [
      [0, 0.0015],
      [15, 0.0008],
      [75, 0.004],
    ],
    meanLos: 1,
    ambulatory: false,
    deathProb: [
      [0, 0.001],
      [75, 0.01],
    ],
    das: [],
  },
  {
    // The rest of short-stay activity: common medical and surgical stays, so that the overall
    // rate approaches France's ~0.18 MCO stays per person-year (séances excluded).
    id: 'other_stay',
    variants: [
      { dp: 'K802', acts: ['HMFC004'], weight: 3 },
      { dp: 'K409', acts: ['LMMA012'], weight: 2 },
      { dp: 'R104', acts: [], weight: 3 },
      { dp: 'R074', acts: ['DEQP003'], weight: 3 },
      { dp: 'R55', acts: ['DEQP003'], weight: 2 },
      { dp: 'N200', acts: ['JAQM003'], weight: 2 },
      { dp: 'S525', acts: ['MZMP001'], weight: 2 },
      { dp: 'K297', acts: ['HEQE002'], weight: 3 },
      { dp: 'I839', acts: ['EJSF007'], weight: 1 },
      { dp: 'J350', acts: ['FAFA014'], weight: 1 },
      { dp: 'D649', acts: [], weight: 2 },
      { dp: 'E871', acts: [], weight: 1 },
      { dp: 'I269', acts: ['ZBQH001'], weight: 1 },
    ],
    male: [
      [0, 0.15],
      [1, 0.03],
      [15, 0.04],
      [45, 0.06],
      [65, 0.1],
      [75, 0.17],
      [85, 0.25],
    ],
    female: [
      [0, 0.12],
      [1, 0.025],
      [15, 0.045],
      [45, 0.055],
      [65, 0.09],
      [75, 0.15],
      [85, 0.22],
    ],
    meanLos: 3,
    ambulatory: false,
    deathProb: [
      [0, 0],
      [75, 0.01],
      [85, 0.02],
    ],
    das: [],
  },
];

/** Baseline causes of death (CépiDc initial cause, CIM-10) by age band, with relative weights. */
export const BASELINE_DEATH_CAUSES: readonly {
  ageFrom: number;
  causes: readonly (readonly [string, number])[];
}[] = [
  {
    ageFrom: 0,
    causes: [
      ['P969', 3],
      ['Q899', 2],
      ['R99', 1],
    ],
  },
  {
    ageFrom: 1,
    causes: [
      ['V892', 3],
      ['X599', 2],
      ['C719', 1],
      ['C910', 1],
      ['R99', 1],
    ],
  },
  {
    ageFrom: 15,
    causes: [
      ['V892', 4],
      ['X70', 3],
      ['X599', 2],
      ['C719', 1],
      ['R99', 2],
      ['I219', 1],
    ],
  },
  {
    ageFrom: 45,
    causes: [
      ['C349', 5],
      ['C189', 2],
      ['C259', 2],
      ['C509', 2],
      ['I219', 3],
      ['I639', 2],
      ['K703', 1],
      ['X70', 1],
      ['R99', 2],
    ],
  },
  {
    ageFrom: 75,
    causes: [
      ['I219', 3],
      ['I639', 3],
      ['I509', 3],
      ['C349', 2],
      ['C189', 1],
      ['C259', 1],
      ['J189', 2],
      ['G309', 2],
      ['R54', 2],
      ['W19', 1],
      ['R99', 2],
    ],
  },
  {
    ageFrom: 90,
    causes: [
      ['R54', 4],
      ['I509', 3],
      ['I639', 2],
      ['G309', 3],
      ['J189', 2],
      ['W19', 2],
      ['R99', 2],
    ],
  },
];
