/**
 * Incidence rates: person-time in exact days, both ends included (person-years = days / 365.25),
 * the case ending the time at risk, prevalent persons left out, washouts, person-time split
 * across calendar buckets (years, ISO weeks across a year boundary), observation periods merged,
 * and a cohort's follow-up as the time at risk.
 */
import type { ConformanceSpec } from '../spec.js';
import { row, years } from '../spec.js';
import { C, World } from '../world.js';

const T2D = [{ name: 't2d', include: [{ vocabulary: 'CIM10' as const, code: 'E11' }] }];
const PER = 100_000;

/**
 * 2020 (366 days), no washout: a case is the person's first event, on or after the start.
 *
 * - 1: observed all year, no event: 366 days.
 * - 2: E119 2020-03-10: 2020-01-01 … 2020-03-10 = 31 + 29 + 10 = 70 days, 1 case.
 * - 3: E11 2019-05-01 (before the period, in the permit) and 2020-04-01: prevalent, no time.
 * - 4: dies 2020-06-30: 31 + 29 + 31 + 30 + 31 + 30 = 182 days.
 * - 5: observed from 2020-04-01: 275 days.
 * - 6: opted out: nothing.
 * - 7: E11 2021-02-01, after the period: 366 days, no case.
 *
 * 366 + 70 + 182 + 275 + 366 = 1259 days, 1 case, 5 persons at risk.
 */
function firstEverWorld(): World {
  const w = new World();
  const person = (id: number) => w.person(id, { sex: 'F', born: '1960-01', place: 'paris' });
  person(1).observed('2019-01-01', '2023-12-31');
  person(2).observed('2019-01-01', '2023-12-31').condition(C.E119, '2020-03-10');
  person(3)
    .observed('2019-01-01', '2023-12-31')
    .condition(C.E11, '2019-05-01')
    .condition(C.E11, '2020-04-01');
  person(4).observed('2019-01-01', '2020-06-30').death('2020-06-30');
  person(5).observed('2020-04-01', '2023-12-31');
  person(6).observed('2019-01-01', '2023-12-31').condition(C.E11, '2020-02-02').optOut();
  person(7).observed('2019-01-01', '2023-12-31').condition(C.E11, '2021-02-01');
  return w;
}

/**
 * 2020, washout 365 days: an event is incident when no event precedes it by 365 days or less;
 * time at risk waits until the washout of the last earlier event is over.
 *
 * - 8: E11 2019-03-01 and 2020-06-01 (458 days apart: incident). At risk from 2019-03-01 + 366
 *   = 2020-03-01 to 2020-06-01: 31 + 30 + 31 + 1 = 93 days, 1 case.
 * - 9: E11 2019-10-01 and 2020-02-01 (123 days: not incident): at risk from 2020-02-01 + 366 =
 *   2021-02-01, after the period: no time.
 * - 10: no event: 366 days.
 * - 11: E11 2020-12-31 only: 366 days, 1 case on the last day.
 *
 * 93 + 366 + 366 = 825 days, 2 cases, 3 persons at risk.
 */
function washoutWorld(): World {
  const w = new World();
  const person = (id: number) =>
    w.person(id, { sex: 'M', born: '1950-01', place: 'lyon' }).observed('2019-01-01', '2023-12-31');
  person(8).condition(C.E11, '2019-03-01').condition(C.E11, '2020-06-01');
  person(9).condition(C.E11, '2019-10-01').condition(C.E11, '2020-02-01');
  person(10);
  person(11).condition(C.E11, '2020-12-31');
  return w;
}

/**
 * 2020–2021 by year:
 * - 1: observed throughout: 366 (2020) + 365 (2021).
 * - 2: E11 2021-01-31: 366 + 31, case in 2021.
 * - 3: observed 2020-07-01 to 2021-06-30: 184 + 181.
 * - 4: E11 2020-02-10: 41 days in 2020, case in 2020, nothing in 2021.
 * 2020: 366 + 366 + 184 + 41 = 957 days, 1 case, 4 persons; 2021: 365 + 31 + 181 = 577, 1, 3.
 */
function yearsWorld(): World {
  const w = new World();
  const person = (id: number) => w.person(id, { sex: 'F', born: '1980-01', place: 'paris' });
  person(1).observed('2019-01-01', '2023-12-31');
  person(2).observed('2019-01-01', '2023-12-31').condition(C.E11, '2021-01-31');
  person(3).observed('2020-07-01', '2021-06-30');
  person(4).observed('2019-01-01', '2023-12-31').condition(C.E11, '2020-02-10');
  return w;
}

