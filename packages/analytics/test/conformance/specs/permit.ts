/**
 * The permit's limits, enforced in SQL: events outside the permit period do not exist for the
 * query — not even in look-back windows — and persons outside the permit's population or opted
 * out (hygie_opt_out) are invisible.
 *
 * Permit 2020-01-01 to 2022-12-31 for women only; everyone observed 2018–2023.
 * - 1 F: E11 2019-12-15 (before the permit) and 2020-02-01: enters on 2020-02-01, and the "no
 *   diabetes in the year before" rule cannot see the 2019 event: in. One E11 in follow-up.
 * - 2 F: E11 2020-01-15 and 2020-03-01: enters on 2020-01-15; two E11 in follow-up.
 * - 3 M: E11 2020-05-05: outside the permit's population.
 * - 4 F: E11 2020-05-05, opted out.
 * - 5 F: E11 2023-02-02 only, after the permit: never enters; at risk in the population.
 */
import type { ConformanceSpec } from '../spec.js';
import { row } from '../spec.js';
import { C, World } from '../world.js';

function world(): World {
  const w = new World();
  const person = (id: number, sex: 'F' | 'M') =>
    w.person(id, { sex, born: '1960-01', place: 'paris' }).observed('2018-01-01', '2023-12-31');
  person(1, 'F').condition(C.E11, '2019-12-15').condition(C.E11, '2020-02-01');
  person(2, 'F').condition(C.E11, '2020-01-15').condition(C.E11, '2020-03-01');
  person(3, 'M').condition(C.E11, '2020-05-05');
  person(4, 'F').condition(C.E11, '2020-05-05').optOut();
  person(5, 'F').condition(C.E11, '2023-02-02');
  return w;
}

const permit = {
  period: { from: '2020-01-01', to: '2022-12-31' },
  filters: { sex: ['female' as const] },
};
const T2D = [{ name: 't2d', include: [{ vocabulary: 'CIM10' as const, code: 'E11' }] }];

export const permitSpecs: ConformanceSpec[] = [
  {
    name: 'permit: no event outside the permit period, even in look-back windows',
    world,
    permit,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2022-12-31' },
      conceptSets: T2D,
      cohort: {
        entry: { events: [{ domain: 'condition', conceptSet: 't2d' }] },
        inclusion: [
          {
            name: 'no diabetes in the year before',
            criterion: { domain: 'condition', conceptSet: 't2d' },
            window: { start: -365, end: -1 },
            max: 0,
            min: 0,
          },
        ],
      },
      measures: [
        { kind: 'person_count', name: 'persons' },
        { kind: 'event_count', name: 't2d', events: { domain: 'condition', conceptSet: 't2d' } },
      ],
    },
    expect: {
      tables: {
        persons: [row(null, { count: 2 }, 2)],
        t2d: [row(null, { events: 3 }, 2)],
      },
      attrition: [2, 2, 2],
    },
  },
  {
    name: 'permit: persons outside the population and opted-out persons are invisible',
    world,
    permit,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2022-12-31' },
      conceptSets: T2D,
      measures: [
        {
          kind: 'prevalence',
          name: 'prevalence',
          events: { domain: 'condition', conceptSet: 't2d' },
        },
        { kind: 'person_count', name: 'persons' },
      ],
    },
    // At risk: 1, 2, 5 (3 is a man, 4 opted out); cases 1 and 2.
    expect: {
      tables: {
        prevalence: [row(null, { cases: 2, population: 3, rate: (2 / 3) * 100_000 }, 3)],
        persons: [row(null, { count: 3 }, 3)],
      },
    },
  },
];
