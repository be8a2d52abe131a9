/**
 * Period prevalence: persons with an event during their time at risk in the period over the
 * persons at risk in it; by sex; by year with the age at the start of each year (newborns aged 0).
 */
import type { ConformanceSpec } from '../spec.js';
import { row } from '../spec.js';
import { C, World } from '../world.js';

const T2D = [{ name: 't2d', include: [{ vocabulary: 'CIM10' as const, code: 'E11' }] }];

/**
 * 2020, by sex.
 * - 1 F: E119 2020-05-05: case. 2 F: no event.
 * - 3 M: E11 2019-02-02 only, before the period: not a case.
 * - 4 M: observed 2020-03-01 … 04-30, E11 2020-06-01 while not observed: not a case (at risk).
 * - 5 M: E110 and death on 2020-01-01: case (the death day is still at risk).
 * - 6 M: observation ends 2019-12-31: not at risk in 2020.
 * Women 1 / 2 → 500 per 1,000; men 1 / 3 → 333.3 per 1,000.
 */
function sexWorld(): World {
  const w = new World();
  w.person(1, { sex: 'F', born: '1960-01', place: 'paris' })
    .observed('2019-01-01', '2023-12-31')
    .condition(C.E119, '2020-05-05');
  w.person(2, { sex: 'F', born: '1960-01', place: 'paris' }).observed('2019-01-01', '2023-12-31');
  w.person(3, { sex: 'M', born: '1960-01', place: 'paris' })
    .observed('2019-01-01', '2023-12-31')
    .condition(C.E11, '2019-02-02');
  w.person(4, { sex: 'M', born: '1960-01', place: 'paris' })
    .observed('2020-03-01', '2020-04-30')
    .condition(C.E11, '2020-06-01');
  w.person(5, { sex: 'M', born: '1960-01', place: 'paris' })
    .observed('2019-01-01', '2023-12-31')
    .condition(C.E110, '2020-01-01')
    .death('2020-01-01');
  w.person(6, { sex: 'M', born: '1960-01', place: 'paris' })
    .observed('2019-01-01', '2019-12-31')
    .condition(C.E11, '2020-02-02');
  return w;
}

/**
 * 2020–2021 by year and age band (0–39, 40+), age at the start of each year.
 * - 1: born 1980-06: 39 on 2020-01-01, 40 on 2021-01-01; E11 in 2020-03-03 and 2021-03-03.
 * - 2: born 1960-01: 60 and 61; no event.
 * - 3: born 2020-05, observed from 2020-05-01: "−1" on 2020-01-01 counts as 0; E11 2021-07-07.
 * 2020: 0–39 {1 case, 3} → 1 / 2; 40+ {2} → 0 / 1. 2021: 0–39 {3 case} → 1 / 1; 40+ {1 case, 2}
 * → 1 / 2.
 */
function yearAgeWorld(): World {
  const w = new World();
  w.person(1, { sex: 'F', born: '1980-06', place: 'paris' })
    .observed('2019-01-01', '2023-12-31')
    .condition(C.E11, '2020-03-03')
    .condition(C.E11, '2021-03-03');
  w.person(2, { sex: 'M', born: '1960-01', place: 'paris' }).observed('2019-01-01', '2023-12-31');
  w.person(3, { sex: 'F', born: '2020-05', place: 'paris' })
    .observed('2020-05-01', '2023-12-31')
    .condition(C.E11, '2021-07-07');
  return w;
}

const prevalence = (cases: number, population: number, per: number) => ({
  cases,
  population,
  rate: (cases / population) * per,
});

export const prevalenceSpecs: ConformanceSpec[] = [
  {
    name: 'prevalence: events during time at risk, by sex',
    world: sexWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: T2D,
      measures: [
        {
          kind: 'prevalence',
          name: 'prevalence',
          events: { domain: 'condition', conceptSet: 't2d' },
          per: 1000,
        },
      ],
      stratify: ['sex'],
    },
    expect: {
      tables: {
        prevalence: [
          row({ sex: 'female' }, prevalence(1, 2, 1000), 2),
          row({ sex: 'male' }, prevalence(1, 3, 1000), 3),
        ],
      },
    },
  },
  {
    name: 'prevalence: by year and age band at the start of the year',
    world: yearAgeWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2021-12-31' },
      conceptSets: T2D,
      measures: [
        {
          kind: 'prevalence',
          name: 'prevalence',
          events: { domain: 'condition', conceptSet: 't2d' },
          per: 1000,
        },
      ],
      stratify: ['year', 'age_band'],
      ageBands: [0, 40],
    },
    expect: {
      tables: {
        prevalence: [
          row({ year: '2020', age_band: '0-39' }, prevalence(1, 2, 1000), 2),
          row({ year: '2020', age_band: '40+' }, prevalence(0, 1, 1000), 1),
          row({ year: '2021', age_band: '0-39' }, prevalence(1, 1, 1000), 1),
          row({ year: '2021', age_band: '40+' }, prevalence(1, 2, 1000), 2),
        ],
      },
    },
  },
];
