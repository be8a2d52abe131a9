/**
 * Calendar dimensions: years, quarters, months, ISO weeks (Monday to Sunday, across a year
 * boundary) and days — on event dates (event counts) and on index dates (cohort person counts).
 *
 * One person observed 2019–2023 with E11 on 2020-02-29 (Saturday of 2020-W09), 2020-03-31 and
 * 2020-04-01 (Tuesday and Wednesday of 2020-W14), 2020-12-31 (Thursday of 2020-W53),
 * 2021-01-03 (Sunday, still 2020-W53) and 2021-01-04 (Monday of 2021-W01).
 */
import type { QueryInput, StratificationDimension } from '@hygie/core';
import type { ConformanceSpec, ExpectedRow } from '../spec.js';
import { row } from '../spec.js';
import { C, World } from '../world.js';

const DATES = ['2020-02-29', '2020-03-31', '2020-04-01', '2020-12-31', '2021-01-03', '2021-01-04'];

function eventWorld(): World {
  const w = new World();
  const p = w
    .person(1, { sex: 'F', born: '1960-01', place: 'paris' })
    .observed('2019-01-01', '2023-12-31');
  for (const d of DATES) p.condition(C.E11, d);
  return w;
}

function eventQuery(
  dimension: StratificationDimension,
  from = '2020-01-01',
  to = '2021-12-31',
): QueryInput {
  return {
    version: 1,
    period: { from, to },
    conceptSets: [{ name: 't2d', include: [{ vocabulary: 'CIM10', code: 'E11' }] }],
    measures: [
      { kind: 'event_count', name: 'events', events: { domain: 'condition', conceptSet: 't2d' } },
    ],
    stratify: [dimension],
  };
}

function counts(dimension: string, cells: readonly (readonly [string, number])[]): ExpectedRow[] {
  return cells.map(([label, events]) => row({ [dimension]: label }, { events }, 1));
}

/** Three persons entering on their first E11: 2020-12-31, 2021-01-03, 2021-01-04. */
function cohortWorld(): World {
  const w = new World();
  ['2020-12-31', '2021-01-03', '2021-01-04'].forEach((d, i) =>
    w
      .person(i + 1, { sex: 'F', born: '1960-01', place: 'paris' })
      .observed('2019-01-01', '2023-12-31')
      .condition(C.E11, d),
  );
  return w;
}

function cohortQuery(dimension: StratificationDimension): QueryInput {
  return {
    version: 1,
    period: { from: '2020-12-01', to: '2021-01-31' },
    conceptSets: [{ name: 't2d', include: [{ vocabulary: 'CIM10', code: 'E11' }] }],
    cohort: { entry: { events: [{ domain: 'condition', conceptSet: 't2d' }] } },
    measures: [{ kind: 'person_count', name: 'persons' }],
    stratify: [dimension],
  };
}

function persons(dimension: string, cells: readonly (readonly [string, number])[]): ExpectedRow[] {
  return cells.map(([label, n]) => row({ [dimension]: label }, { count: n }, n));
}

export const calendarSpecs: ConformanceSpec[] = [
  {
    name: 'calendar: events by year',
    world: eventWorld,
    query: eventQuery('year'),
    expect: {
      tables: {
        events: counts('year', [
          ['2020', 4],
          ['2021', 2],
        ]),
      },
    },
  },
  {
    name: 'calendar: events by quarter',
    world: eventWorld,
    query: eventQuery('quarter'),
    expect: {
      tables: {
        events: counts('quarter', [
          ['2020-Q1', 2],
          ['2020-Q2', 1],
          ['2020-Q4', 1],
          ['2021-Q1', 2],
        ]),
      },
    },
  },
  {
    name: 'calendar: events by month',
    world: eventWorld,
    query: eventQuery('month'),
    expect: {
      tables: {
        events: counts('month', [
          ['2020-02', 1],
          ['2020-03', 1],
          ['2020-04', 1],
          ['2020-12', 1],
          ['2021-01', 2],
        ]),
      },
    },
  },
  {
    name: 'calendar: events by ISO week across a year boundary',
    world: eventWorld,
    query: eventQuery('week'),
    expect: {
      tables: {
        events: counts('week', [
          ['2020-W09', 1],
          ['2020-W14', 2],
          ['2020-W53', 2],
          ['2021-W01', 1],
        ]),
      },
    },
  },
  {
    name: 'calendar: events by day',
    world: eventWorld,
    query: eventQuery('day', '2020-12-25', '2021-01-10'),
    expect: {
      tables: {
        events: counts('day', [
          ['2020-12-31', 1],
          ['2021-01-03', 1],
          ['2021-01-04', 1],
        ]),
      },
    },
  },
  {
    name: 'calendar: cohort index dates by ISO week',
    world: cohortWorld,
    query: cohortQuery('week'),
    expect: {
      tables: {
        persons: persons('week', [
          ['2020-W53', 2],
          ['2021-W01', 1],
        ]),
      },
      attrition: [3, 3],
    },
  },
  {
    name: 'calendar: cohort index dates by quarter',
    world: cohortWorld,
    query: cohortQuery('quarter'),
    expect: {
      tables: {
        persons: persons('quarter', [
          ['2020-Q4', 1],
          ['2021-Q1', 2],
        ]),
      },
      attrition: [3, 3],
    },
  },
  {
    name: 'calendar: cohort index dates by day',
    world: cohortWorld,
    query: cohortQuery('day'),
    expect: {
      tables: {
        persons: persons('day', [
          ['2020-12-31', 1],
          ['2021-01-03', 1],
          ['2021-01-04', 1],
        ]),
      },
      attrition: [3, 3],
    },
  },
];
