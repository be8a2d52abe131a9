/**
 * Direct standardisation by 5-year age band and sex, to the European Standard Population 2013
 * and to France on 1 January 2020, computed by hand.
 *
 * Weights. Europe 2013, per 100,000 and halved between the sexes: women 40–44 7,000 / 2 →
 * 0.035; men 70–74 5,000 / 2 → 0.025. France 2020 (INSEE pyramid): women 40–44 2,113,000, men
 * 70–74 1,613,000; all women 34,531,000, all men 32,275,000, everyone 66,806,000.
 *
 * Prevalence, 2020, ages on 2020-01-01: two women born 1977-01 (43, band 40–44), one a case; two
 * men born 1948-01 (72, band 70–74), both cases. Crude 3 / 4. Stratum rates: women 40–44 0.5,
 * men 70–74 1; every other stratum has nobody and counts 0.
 *
 * - Europe: 0.035 × 0.5 + 0.025 × 1 = 0.0425 → 4,250 per 100,000.
 * - France: (2,113,000 × 0.5 + 1,613,000 × 1) / 66,806,000 = 2,669,500 / 66,806,000.
 * - By sex, weights renormalised within the sex: Europe women 0.035 × 0.5 / 0.5 = 0.035, men
 *   0.025 × 1 / 0.5 = 0.05; France women 2,113,000 × 0.5 / 34,531,000, men 1,613,000 /
 *   32,275,000.
 *
 * By age band 0–44 / 45+ (Europe): the 0–44 cell covers the 5-year bands 0–4 … 40–44 of both
 * sexes, weights (5,000 + 3 × 5,500 + 2 × 6,000 + 6,500 + 2 × 7,000) / 100,000 = 0.54, so
 * 0.035 × 0.5 / 0.54; the 45+ cell the other bands, 0.46: 0.025 × 1 / 0.46.
 *
 * Incidence, 2020 (366 days): woman 1 (E11 on 2020-03-10: 70 days, a case), woman 2 (366
 * days), man 3 (366 days). Women 40–44: 1 case / (436 / 365.25) years; men 70–74: 0. Europe:
 * 0.035 × 365.25 / 436 per person-year. Crude: 1 / (802 / 365.25).
 */
import type { ConformanceSpec } from '../spec.js';
import { row, years } from '../spec.js';
import { C, World } from '../world.js';

const T2D = [{ name: 't2d', include: [{ vocabulary: 'CIM10' as const, code: 'E11' }] }];
const PER = 100_000;

function prevalenceWorld(): World {
  const w = new World();
  const person = (id: number, sex: 'F' | 'M', born: string) =>
    w.person(id, { sex, born, place: 'paris' }).observed('2019-01-01', '2023-12-31');
  person(1, 'F', '1977-01').condition(C.E11, '2020-05-01');
  person(2, 'F', '1977-01');
  person(3, 'M', '1948-01').condition(C.E11, '2020-06-01');
  person(4, 'M', '1948-01').condition(C.E119, '2020-07-01');
  return w;
}

function incidenceWorld(): World {
  const w = new World();
  const person = (id: number, sex: 'F' | 'M', born: string) =>
    w.person(id, { sex, born, place: 'paris' }).observed('2019-01-01', '2023-12-31');
  person(1, 'F', '1977-01').condition(C.E11, '2020-03-10');
  person(2, 'F', '1977-01');
  person(3, 'M', '1948-01');
  return w;
}

const prevalenceMeasures = [
  {
    kind: 'prevalence' as const,
    name: 'europe',
    events: { domain: 'condition' as const, conceptSet: 't2d' },
    standardise: 'europe_2013' as const,
  },
  {
    kind: 'prevalence' as const,
    name: 'france',
    events: { domain: 'condition' as const, conceptSet: 't2d' },
    standardise: 'france_2020' as const,
  },
];

export const standardisationSpecs: ConformanceSpec[] = [
  {
    name: 'standardised prevalence: Europe 2013 and France 2020',
    world: prevalenceWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: T2D,
      measures: prevalenceMeasures,
    },
    expect: {
      tables: {
        europe: [
          row(
            null,
            { cases: 3, population: 4, rate: 0.75 * PER, standardised_rate: 0.0425 * PER },
            4,
          ),
        ],
        france: [
          row(
            null,
            {
              cases: 3,
              population: 4,
              rate: 0.75 * PER,
              standardised_rate: (2_669_500 / 66_806_000) * PER,
            },
            4,
          ),
        ],
      },
    },
  },
  {
    name: 'standardised prevalence by sex: weights within each sex',
    world: prevalenceWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: T2D,
      measures: prevalenceMeasures,
      stratify: ['sex'],
    },
    expect: {
      tables: {
        europe: [
          row(
            { sex: 'female' },
            { cases: 1, population: 2, rate: 0.5 * PER, standardised_rate: 0.035 * PER },
            2,
          ),
          row(
            { sex: 'male' },
            { cases: 2, population: 2, rate: PER, standardised_rate: 0.05 * PER },
            2,
          ),
        ],
        france: [
          row(
            { sex: 'female' },
            {
              cases: 1,
              population: 2,
              rate: 0.5 * PER,
              standardised_rate: ((2_113_000 * 0.5) / 34_531_000) * PER,
            },
            2,
          ),
          row(
            { sex: 'male' },
            {
              cases: 2,
              population: 2,
              rate: PER,
              standardised_rate: (1_613_000 / 32_275_000) * PER,
            },
            2,
          ),
        ],
      },
    },
  },
  {
    name: 'standardised prevalence by age band: the bands each cell covers',
    world: prevalenceWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: T2D,
      measures: [prevalenceMeasures[0]!],
      stratify: ['age_band'],
      ageBands: [0, 45],
    },
    expect: {
      tables: {
        europe: [
          row(
            { age_band: '0-44' },
            {
              cases: 1,
              population: 2,
              rate: 0.5 * PER,
              standardised_rate: ((0.035 * 0.5) / 0.54) * PER,
            },
            2,
          ),
          row(
            { age_band: '45+' },
            { cases: 2, population: 2, rate: PER, standardised_rate: (0.025 / 0.46) * PER },
            2,
          ),
        ],
      },
    },
  },
  {
    name: 'standardised incidence: Europe 2013',
    world: incidenceWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: T2D,
      measures: [
        {
          kind: 'incidence_rate',
          name: 'incidence',
          events: { domain: 'condition', conceptSet: 't2d' },
          standardise: 'europe_2013',
        },
      ],
    },
    expect: {
      tables: {
        incidence: [
          row(
            null,
            {
              cases: 1,
              person_years: years(802),
              rate: (1 / years(802)) * PER,
              standardised_rate: ((0.035 * 365.25) / 436) * PER,
            },
            3,
          ),
        ],
      },
    },
  },
];
