/**
 * Prior observation (its boundary, observation before the permit not counted, overlapping
 * periods joined) and the exit from the cohort (by days, death, end of observation, end of the
 * permit), seen through follow-up days and event counts during follow-up.
 */
import type { ConformanceSpec } from '../spec.js';
import { row } from '../spec.js';
import { C, World } from '../world.js';

/**
 * Permit 2019-07-01 to 2023-12-31, 365 days of prior observation required.
 *
 * - 1: observed from 2020-01-01, index 2020-12-31: 2020-12-31 − 365 = 2020-01-01 (leap year): in.
 * - 2: observed from 2020-01-02, index 2020-12-31: one day short: out.
 * - 3: observed from 2017, index 2020-06-01 (− 365 = 2019-06-02), but the permit starts on
 *   2019-07-01 and observation counts from there: out.
 * - 4: observed from 2017, index 2020-07-01 (− 365 = 2019-07-02 ≥ 2019-07-01): in.
 * - 5: observed 2019-01-01 to 2020-03-31, index 2020-05-01 in no observation period: out.
 * - 6: observed 2019-06-01 to 2020-12-31 and 2020-01-01 to 2022-12-31 (two sources), index
 *   2020-08-01 (− 365 = 2019-08-02): in, observed until 2022-12-31.
 *
 * Follow-up days (exit at the end of observation, the permit's end at the latest):
 * 1: 2020-12-31 → 2023-12-31 = 1095; 4: 2020-07-01 → 2023-12-31 = 365 + 730 + 183 = 1278;
 * 6: 2020-08-01 → 2022-12-31 = 730 + 152 = 882. Mean 3255 / 3 = 1085; deviations 10, 193, −203;
 * squares 100 + 37249 + 41209 = 78558; sample variance 78558 / 2 = 39279; median 1095.
 */
function priorWorld(): World {
  const w = new World();
  const person = (id: number) => w.person(id, { sex: 'F', born: '1960-01', place: 'paris' });
  person(1).observed('2020-01-01', '2023-12-31').condition(C.E11, '2020-12-31');
  person(2).observed('2020-01-02', '2023-12-31').condition(C.E11, '2020-12-31');
  person(3).observed('2017-01-01', '2023-12-31').condition(C.E11, '2020-06-01');
  person(4).observed('2017-01-01', '2023-12-31').condition(C.E11, '2020-07-01');
  person(5).observed('2019-01-01', '2020-03-31').condition(C.E11, '2020-05-01');
  person(6)
    .observed('2019-06-01', '2020-12-31')
    .observed('2020-01-01', '2022-12-31')
    .condition(C.E11, '2020-08-01');
  return w;
}

/**
 * Permit 2019-01-01 to 2023-06-30, query period 2020–2022, exit 365 days after the index at the
 * latest; one person per département, so each row is one person's follow-up.
 *
 * - 75: index 2020-01-10, observed to 2023: exit by days, 2021-01-09 (2020 is a leap year): 365
 *   days. I10 on 2020-01-10 (the index day, counted), 2021-01-09 (the exit day, counted),
 *   2021-01-10 (after the exit): 2 events.
 * - 69: index 2020-03-01, death 2020-05-01: 61 days.
 * - 13: index 2020-02-01, observation ends 2020-02-20: 19 days.
 * - 2A: index 2022-12-01, observed to 2025: exit at the permit's end 2023-06-30 (before
 *   2023-12-01): 211 days. I10 on 2022-12-31 (counted) and 2023-01-02 (in follow-up but after
 *   the query period): 1 event.
 * - 38: index 2020-06-15, death the same day: 0 days.
 */
