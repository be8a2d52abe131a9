/**
 * The compiler's contract apart from results (those are the conformance suite's): parameters
 * numbered after the population's and no user value in the SQL text, the data a query reads,
 * refusals.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isHygieError, parseQuery } from '@hygie/core';
import type { QueryInput } from '@hygie/core';
import { duckDbDialect, postgresDialect } from '@hygie/warehouse';
import { compileQuery, quantileName } from '../src/compile-query.js';
import { compilePopulation } from '../src/population-sql.js';
import { populationColumns, queryNeeds } from '../src/query-needs.js';
import type { PopulationDefinition } from '../src/population-sql.js';
import { requiredData } from '../src/required-data.js';

const PERMIT = { from: '2019-01-01', to: '2023-12-31' };

/** A query using every feature, with user values easy to spot in SQL text. */
const FULL: QueryInput = {
  version: 1,
  period: { from: '2020-01-01', to: '2022-12-31' },
  conceptSets: [
    {
      name: 't2d',
      include: [{ vocabulary: 'CIM10', code: 'E11' }],
      exclude: [{ vocabulary: 'CIM10', code: 'E1190', descendants: false }],
    },
    { name: 'metformin', include: [{ vocabulary: 'ATC', code: 'A10BA02' }] },
    { name: 'hba1c', include: [{ vocabulary: 'LOINC', code: '4548-4' }] },
  ],
  cohort: {
    entry: {
      events: [{ domain: 'drug', conceptSet: 'metformin' }],
      period: { from: '2020-02-03', to: '2022-11-30' },
    },
    inclusion: [
      {
        name: 'diagnosed',
        criterion: { domain: 'condition', conceptSet: 't2d' },
        window: { start: -731, end: 17 },
        min: 3,
        max: 9,
      },
    ],
    demographics: {
      ageAtIndex: { min: 18, max: 99 },
      sex: ['female'],
      departements: ['2A'],
      regions: ['94'],
    },
    priorObservationDays: 181,
    exit: { days: 4321 },
  },
  measures: [
    { kind: 'person_count', name: 'persons' },
    { kind: 'event_count', name: 'visits', events: { domain: 'visit' } },
    {
      kind: 'prevalence',
      name: 'prevalence',
      events: { domain: 'condition', conceptSet: 't2d' },
      standardise: 'europe_2013',
    },
    {
      kind: 'incidence_rate',
      name: 'incidence',
      events: { domain: 'condition', conceptSet: 't2d' },
      washoutDays: 543,
      standardise: 'france_2020',
    },
    {
      kind: 'distribution',
      name: 'hba1c',
      variable: {
        of: 'measurement_value',
        events: {
          domain: 'measurement',
          conceptSet: 'hba1c',
          valueRange: { min: 4.25, max: 19.5 },
        },
      },
      quantiles: [0.025, 0.5],
    },
    { kind: 'distribution', name: 'follow_up', variable: { of: 'follow_up_days' } },
  ],
  stratify: ['sex', 'age_band', 'region', 'quarter'],
  ageBands: [0, 18, 65],
};

const DEFINITION: PopulationDefinition = {
  filters: { departements: ['75', '69'] },
  period: PERMIT,
  purpose: 'research',
};

function population(dialect = duckDbDialect) {
  return compilePopulation(DEFINITION, dialect);
}

