/**
 * Cohort entry: `first` (the first event the permit shows, kept only inside the entry window)
 * against `all` (the first event inside the window); an explicit entry period; index dates
 * outside the query period still labelled by their own calendar period.
 *
 * Permit 2019–2023, query period 2020–2022, everyone observed 2019–2023, t2d = E11 and below.
 * - 1: E119 2019-05-01, E110 2020-03-01 → first: 2019-05-01, before the window: out; all: 2020-03-01.
 * - 2: E119 2018-06-01 (before the permit: invisible), E119 2020-07-01 → both: 2020-07-01.
 * - 3: E11 2021-02-02 → both: 2021-02-02.
 * - 4: E11 2023-03-03 → after the window: out of both.
 * - 5: I10 only → never enters.
 * - 6: E119 2022-12-31 → last day of the window: in both.
 */
import type { QueryInput } from '@hygie/core';
import type { ConformanceSpec } from '../spec.js';
import { row } from '../spec.js';
import { C, World } from '../world.js';

function world(): World {
  const w = new World();
  const observed = (id: number) =>
    w
      .person(id, { sex: 'F', born: '1960-01', place: 'paris' })
      .observed('2019-01-01', '2023-12-31');
  observed(1).condition(C.E119, '2019-05-01').condition(C.E110, '2020-03-01');
  observed(2).condition(C.E119, '2018-06-01').condition(C.E119, '2020-07-01');
  observed(3).condition(C.E11, '2021-02-02');
  observed(4).condition(C.E11, '2023-03-03');
  observed(5).condition(C.I10, '2020-01-01');
  observed(6).condition(C.E119, '2022-12-31');
  return w;
}

function query(entry: Record<string, unknown>): QueryInput {
  return {
    version: 1,
    period: { from: '2020-01-01', to: '2022-12-31' },
    conceptSets: [{ name: 't2d', include: [{ vocabulary: 'CIM10', code: 'E11' }] }],
    cohort: { entry: { events: [{ domain: 'condition', conceptSet: 't2d' }], ...entry } },
    measures: [{ kind: 'person_count', name: 'persons' }],
    stratify: ['year'],
  };
}

export const cohortEntrySpecs: ConformanceSpec[] = [
  {
    name: 'cohort entry: first event in the permit data, inside the window',
    world,
    query: query({ occurrence: 'first' }),
    // Persons 2 (2020), 3 (2021), 6 (2022); observation keeps all three.
    expect: {
      tables: {
        persons: [
          row({ year: '2020' }, { count: 1 }, 1),
          row({ year: '2021' }, { count: 1 }, 1),
          row({ year: '2022' }, { count: 1 }, 1),
        ],
      },
      attrition: [3, 3],
    },
  },
  {
    name: 'cohort entry: all events, the first inside the window',
    world,
    query: query({ occurrence: 'all' }),
    // Persons 1 and 2 (2020), 3 (2021), 6 (2022).
    expect: {
      tables: {
        persons: [
          row({ year: '2020' }, { count: 2 }, 2),
          row({ year: '2021' }, { count: 1 }, 1),
          row({ year: '2022' }, { count: 1 }, 1),
        ],
      },
      attrition: [4, 4],
    },
  },
  {
    name: 'cohort entry: an entry period before the query period',
    world,
    query: query({ occurrence: 'first', period: { from: '2019-01-01', to: '2019-12-31' } }),
    // Person 1 only (first event 2019-05-01); person 2's 2018 event is invisible, so their
    // first event is 2020-07-01, outside this entry period. Labelled by the index date: 2019.
    expect: {
      tables: { persons: [row({ year: '2019' }, { count: 1 }, 1)] },
      attrition: [1, 1],
    },
  },
];