function exitWorld(): World {
  const w = new World();
  w.person(1, { sex: 'F', born: '1960-01', place: 'paris' })
    .observed('2019-01-01', '2023-12-31')
    .condition(C.E11, '2020-01-10')
    .condition(C.I10, '2020-01-10')
    .condition(C.I10, '2021-01-09')
    .condition(C.I10, '2021-01-10');
  w.person(2, { sex: 'F', born: '1960-01', place: 'lyon' })
    .observed('2019-01-01', '2023-12-31')
    .condition(C.E11, '2020-03-01')
    .death('2020-05-01');
  w.person(3, { sex: 'F', born: '1960-01', place: 'marseille' })
    .observed('2019-01-01', '2020-02-20')
    .condition(C.E11, '2020-02-01');
  w.person(4, { sex: 'F', born: '1960-01', place: 'ajaccio' })
    .observed('2019-01-01', '2025-12-31')
    .condition(C.E11, '2022-12-01')
    .condition(C.I10, '2022-12-31')
    .condition(C.I10, '2023-01-02');
  w.person(5, { sex: 'F', born: '1960-01', place: 'grenoble' })
    .observed('2019-01-01', '2023-12-31')
    .condition(C.E11, '2020-06-15')
    .death('2020-06-15');
  return w;
}

const followUp = (days: number) => ({ n: 1, mean: days, sd: null, p50: days });

/**
 * The population observed during the query period 2020–2021 (permit 2019–2023), no cohort:
 *
 * | person | sex | born    | observed                                    | death      | counted |
 * | ------ | --- | ------- | ------------------------------------------- | ---------- | ------- |
 * | 1      | F   | 1960-02 | 2018–2019                                   |            | no      |
 * | 2      | F   | 1960-02 | 2018–2019, 2021-06-01 to 2022-12-31         |            | 2021    |
 * | 3      | F   | 1960-02 | 2019-01-01 to 2020-06-30, 2020-03-01 to 2023 |            | both    |
 * | 4      | M   | 1960    | 2018–2023                                   | 2019-06-01 | no      |
 * | 5      | M   | 1960    | 2018–2023                                   | 2020-01-01 | 2020    |
 * | 6      | M   | 1950-01 | 2021-12-31 to 2023                          |            | 2021    |
 * | 7      | M   | 1950-01 | 2022-01-01 to 2023                          |            | no      |
 * | 8      | F   | 1960-01 | 2018–2023                                   | 2021-05-05 | both    |
 *
 * Ages on 2020-01-01 (the period's start, age bands 0–59 and 60+): 2 and 3 are 59, 5 is 59 (born
 * in July, month unknown), 6 is 69, 8 is 60. On 2021-01-01: 2, 3 and 5 are 60, 6 is 70, 8 is 61.
 */
function observedWorld(): World {
  const w = new World();
  const person = (id: number, sex: 'F' | 'M', born: string) =>
    w.person(id, { sex, born, place: 'paris' });
  person(1, 'F', '1960-02').observed('2018-01-01', '2019-12-31');
  person(2, 'F', '1960-02')
    .observed('2018-01-01', '2019-12-31')
    .observed('2021-06-01', '2022-12-31');
  person(3, 'F', '1960-02')
    .observed('2019-01-01', '2020-06-30')
    .observed('2020-03-01', '2023-12-31');
  person(4, 'M', '1960').observed('2018-01-01', '2023-12-31').death('2019-06-01');
  person(5, 'M', '1960').observed('2018-01-01', '2023-12-31').death('2020-01-01');
  person(6, 'M', '1950-01').observed('2021-12-31', '2023-12-31');
  person(7, 'M', '1950-01').observed('2022-01-01', '2023-12-31');
  person(8, 'F', '1960-01').observed('2018-01-01', '2023-12-31').death('2021-05-05');
  return w;
}

