/** The analytic query model: validation at the boundary, defaults, the builder, stable hashes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HygieError, atc, cim10, parseQuery, query, queryHash } from '../src/index.js';
import type { QueryInput } from '../src/index.js';

const T2D: QueryInput = {
  version: 1,
  period: { from: '2019-01-01', to: '2023-12-31' },
  conceptSets: [
    { name: 't2d', include: [{ vocabulary: 'CIM10', code: 'E11' }] },
    {
      name: 'antidiabetics',
      include: [{ vocabulary: 'ATC', code: 'A10' }],
      exclude: [{ vocabulary: 'ATC', code: 'A10A' }],
    },
  ],
  cohort: {
    entry: { events: [{ domain: 'drug', conceptSet: 'antidiabetics' }], occurrence: 'first' },
    inclusion: [
      {
        name: 'two dispensings in a year',
        criterion: { domain: 'drug', conceptSet: 'antidiabetics' },
        window: { start: 0, end: 365 },
        min: 2,
      },
    ],
    demographics: { ageAtIndex: { min: 18 } },
    priorObservationDays: 365,
  },
  measures: [
    { kind: 'person_count', name: 'persons' },
    {
      kind: 'incidence_rate',
      name: 'incidence',
      events: { domain: 'condition', conceptSet: 't2d' },
      standardise: 'france_2020',
    },
  ],
  stratify: ['departement', 'year'],
};

function invalid(input: unknown, field: RegExp) {
  assert.throws(
    () => parseQuery(input),
    (e: unknown) =>
      e instanceof HygieError &&
      e.code === 'HYG_INVALID_ARGUMENT' &&
      field.test(String(e.details.argument)),
  );
}

test('a full query parses, with defaults applied', () => {
  const q = parseQuery(T2D);
  assert.equal(q.conceptSets[0]?.include[0]?.descendants, true);
  assert.deepEqual(q.conceptSets[0]?.exclude, []);
  assert.equal(q.cohort?.exit.days, undefined);
  assert.equal(q.measures[1]?.kind === 'incidence_rate' && q.measures[1].per, 100_000);
  assert.deepEqual(q.ageBands.slice(0, 3), [0, 5, 10]);
});

test('the builder writes the same query as the JSON', () => {
  const built = query({ from: '2019-01-01', to: '2023-12-31' })
    .conceptSet('t2d', [cim10('E11')])
    .conceptSet('antidiabetics', [atc('A10')], [atc('A10A')])
    .cohort(T2D.cohort!)
    .measure({ kind: 'person_count', name: 'persons' })
    .measure({
      kind: 'incidence_rate',
      name: 'incidence',
      events: { domain: 'condition', conceptSet: 't2d' },
      standardise: 'france_2020',
    })
    .stratify('departement', 'year')
    .build();
  assert.deepEqual(built, parseQuery(T2D));
  assert.equal(queryHash(built), queryHash(parseQuery(T2D)));
});

test('the hash ignores key order and defaults written out, and changes with the query', () => {
  const reverse = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(reverse)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .reverse()
              .map(([k, x]) => [k, reverse(x)]),
          )
        : v;
  const reordered = reverse(T2D) as QueryInput;
  assert.notEqual(JSON.stringify(reordered), JSON.stringify(T2D));
  assert.equal(queryHash(parseQuery(reordered)), queryHash(parseQuery(T2D)));
  const explicit = {
    ...T2D,
    conceptSets: T2D.conceptSets!.map((c) => ({
      ...c,
      include: c.include.map((i) => ({ ...i, descendants: true })),
    })),
  };
  assert.equal(queryHash(parseQuery(explicit)), queryHash(parseQuery(T2D)));
  assert.notEqual(
    queryHash(parseQuery({ ...T2D, stratify: ['region'] })),
    queryHash(parseQuery(T2D)),
  );
  assert.match(queryHash(parseQuery(T2D)), /^[0-9a-f]{64}$/);
});

test('bad queries are refused naming the field', () => {
  invalid({ ...T2D, version: 2 }, /^version$/);
  invalid({ ...T2D, measures: [] }, /^measures$/);
  invalid({ ...T2D, period: { from: '2020-01-01', to: '2019-01-01' } }, /^period\.to$/);
  invalid({ ...T2D, stratify: ['year', 'month'] }, /^stratify$/);
  invalid({ ...T2D, stratify: ['sex', 'sex'] }, /^stratify$/);
  invalid({ ...T2D, stratify: ['day'] }, /^stratify$/);
  invalid({ ...T2D, ageBands: [5, 10] }, /^ageBands$/);
  invalid({ ...T2D, ageBands: [0, 10, 10] }, /^ageBands$/);
  invalid(
    { ...T2D, conceptSets: [...T2D.conceptSets!, T2D.conceptSets![0]] },
    /^conceptSets\.2\.name$/,
  );
  invalid(
    {
      ...T2D,
      measures: [
        { kind: 'event_count', name: 'x', events: { domain: 'condition', conceptSet: 'nope' } },
      ],
    },
    /^measures\.0\.events\.conceptSet$/,
  );
  invalid(
    { ...T2D, measures: [{ kind: 'event_count', name: 'x', events: { domain: 'drug' } }] },
    /^measures\.0\.events\.conceptSet$/,
  );
  invalid(
    {
      ...T2D,
      measures: [
        {
          kind: 'event_count',
          name: 'x',
          events: { domain: 'condition', conceptSet: 't2d', valueRange: { min: 1 } },
        },
      ],
    },
    /valueRange$/,
  );
  invalid(
    {
      ...T2D,
      measures: [
        { kind: 'person_count', name: 'a' },
        { kind: 'person_count', name: 'a' },
      ],
    },
    /^measures\.1\.name$/,
  );
  invalid(
    {
      ...T2D,
      conceptSets: [
        { name: 'x', include: [{ vocabulary: 'CIM10', code: "E11'; DROP TABLE person" }] },
      ],
    },
    /code$/,
  );
  invalid(
    { ...T2D, conceptSets: [{ name: 'x', include: [{ vocabulary: 'SNOMED', code: '1' }] }] },
    /vocabulary$/,
  );
  invalid(
    {
      ...T2D,
      cohort: {
        ...T2D.cohort!,
        inclusion: [{ name: 'w', criterion: { domain: 'visit' }, window: { start: 10, end: 0 } }],
      },
    },
    /window\.end$/,
  );
  invalid(
    {
      ...T2D,
      measures: [{ kind: 'distribution', name: 'd', variable: { of: 'age' }, quantiles: [0, 0.5] }],
    },
    /quantiles/,
  );
  invalid({ ...T2D, unknown: true }, /./);
  // Visits and deaths need no concept set.
  assert.ok(
    parseQuery({
      ...T2D,
      measures: [{ kind: 'event_count', name: 'v', events: { domain: 'visit' } }],
    }),
  );
});
