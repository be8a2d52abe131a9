/**
 * Every event domain through its own table, date and concept columns: procedures (CCAM, with the
 * system as ancestor), visits with and without a concept set, measurements with value ranges
 * (bounds included, NULL values never in a range), deaths with and without a cause.
 *
 * Query period 2020. Person 1 (observed 2019–2023): ECHO 2020-02-01, ECG 2020-02-02, ECHO
 * 2021-01-01 (after the period); visits IP 2020-05-01, OP 2020-05-02, OP 2020-05-03; HbA1c 6.5
 * (06-01), 8.1 (06-02), no value (06-03), glucose 1.2 (06-04). Person 2 dies 2020-08-10 of I10
 * (observed until that day: the death is on the last day at risk, which counts). Person 3 dies
 * 2022-01-01 of E119, after the period.
 */
import type { ConformanceSpec } from '../spec.js';
import { row } from '../spec.js';
import { C, World } from '../world.js';

function world(): World {
  const w = new World();
  w.person(1, { sex: 'F', born: '1960-01', place: 'lyon' })
    .observed('2019-01-01', '2023-12-31')
    .procedure(C.ECHO, '2020-02-01')
    .procedure(C.ECG, '2020-02-02')
    .procedure(C.ECHO, '2021-01-01')
    .visit(C.INPATIENT, '2020-05-01')
    .visit(C.OUTPATIENT, '2020-05-02')
    .visit(C.OUTPATIENT, '2020-05-03')
    .measurement(C.HBA1C, '2020-06-01', 6.5)
    .measurement(C.HBA1C, '2020-06-02', 8.1)
    .measurement(C.HBA1C, '2020-06-03', null)
    .measurement(C.GLUCOSE, '2020-06-04', 1.2);
  w.person(2, { sex: 'M', born: '1950-06', place: 'paris' })
    .observed('2019-01-01', '2020-08-10')
    .death('2020-08-10', C.I10);
  w.person(3, { sex: 'M', born: '1955-01', place: 'paris' })
    .observed('2019-01-01', '2022-01-01')
    .death('2022-01-01', C.E119);
  return w;
}

const one = (events: number) => [row(null, { events }, 1)];

export const domainSpecs: ConformanceSpec[] = [
  {
    name: 'domains: procedures, visits, measurements with value ranges, deaths',
    world,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: [
        { name: 'echo', include: [{ vocabulary: 'CCAM', code: 'DZQM006' }] },
        { name: 'ccam_d', include: [{ vocabulary: 'CCAM', code: 'D' }] },
        { name: 'outpatient', include: [{ vocabulary: 'Visit', code: 'OP' }] },
        { name: 'hba1c', include: [{ vocabulary: 'LOINC', code: '4548-4' }] },
        { name: 'hypertension', include: [{ vocabulary: 'CIM10', code: 'I10' }] },
        { name: 't2d', include: [{ vocabulary: 'CIM10', code: 'E11' }] },
      ],
      measures: [
        // ECHO 2020-02-01 only (2021 is after the period).
        { kind: 'event_count', name: 'echo', events: { domain: 'procedure', conceptSet: 'echo' } },
        // ECHO and ECG of 2020, both under the system D.
        {
          kind: 'event_count',
          name: 'ccam_d',
          events: { domain: 'procedure', conceptSet: 'ccam_d' },
        },
        // Every visit: IP, OP, OP.
        { kind: 'event_count', name: 'visits', events: { domain: 'visit' } },
        {
          kind: 'event_count',
          name: 'outpatient',
          events: { domain: 'visit', conceptSet: 'outpatient' },
        },
        // Three HbA1c, the one without a value included.
        {
          kind: 'event_count',
          name: 'hba1c',
          events: { domain: 'measurement', conceptSet: 'hba1c' },
        },
        // ≥ 7: 8.1 only (NULL is in no range).
        {
          kind: 'event_count',
          name: 'hba1c_high',
          events: { domain: 'measurement', conceptSet: 'hba1c', valueRange: { min: 7 } },
        },
        // [6.5, 6.5]: both bounds included.
        {
          kind: 'event_count',
          name: 'hba1c_exact',
          events: {
            domain: 'measurement',
            conceptSet: 'hba1c',
            valueRange: { min: 6.5, max: 6.5 },
          },
        },
        // ≤ 8: 6.5.
        {
          kind: 'event_count',
          name: 'hba1c_low',
          events: { domain: 'measurement', conceptSet: 'hba1c', valueRange: { max: 8 } },
        },
        // Person 2 in 2020; person 3 dies in 2022.
        { kind: 'event_count', name: 'deaths', events: { domain: 'death' } },
        {
          kind: 'event_count',
          name: 'deaths_hypertension',
          events: { domain: 'death', conceptSet: 'hypertension' },
        },
        // Person 3's death (E119) is after the period: zero.
        { kind: 'event_count', name: 'deaths_t2d', events: { domain: 'death', conceptSet: 't2d' } },
      ],
    },
    expect: {
      tables: {
        echo: one(1),
        ccam_d: one(2),
        visits: one(3),
        outpatient: one(2),
        hba1c: one(3),
        hba1c_high: one(1),
        hba1c_exact: one(1),
        hba1c_low: one(1),
        deaths: one(1),
        deaths_hypertension: one(1),
        deaths_t2d: [row(null, { events: 0 }, 0)],
      },
    },
  },
];