export const observationAndExitSpecs: ConformanceSpec[] = [
  {
    name: 'prior observation: boundary, permit start, overlapping periods',
    world: priorWorld,
    permit: { period: { from: '2019-07-01', to: '2023-12-31' } },
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2022-12-31' },
      conceptSets: [{ name: 't2d', include: [{ vocabulary: 'CIM10', code: 'E11' }] }],
      cohort: {
        entry: { events: [{ domain: 'condition', conceptSet: 't2d' }] },
        priorObservationDays: 365,
      },
      measures: [
        { kind: 'person_count', name: 'persons' },
        {
          kind: 'distribution',
          name: 'follow_up',
          variable: { of: 'follow_up_days' },
          quantiles: [0.5],
        },
      ],
    },
    expect: {
      tables: {
        persons: [row(null, { count: 3 }, 3)],
        follow_up: [row(null, { n: 3, mean: 1085, sd: Math.sqrt(39279), p50: 1095 }, 3)],
      },
      attrition: [6, 3],
    },
  },
  {
    name: 'exit: by days, death, end of observation, end of the permit',
    world: exitWorld,
    permit: { period: { from: '2019-01-01', to: '2023-06-30' } },
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2022-12-31' },
      conceptSets: [
        { name: 't2d', include: [{ vocabulary: 'CIM10', code: 'E11' }] },
        { name: 'hypertension', include: [{ vocabulary: 'CIM10', code: 'I10' }] },
      ],
      cohort: {
        entry: { events: [{ domain: 'condition', conceptSet: 't2d' }] },
        exit: { days: 365 },
      },
      measures: [
        {
          kind: 'distribution',
          name: 'follow_up',
          variable: { of: 'follow_up_days' },
          quantiles: [0.5],
        },
        {
          kind: 'event_count',
          name: 'hypertension',
          events: { domain: 'condition', conceptSet: 'hypertension' },
        },
      ],
      stratify: ['departement'],
    },
    expect: {
      tables: {
        follow_up: [
          row({ departement: '13' }, followUp(19), 1),
          row({ departement: '2A' }, followUp(211), 1),
          row({ departement: '38' }, followUp(0), 1),
          row({ departement: '69' }, followUp(61), 1),
          row({ departement: '75' }, followUp(365), 1),
        ],
        hypertension: [
          row({ departement: '2A' }, { events: 1 }, 1),
          row({ departement: '75' }, { events: 2 }, 1),
        ],
      },
      attrition: [5, 5],
    },
  },
  {
    name: 'population person count: observed in the period, once, never after death',
    world: observedWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2021-12-31' },
      measures: [{ kind: 'person_count', name: 'persons' }],
      stratify: ['sex', 'age_band'],
      ageBands: [0, 60],
    },
    // Counted: 2, 3, 5, 6, 8; aged on 2020-01-01.
    expect: {
      tables: {
        persons: [
          row({ sex: 'female', age_band: '0-59' }, { count: 2 }, 2),
          row({ sex: 'female', age_band: '60+' }, { count: 1 }, 1),
          row({ sex: 'male', age_band: '0-59' }, { count: 1 }, 1),
          row({ sex: 'male', age_band: '60+' }, { count: 1 }, 1),
        ],
      },
    },
  },
  {
    name: 'population person count by year: observed in each year, aged at its start',
    world: observedWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2021-12-31' },
      measures: [{ kind: 'person_count', name: 'persons' }],
      stratify: ['year', 'sex', 'age_band'],
      ageBands: [0, 60],
    },
    // 2020: 3 (59), 8 (60), 5 (59); 2021: 2, 3, 8 (60, 60, 61), 6 (70).
    expect: {
      tables: {
        persons: [
          row({ year: '2020', sex: 'female', age_band: '0-59' }, { count: 1 }, 1),
          row({ year: '2020', sex: 'female', age_band: '60+' }, { count: 1 }, 1),
          row({ year: '2020', sex: 'male', age_band: '0-59' }, { count: 1 }, 1),
          row({ year: '2021', sex: 'female', age_band: '60+' }, { count: 3 }, 3),
          row({ year: '2021', sex: 'male', age_band: '60+' }, { count: 1 }, 1),
        ],
      },
    },
  },
];
