/**
 * Concept sets: descendants through concept_ancestor or not, exclusions with and without their
 * descendants, dotted CIM-10 codes, ATC classes reaching the CIP13 products drug_exposure holds.
 *
 * One woman observed 2019–2023. In 2020 she has one condition of each of E10, E109, E11, E110,
 * E119, I10 and one dispensing of each CIP13 product: METFORMIN_1, METFORMIN_2 (A10BA02),
 * GLARGINE (A10AE04), ENALAPRIL (C09AA02). Each measure counts her events of one concept set.
 */
import type { ConformanceSpec } from '../spec.js';
import { row } from '../spec.js';
import { C, World } from '../world.js';

function world(): World {
  const w = new World();
  w.person(1, { sex: 'F', born: '1970-03', place: 'paris' })
    .observed('2019-01-01', '2023-12-31')
    .condition(C.E10, '2020-03-01')
    .condition(C.E109, '2020-03-02')
    .condition(C.E11, '2020-03-03')
    .condition(C.E110, '2020-03-04')
    .condition(C.E119, '2020-03-05')
    .condition(C.I10, '2020-03-06')
    .drug(C.METFORMIN_1, '2020-04-01')
    .drug(C.METFORMIN_2, '2020-04-02')
    .drug(C.GLARGINE, '2020-04-03')
    .drug(C.ENALAPRIL, '2020-04-04');
  return w;
}

const count = (events: number) => [row(null, { events }, 1)];

export const conceptSetSpecs: ConformanceSpec[] = [
  {
    name: 'concept sets: descendants, exclusions, dotted codes, ATC to CIP13',
    world,
    query: {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: [
        { name: 'e11', include: [{ vocabulary: 'CIM10', code: 'E11' }] },
        { name: 'e11_only', include: [{ vocabulary: 'CIM10', code: 'E11', descendants: false }] },
        {
          name: 'block_minus_e10',
          include: [{ vocabulary: 'CIM10', code: 'E10-E14' }],
          exclude: [{ vocabulary: 'CIM10', code: 'E10' }],
        },
        {
          name: 'e11_minus_e119',
          include: [{ vocabulary: 'CIM10', code: 'E11' }],
          exclude: [{ vocabulary: 'CIM10', code: 'E119', descendants: false }],
        },
        {
          name: 'block_minus_e10_only',
          include: [{ vocabulary: 'CIM10', code: 'E10-E14' }],
          exclude: [{ vocabulary: 'CIM10', code: 'E10', descendants: false }],
        },
        { name: 'dotted', include: [{ vocabulary: 'CIM10', code: 'e11.9', descendants: false }] },
        { name: 'a10', include: [{ vocabulary: 'ATC', code: 'A10' }] },
        { name: 'metformin', include: [{ vocabulary: 'ATC', code: 'A10BA02' }] },
        {
          name: 'a10_no_insulin',
          include: [{ vocabulary: 'ATC', code: 'A10' }],
          exclude: [{ vocabulary: 'ATC', code: 'A10A' }],
        },
        {
          name: 'products',
          include: [
            { vocabulary: 'CIP13', code: '3400000000042' },
            { vocabulary: 'CIP13', code: '3400000000011' },
          ],
        },
        {
          name: 'a10_class_only',
          include: [{ vocabulary: 'ATC', code: 'A10', descendants: false }],
        },
      ],
      measures: [
        // E11, E110, E119.
        { kind: 'event_count', name: 'e11', events: { domain: 'condition', conceptSet: 'e11' } },
        // E11 itself.
        {
          kind: 'event_count',
          name: 'e11_only',
          events: { domain: 'condition', conceptSet: 'e11_only' },
        },
        // The block's descendants E10, E109, E11, E110, E119 minus E10 and E109: E11, E110, E119.
        {
          kind: 'event_count',
          name: 'block_minus_e10',
          events: { domain: 'condition', conceptSet: 'block_minus_e10' },
        },
        // E11, E110 (E119 excluded).
        {
          kind: 'event_count',
          name: 'e11_minus_e119',
          events: { domain: 'condition', conceptSet: 'e11_minus_e119' },
        },
        // E10 excluded without its descendant E109: E109, E11, E110, E119.
        {
          kind: 'event_count',
          name: 'block_minus_e10_only',
          events: { domain: 'condition', conceptSet: 'block_minus_e10_only' },
        },
        // 'e11.9' is E119.
        {
          kind: 'event_count',
          name: 'dotted',
          events: { domain: 'condition', conceptSet: 'dotted' },
        },
        // METFORMIN_1, METFORMIN_2, GLARGINE.
        { kind: 'event_count', name: 'a10', events: { domain: 'drug', conceptSet: 'a10' } },
        // METFORMIN_1, METFORMIN_2.
        {
          kind: 'event_count',
          name: 'metformin',
          events: { domain: 'drug', conceptSet: 'metformin' },
        },
        // A10 minus the insulins (A10A and below): METFORMIN_1, METFORMIN_2.
        {
          kind: 'event_count',
          name: 'a10_no_insulin',
          events: { domain: 'drug', conceptSet: 'a10_no_insulin' },
        },
        // ENALAPRIL, METFORMIN_1.
        {
          kind: 'event_count',
          name: 'products',
          events: { domain: 'drug', conceptSet: 'products' },
        },
        // The ATC class itself is never dispensed: no event (an unstratified table keeps its one cell).
        {
          kind: 'event_count',
          name: 'a10_class_only',
          events: { domain: 'drug', conceptSet: 'a10_class_only' },
        },
      ],
    },
    expect: {
      tables: {
        e11: count(3),
        e11_only: count(1),
        block_minus_e10: count(3),
        e11_minus_e119: count(2),
        block_minus_e10_only: count(4),
        dotted: count(1),
        a10: count(3),
        metformin: count(2),
        a10_no_insulin: count(2),
        products: count(2),
        a10_class_only: [row(null, { events: 0 }, 0)],
      },
    },
  },
];
