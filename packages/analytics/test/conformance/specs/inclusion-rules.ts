/**
 * Inclusion rules: windows relative to the index date with both ends included (day −365 and day
 * 0 in, day −366 and day +1 out), "none" rules (max 0), minimum and maximum occurrences, and the
 * attrition report step by step.
 *
 * Everyone (observed 2019–2023) enters on a metformin dispensing on 2021-03-01; 2021-03-01 − 365
 * days = 2020-03-01 (the year between holds no 29 February), −30 days = 2021-01-30, +30 days =
 * 2021-03-31.
 *
 * | person | I10 (rule 1: [−365, 0], ≥ 1) | insulin (rule 2: [−365, −1], none) | visits (rule 3: [−30, 30], exactly 2) |
 * | ------ | ----------------------------- | ----------------------------------- | -------------------------------------- |
 * | 1      | 2020-03-01, day −365: in      | none: in                            | 2021-01-30, 2021-03-31: 2, in          |
 * | 2      | 2020-02-29, day −366: out     |                                     |                                        |
 * | 3      | 2021-03-01, day 0: in         | none: in                            | 2021-01-29 (day −31), 2021-03-31: 1, out |
 * | 4      | 2021-03-02, day +1: out       |                                     |                                        |
 * | 5      | 2020-06-01: in                | 2021-01-01: out                     |                                        |
 * | 6      | 2020-07-01: in                | 2021-03-01, day 0 (outside): in     | 03-01, 03-02, 03-03: 3, out            |
 * | 7      | 2020-08-01: in                | 2020-02-29, day −366 (outside): in  | 2021-02-28, 2021-03-01: 2, in          |
 *
 * Attrition: 7 entered, 7 observed, rule 1 keeps 1 3 5 6 7 (5), rule 2 drops 5 (4), rule 3 keeps
 * 1 and 7 (2).
 */
import type { ConformanceSpec } from '../spec.js';
import { row } from '../spec.js';
import { C, World } from '../world.js';

function world(): World {
  const w = new World();
  const person = (id: number) =>
    w
      .person(id, { sex: 'M', born: '1950-01', place: 'lyon' })
      .observed('2019-01-01', '2023-12-31')
      .drug(C.METFORMIN_1, '2021-03-01');
  person(1)
    .condition(C.I10, '2020-03-01')
    .visit(C.OUTPATIENT, '2021-01-30')
    .visit(C.OUTPATIENT, '2021-03-31');
  person(2).condition(C.I10, '2020-02-29');
  person(3)
    .condition(C.I10, '2021-03-01')
    .visit(C.OUTPATIENT, '2021-01-29')
    .visit(C.OUTPATIENT, '2021-03-31');
  person(4).condition(C.I10, '2021-03-02');
  person(5).condition(C.I10, '2020-06-01').drug(C.GLARGINE, '2021-01-01');
  person(6)
    .condition(C.I10, '2020-07-01')
    .drug(C.GLARGINE, '2021-03-01')
    .visit(C.OUTPATIENT, '2021-03-01')
    .visit(C.INPATIENT, '2021-03-02')
    .visit(C.OUTPATIENT, '2021-03-03');
  person(7)
    .condition(C.I10, '2020-08-01')
    .drug(C.GLARGINE, '2020-02-29')
    .visit(C.OUTPATIENT, '2021-02-28')
    .visit(C.OUTPATIENT, '2021-03-01');
  return w;
}

export const inclusionRuleSpecs: ConformanceSpec[] = [
  {
    name: 'inclusion rules: window boundaries, none, min and max occurrences, attrition',
    world,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2022-12-31' },
      conceptSets: [
        { name: 'metformin', include: [{ vocabulary: 'ATC', code: 'A10BA02' }] },
        { name: 'hypertension', include: [{ vocabulary: 'CIM10', code: 'I10' }] },
        { name: 'insulin', include: [{ vocabulary: 'ATC', code: 'A10A' }] },
      ],
      cohort: {
        entry: { events: [{ domain: 'drug', conceptSet: 'metformin' }] },
        inclusion: [
          {
            name: 'hypertension in the year before',
            criterion: { domain: 'condition', conceptSet: 'hypertension' },
            window: { start: -365, end: 0 },
          },
          {
            name: 'no insulin before',
            criterion: { domain: 'drug', conceptSet: 'insulin' },
            window: { start: -365, end: -1 },
            min: 0,
            max: 0,
          },
          {
            name: 'exactly two visits around the index',
            criterion: { domain: 'visit' },
            window: { start: -30, end: 30 },
            min: 2,
            max: 2,
          },
        ],
      },
      measures: [{ kind: 'person_count', name: 'persons' }],
    },
    expect: {
      tables: { persons: [row(null, { count: 2 }, 2)] },
      attrition: [7, 7, 5, 4, 2],
    },
  },
];
