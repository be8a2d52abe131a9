/**
 * Distributions: number of values, mean, sample standard deviation and continuous quantiles
 * (linear interpolation between the values around (n − 1) × q) — of ages in the population and
 * of measurement values (several per person, NULL values, values outside the period or the
 * observed time left out).
 */
import type { ConformanceSpec } from '../spec.js';
import { row } from '../spec.js';
import { C, World } from '../world.js';

/**
 * Ages on 2020-01-01: 40, 50, 60, 70. Mean 55; deviations ±5, ±15: (25 + 25 + 225 + 225) / 3 =
 * 500 / 3; quartiles at positions 0.75, 1.5, 2.25: 47.5, 55, 62.5.
 */
function ageWorld(): World {
  const w = new World();
  ['1980-01', '1970-01', '1960-01', '1950-01'].forEach((born, i) =>
    w.person(i + 1, { sex: 'F', born, place: 'paris' }).observed('2019-01-01', '2023-12-31'),
  );
  return w;
}

/**
 * HbA1c in 2020: person 1: 5, 6; person 2: 7; person 3: 8, 10 and one without a value; person
 * 4: 99 in 2018 (before the permit), 50 in 2021 (after the period); person 5 (observed in
 * January 2020 only): 30 on 2020-02-15. Values 5 6 7 8 10: n 5, 3 persons, mean 36 / 5 = 7.2,
 * deviations −2.2 −1.2 −0.2 0.8 2.8, squares 4.84 + 1.44 + 0.04 + 0.64 + 7.84 = 14.8, sample
 * variance 3.7; quartiles at positions 1, 2, 3: 6, 7, 8.
 */
function measurementWorld(): World {
  const w = new World();
  const person = (id: number) => w.person(id, { sex: 'M', born: '1960-01', place: 'lyon' });
  person(1)
    .observed('2019-01-01', '2023-12-31')
    .measurement(C.HBA1C, '2020-02-01', 5)
    .measurement(C.HBA1C, '2020-03-01', 6);
  person(2).observed('2019-01-01', '2023-12-31').measurement(C.HBA1C, '2020-04-01', 7);
  person(3)
    .observed('2019-01-01', '2023-12-31')
    .measurement(C.HBA1C, '2020-05-01', 8)
    .measurement(C.HBA1C, '2020-06-01', 10)
    .measurement(C.HBA1C, '2020-07-01', null);
  person(4)
    .observed('2018-01-01', '2023-12-31')
    .measurement(C.HBA1C, '2018-05-05', 99)
    .measurement(C.HBA1C, '2021-01-01', 50);
  person(5).observed('2020-01-01', '2020-01-31').measurement(C.HBA1C, '2020-02-15', 30);
  return w;
}

export const distributionSpecs: ConformanceSpec[] = [
  {
    name: 'distribution: ages in the population',
    world: ageWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      measures: [{ kind: 'distribution', name: 'age', variable: { of: 'age' } }],
    },
    expect: {
      tables: {
        age: [
          row(null, { n: 4, mean: 55, sd: Math.sqrt(500 / 3), p25: 47.5, p50: 55, p75: 62.5 }, 4),
        ],
      },
    },
  },
  {
    name: 'distribution: measurement values',
    world: measurementWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: [{ name: 'hba1c', include: [{ vocabulary: 'LOINC', code: '4548-4' }] }],
      measures: [
        {
          kind: 'distribution',
          name: 'hba1c',
          variable: {
            of: 'measurement_value',
            events: { domain: 'measurement', conceptSet: 'hba1c' },
          },
        },
      ],
    },
    expect: {
      tables: {
        hba1c: [row(null, { n: 5, mean: 7.2, sd: Math.sqrt(3.7), p25: 6, p50: 7, p75: 8 }, 3)],
      },
    },
  },
];
