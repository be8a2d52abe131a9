/**
 * Demographics at the index date and the person strata: age at its boundaries (birth on the 1st
 * of the birth month, July when the month is unknown), sex, département and région of residence,
 * unknown sex and unknown residence as NULL strata, each demographic condition an attrition step.
 *
 * Everyone is observed 2019–2023 and enters on their only E11 condition (query period 2020–2022):
 *
 * | person | sex | born    | residence     | index      | age at index              |
 * | ------ | --- | ------- | ------------- | ---------- | ------------------------- |
 * | 1      | F   | 1971-03 | 75 / 11       | 2021-02-28 | 49 (birthday in March)    |
 * | 2      | F   | 1971-03 | 75 / 11       | 2021-03-01 | 50                        |
 * | 3      | M   | 1971    | 69 / 84       | 2021-06-30 | 49 (month unknown: July)  |
 * | 4      | M   | 1971    | 69 / 84       | 2021-07-01 | 50                        |
 * | 5      | M   | 1950-12 | 13 / 93       | 2021-01-15 | 70                        |
 * | 6      | ?   | 1960-05 | 2A / 94       | 2021-05-01 | 61                        |
 * | 7      | F   | 1965-01 | none          | 2021-05-01 | 56                        |
 * | 8      | F   | 1940-01 | 38 / 84       | 2021-09-09 | 81                        |
 */
import type { QueryInput } from '@hygie/core';
import type { ConformanceSpec } from '../spec.js';
import { row } from '../spec.js';
import { C, World } from '../world.js';
import type { PersonSpec } from '../world.js';

function world(): World {
  const w = new World();
  const person = (id: number, spec: PersonSpec, index: string) =>
    w.person(id, spec).observed('2019-01-01', '2023-12-31').condition(C.E11, index);
  person(1, { sex: 'F', born: '1971-03', place: 'paris' }, '2021-02-28');
  person(2, { sex: 'F', born: '1971-03', place: 'paris' }, '2021-03-01');
  person(3, { sex: 'M', born: '1971', place: 'lyon' }, '2021-06-30');
  person(4, { sex: 'M', born: '1971', place: 'lyon' }, '2021-07-01');
  person(5, { sex: 'M', born: '1950-12', place: 'marseille' }, '2021-01-15');
  person(6, { sex: 'U', born: '1960-05', place: 'ajaccio' }, '2021-05-01');
  person(7, { sex: 'F', born: '1965-01' }, '2021-05-01');
  person(8, { sex: 'F', born: '1940-01', place: 'grenoble' }, '2021-09-09');
  return w;
}

function query(cohort: Record<string, unknown>, rest: Partial<QueryInput>): QueryInput {
  return {
    version: 1,
    period: { from: '2020-01-01', to: '2022-12-31' },
    conceptSets: [{ name: 't2d', include: [{ vocabulary: 'CIM10', code: 'E11' }] }],
    cohort: { entry: { events: [{ domain: 'condition', conceptSet: 't2d' }] }, ...cohort },
    measures: [{ kind: 'person_count', name: 'persons' }],
    ...rest,
  };
}

export const demographicSpecs: ConformanceSpec[] = [
  {
    name: 'demographics: age at index boundaries, sex, départements; strata',
    world,
    query: query(
      {
        demographics: {
          ageAtIndex: { min: 50, max: 80 },
          sex: ['female', 'male'],
          departements: ['75', '69', '13'],
        },
      },
      { stratify: ['sex', 'age_band', 'departement'], ageBands: [0, 50, 65] },
    ),
    // Age 50–80: 2 4 5 6 7 (1 and 3 are 49, 8 is 81); sex known: 2 4 5 7; département listed:
    // 2 (75), 4 (69), 5 (13) — 7 has no residence.
    expect: {
      tables: {
        persons: [
          row({ sex: 'female', age_band: '50-64', departement: '75' }, { count: 1 }, 1),
          row({ sex: 'male', age_band: '50-64', departement: '69' }, { count: 1 }, 1),
          row({ sex: 'male', age_band: '65+', departement: '13' }, { count: 1 }, 1),
        ],
      },
      attrition: [8, 8, 5, 4, 3],
    },
  },
  {
    name: 'demographics: régions',
    world,
    query: query({ demographics: { regions: ['84'] } }, { stratify: ['region', 'sex'] }),
    // Région 84: 3 and 4 (Lyon), 8 (Grenoble).
    expect: {
      tables: {
        persons: [
          row({ region: '84', sex: 'female' }, { count: 1 }, 1),
          row({ region: '84', sex: 'male' }, { count: 2 }, 2),
        ],
      },
      attrition: [8, 8, 3],
    },
  },
  {
    name: 'strata: unknown sex and unknown residence are NULL, sorted last',
    world,
    query: query({}, { stratify: ['sex', 'region'] }),
    // Women: 1 2 (11), 8 (84), 7 (none); men: 3 4 (84), 5 (93); unknown sex: 6 (94).
    expect: {
      tables: {
        persons: [
          row({ sex: 'female', region: '11' }, { count: 2 }, 2),
          row({ sex: 'female', region: '84' }, { count: 1 }, 1),
          row({ sex: 'female', region: null }, { count: 1 }, 1),
          row({ sex: 'male', region: '84' }, { count: 2 }, 2),
          row({ sex: 'male', region: '93' }, { count: 1 }, 1),
          row({ sex: null, region: '94' }, { count: 1 }, 1),
        ],
      },
      attrition: [8, 8],
    },
  },
];

/**
 * Ages at index of the eight persons: 49 49 50 50 56 61 70 81. Sum 466, mean 58.25; squared
 * deviations 2 × 85.5625 + 2 × 68.0625 + 5.0625 + 7.5625 + 138.0625 + 517.5625 = 975.5, sample
 * variance 975.5 / 7; quantiles at positions 1.75, 3.5, 5.25: 49.75, 53, 63.25.
 */
demographicSpecs.push({
  name: 'distribution: age at index in a cohort',
  world,
  query: query({}, { measures: [{ kind: 'distribution', name: 'age', variable: { of: 'age' } }] }),
  expect: {
    tables: {
      age: [
        row(
          null,
          { n: 8, mean: 58.25, sd: Math.sqrt(975.5 / 7), p25: 49.75, p50: 53, p75: 63.25 },
          8,
        ),
      ],
    },
    attrition: [8, 8],
  },
});