function placeholders(sql: string): number[] {
  return [...new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
}

test('every statement numbers its parameters after the population, all of them used', () => {
  for (const dialect of [duckDbDialect, postgresDialect]) {
    // The population carries the columns of the attributes FULL uses.
    const columns = populationColumns(queryNeeds(parseQuery(FULL)));
    assert.ok(columns.includes('gender_concept_id') && columns.includes('region'));
    const pop = compilePopulation(DEFINITION, dialect, { columns });
    const compiled = compileQuery(parseQuery(FULL), { dialect, population: DEFINITION });
    const statements = [
      ...compiled.measures.flatMap((m) => [m.sql, m.membershipSql]),
      ...(compiled.attrition ? [compiled.attrition.sql] : []),
    ];
    assert.equal(statements.length, 13);
    for (const s of statements) {
      // The population's own parameters come first, unchanged.
      assert.deepEqual(s.params.slice(0, pop.params.length), [...pop.params]);
      assert.ok(s.sql.includes(pop.sql), 'the population SQL is embedded as given');
      // $1 … $n, each bound and each used.
      assert.deepEqual(
        placeholders(s.sql),
        s.params.map((_, i) => i + 1),
      );
    }
  }
});

test('no user value is spliced into the SQL text', () => {
  const compiled = compileQuery(parseQuery(FULL), {
    dialect: duckDbDialect,
    population: DEFINITION,
  });
  for (const m of compiled.measures) {
    const { sql, params } = m.sql;
    for (const text of ["'E11'", 'E1190', 'A10BA02', '4548-4', "'2A'", "'94'", 'diagnosed']) {
      assert.ok(!sql.includes(text), `${m.name}: ${text} appears in the SQL`);
    }
    // Period and permit dates are bound; the only dates in the text are the calendar buckets
    // the compiler generated (DATE literals).
    for (const date of ['2020-02-03', '2022-11-30', '2019-01-01', '2023-12-31']) {
      assert.ok(!sql.includes(date), `${m.name}: ${date} appears in the SQL`);
    }
    for (const n of [731, 4321, 543, 181, 4.25, 19.5]) {
      assert.ok(!new RegExp(`\\b${String(n).replace('.', '\\.')}\\b`).test(sql), `${m.name}: ${n}`);
    }
    // Every statement runs the cohort, so every one binds its values.
    for (const value of ['E11', 'E1190', 'A10BA02', '2A', '94', -731, 4321, 181, '2020-02-03']) {
      assert.ok(params.includes(value), `${m.name}: ${value} is not bound`);
    }
  }
});

test('requiredData lists exactly what the query reads, vocabulary tables apart', () => {
  assert.deepEqual(requiredData(parseQuery(FULL)), [
    {
      table: 'condition_occurrence',
      variables: ['condition_concept_id', 'condition_start_date', 'person_id'],
    },
    { table: 'death', variables: ['death_date', 'person_id'] },
    {
      table: 'drug_exposure',
      variables: ['drug_concept_id', 'drug_exposure_start_date', 'person_id'],
    },
    { table: 'location', variables: ['county', 'location_id', 'state'] },
    {
      table: 'measurement',
      variables: ['measurement_concept_id', 'measurement_date', 'person_id', 'value_as_number'],
    },
    {
      table: 'observation_period',
      variables: ['observation_period_end_date', 'observation_period_start_date', 'person_id'],
    },
    {
      table: 'person',
      variables: [
        'gender_concept_id',
        'location_id',
        'month_of_birth',
        'person_id',
        'year_of_birth',
      ],
    },
    { table: 'visit_occurrence', variables: ['person_id', 'visit_start_date'] },
  ]);
  // The smallest query: persons observed in the period.
  const small = parseQuery({
    version: 1,
    period: { from: '2020-01-01', to: '2020-12-31' },
    measures: [{ kind: 'person_count', name: 'persons' }],
  });
  assert.deepEqual(requiredData(small), [
    { table: 'death', variables: ['death_date', 'person_id'] },
    {
      table: 'observation_period',
      variables: ['observation_period_end_date', 'observation_period_start_date', 'person_id'],
    },
    { table: 'person', variables: ['person_id'] },
  ]);
  const compiled = compileQuery(small, {
    dialect: duckDbDialect,
    population: DEFINITION,
  });
  assert.equal(compiled.data.length, 3);
  // Without person attributes the SQL reads neither person (beyond the population) nor location.
  const sql = compiled.measures[0]!.sql.sql.replace(population().sql, '');
  assert.ok(!/\b(FROM|JOIN) (person|location)\b/.test(sql), 'person or location is read');
});

test('refusals: a period outside the permit, follow-up without a cohort, values of non-measurements', () => {
  const base = { dialect: duckDbDialect, population: DEFINITION };
  const refused = (input: QueryInput, argument: string) =>
    assert.throws(
      () => compileQuery(parseQuery(input), base),
      (e: unknown) => isHygieError(e, 'HYG_INVALID_ARGUMENT') && e.details.argument === argument,
    );
  refused(
    {
      version: 1,
      period: { from: '2018-12-31', to: '2020-12-31' },
      measures: [{ kind: 'person_count', name: 'persons' }],
    },
    'period',
  );
  refused(
    {
      version: 1,
      period: { from: '2020-01-01', to: '2024-01-01' },
      measures: [{ kind: 'person_count', name: 'persons' }],
    },
    'period',
  );
  refused(
    {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      measures: [{ kind: 'distribution', name: 'fu', variable: { of: 'follow_up_days' } }],
    },
    'measures',
  );
  refused(
    {
      version: 1,
      period: { from: '2020-01-01', to: '2020-12-31' },
      conceptSets: [{ name: 't2d', include: [{ vocabulary: 'CIM10', code: 'E11' }] }],
      measures: [
        {
          kind: 'distribution',
          name: 'values',
          variable: { of: 'measurement_value', events: { domain: 'condition', conceptSet: 't2d' } },
        },
      ],
    },
    'measures',
  );
});

test('statistic names of quantiles', () => {
  assert.equal(quantileName(0.5), 'p50');
  assert.equal(quantileName(0.25), 'p25');
  assert.equal(quantileName(0.025), 'p2_5');
  assert.equal(quantileName(0.29), 'p29');
  assert.equal(quantileName(0.999), 'p99_9');
});