/**
 * 2020-12-28 (a Monday) to 2021-01-10, by ISO week: 2020-W53 is 2020-12-28 … 2021-01-03,
 * 2021-W01 is 2021-01-04 … 2021-01-10.
 * - 1: observed throughout: 7 + 7.
 * - 2: E11 2021-01-03 (a Sunday, still 2020-W53): 7 days, case in 2020-W53.
 * - 3: observation ends 2021-01-05: 7 + 2.
 * - 4: E11 2021-01-04: 7 + 1, case in 2021-W01.
 * W53: 28 days, 1 case, 4 persons; W01: 7 + 2 + 1 = 10 days, 1 case, 3 persons.
 */
function weeksWorld(): World {
  const w = new World();
  const person = (id: number) => w.person(id, { sex: 'F', born: '1980-01', place: 'paris' });
  person(1).observed('2019-01-01', '2023-12-31');
  person(2).observed('2019-01-01', '2023-12-31').condition(C.E11, '2021-01-03');
  person(3).observed('2019-01-01', '2021-01-05');
  person(4).observed('2019-01-01', '2023-12-31').condition(C.E11, '2021-01-04');
  return w;
}

/**
 * 2020, observation periods merged before counting person-time, each person counted once per
 * cell however many stretches they have in it.
 * - 1: 2020-01-01…02-15 and 02-16…05-31 (adjacent) and 05-01…06-30 (overlapping): one stretch
 *   2020-01-01…06-30: Q1 91 days, Q2 91 days (May counted once); 182 days.
 * - 2: 2020-08-01…08-31 and 2020-10-15…11-15 (a gap): Q3 31 days, Q4 17 + 15 = 32 days; 63 days.
 * - 3: 2020-01-01…01-31 and 2020-03-01…03-31 (both in Q1), E11 on 2020-02-15, in the gap: the
 *   event ends the time at risk (31 days) without counting as a case (not observed), and is not
 *   a prevalent case either. Counted once in Q1.
 * By quarter: Q1 91 + 31 = 122 days, 2 persons; Q2 91, 1; Q3 31, 1; Q4 32, 1. Persons observed:
 * Q1 2 (person 3 once), Q2 1, Q3 1, Q4 1. Whole year: 182 + 63 + 31 = 276 days, 3 persons.
 */
function mergedWorld(): World {
  const w = new World();
  w.person(1, { sex: 'F', born: '1980-01', place: 'paris' })
    .observed('2020-01-01', '2020-02-15')
    .observed('2020-02-16', '2020-05-31')
    .observed('2020-05-01', '2020-06-30');
  w.person(2, { sex: 'M', born: '1980-01', place: 'paris' })
    .observed('2020-08-01', '2020-08-31')
    .observed('2020-10-15', '2020-11-15');
  w.person(3, { sex: 'M', born: '1980-01', place: 'paris' })
    .observed('2020-01-01', '2020-01-31')
    .observed('2020-03-01', '2020-03-31')
    .condition(C.E11, '2020-02-15');
  return w;
}

/**
 * A cohort entering on a first metformin dispensing (2020); incidence of insulin during
 * follow-up, no washout.
 * - 1: index 2020-03-01, glargine 2020-09-01: 2020-03-01 … 2020-09-01 = 184 + 1 = 185 days, case.
 * - 2: index 2020-05-01, glargine 2019-12-01 (before the index): prevalent, no time.
 * - 3: index 2020-11-01, no insulin: to the end of the query period, 30 + 31 = 61 days.
 * 246 days, 1 case, 2 persons.
 */
function cohortWorld(): World {
  const w = new World();
  const person = (id: number) =>
    w.person(id, { sex: 'M', born: '1950-01', place: 'lyon' }).observed('2019-01-01', '2023-12-31');
  person(1).drug(C.METFORMIN_1, '2020-03-01').drug(C.GLARGINE, '2020-09-01');
  person(2).drug(C.METFORMIN_2, '2020-05-01').drug(C.GLARGINE, '2019-12-01');
  person(3).drug(C.METFORMIN_1, '2020-11-01');
  return w;
}

const rate = (cases: number, days: number) => ({
  cases,
  person_years: years(days),
  rate: (cases / years(days)) * PER,
});

export const incidenceSpecs: ConformanceSpec[] = [
  {
    name: 'incidence: exact person-time, the case ends it, prevalent persons and opt-outs out',
    world: firstEverWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: T2D,
      measures: [
        {
          kind: 'incidence_rate',
          name: 'incidence',
          events: { domain: 'condition', conceptSet: 't2d' },
        },
      ],
    },
    expect: { tables: { incidence: [row(null, rate(1, 1259), 5)] } },
  },
  {
    name: 'incidence: washout',
    world: washoutWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: T2D,
      measures: [
        {
          kind: 'incidence_rate',
          name: 'incidence',
          events: { domain: 'condition', conceptSet: 't2d' },
          washoutDays: 365,
        },
      ],
    },
    expect: { tables: { incidence: [row(null, rate(2, 825), 3)] } },
  },
  {
    name: 'incidence: person-time split by year',
    world: yearsWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2021-12-31' },
      conceptSets: T2D,
      measures: [
        {
          kind: 'incidence_rate',
          name: 'incidence',
          events: { domain: 'condition', conceptSet: 't2d' },
        },
      ],
      stratify: ['year'],
    },
    expect: {
      tables: {
        incidence: [row({ year: '2020' }, rate(1, 957), 4), row({ year: '2021' }, rate(1, 577), 3)],
      },
    },
  },
  {
    name: 'incidence: person-time split by ISO week across a year boundary',
    world: weeksWorld,
    query: {
      version: 1,
      period: { from: '2020-12-28', to: '2021-01-10' },
      conceptSets: T2D,
      measures: [
        {
          kind: 'incidence_rate',
          name: 'incidence',
          events: { domain: 'condition', conceptSet: 't2d' },
        },
      ],
      stratify: ['week'],
    },
    expect: {
      tables: {
        incidence: [
          row({ week: '2020-W53' }, rate(1, 28), 4),
          row({ week: '2021-W01' }, rate(1, 10), 3),
        ],
      },
    },
  },
  {
    name: 'population person-time: observation periods merged, by quarter',
    world: mergedWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: T2D,
      measures: [
        {
          kind: 'incidence_rate',
          name: 'incidence',
          events: { domain: 'condition', conceptSet: 't2d' },
        },
        { kind: 'person_count', name: 'persons' },
      ],
      stratify: ['quarter'],
    },
    expect: {
      tables: {
        incidence: [
          row({ quarter: '2020-Q1' }, rate(0, 122), 2),
          row({ quarter: '2020-Q2' }, rate(0, 91), 1),
          row({ quarter: '2020-Q3' }, rate(0, 31), 1),
          row({ quarter: '2020-Q4' }, rate(0, 32), 1),
        ],
        persons: [
          row({ quarter: '2020-Q1' }, { count: 2 }, 2),
          row({ quarter: '2020-Q2' }, { count: 1 }, 1),
          row({ quarter: '2020-Q3' }, { count: 1 }, 1),
          row({ quarter: '2020-Q4' }, { count: 1 }, 1),
        ],
      },
    },
  },
  {
    name: 'population person-time: several stretches, one person',
    world: mergedWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: T2D,
      measures: [
        {
          kind: 'incidence_rate',
          name: 'incidence',
          events: { domain: 'condition', conceptSet: 't2d' },
        },
        { kind: 'person_count', name: 'persons' },
        {
          kind: 'prevalence',
          name: 'prevalence',
          events: { domain: 'condition', conceptSet: 't2d' },
        },
      ],
    },
    expect: {
      tables: {
        incidence: [row(null, rate(0, 276), 3)],
        persons: [row(null, { count: 3 }, 3)],
        prevalence: [row(null, { cases: 0, population: 3, rate: 0 }, 3)],
      },
    },
  },
  {
    name: 'incidence in a cohort: follow-up from the index, prevalent at the index out',
    world: cohortWorld,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: [
        { name: 'metformin', include: [{ vocabulary: 'ATC', code: 'A10BA02' }] },
        { name: 'insulin', include: [{ vocabulary: 'ATC', code: 'A10A' }] },
      ],
      cohort: { entry: { events: [{ domain: 'drug', conceptSet: 'metformin' }] } },
      measures: [
        {
          kind: 'incidence_rate',
          name: 'insulin',
          events: { domain: 'drug', conceptSet: 'insulin' },
        },
      ],
    },
    expect: { tables: { insulin: [row(null, rate(1, 246), 2)] }, attrition: [3, 3] },
  },
];
