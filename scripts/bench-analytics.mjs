#!/usr/bin/env node
// Benchmark of the analytics compiler (not a test): builds (or reuses) a synthetic warehouse of
// N persons with ~K events each (conditions, dispensings, visits), written directly by SQL, with
// the bundled vocabularies, then compiles and runs representative queries and prints the time of
// each statement. DuckDB by default (a file in --dir, reused when it holds the same sizes);
// --engine postgres runs on a throwaway cluster (load time grows quickly: use fewer persons).
//
// Usage: npm run build && node scripts/bench-analytics.mjs [--persons 1000000] [--events 100]
//        [--dir DIR] [--engine duckdb|postgres] [--memory-limit 8GB]
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileQuery, runQuery } from '@hygie/analytics';
import { parseQuery } from '@hygie/core';
import { departements } from '@hygie/reference';
import {
  loadVocabulary,
  migrate,
  openDuckDbWarehouse,
  openPostgresWarehouse,
} from '@hygie/warehouse';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const persons = Number(opt('--persons', '1000000'));
const eventsPerPerson = Number(opt('--events', '100'));
const engineName = opt('--engine', 'duckdb');
const dir = opt('--dir', join(tmpdir(), `hygie-bench-analytics-${persons}-${eventsPerPerson}`));
const vocabulary = fileURLToPath(
  new URL('../packages/reference/data/vocabulary/', import.meta.url),
);
const PERIOD = { from: '2019-01-01', to: '2024-12-31' };
const DAYS = 2192; // 2019-01-01 … 2024-12-31

const seconds = (t0) => ((performance.now() - t0) / 1000).toFixed(2);

/** Fills the warehouse by SQL: persons, observation, deaths, and events drawn by hashes. */
async function build(engine) {
  const t0 = performance.now();
  await migrate(engine);
  await loadVocabulary(engine, vocabulary);
  const depts = departements();
  await engine.appendRows(
    'location',
    ['location_id', 'county', 'state'],
    depts.map((d, i) => [i + 1, d.code, d.region]),
  );
  const n = persons;
  const h = (expr) =>
    engine.dialect.name === 'duckdb'
      ? `(hash(${expr}) % 1000000007)`
      : `(abs(hashtextextended((${expr})::text, 0)) % 1000000007)`;
  const pick = (list, expr) =>
    engine.dialect.name === 'duckdb'
      ? `${list}[1 + CAST(${h(expr)} % len(${list}) AS INTEGER)]`
      : `${list}[1 + (${h(expr)} % cardinality(${list}))::int]`;
  const series = (count) =>
    engine.dialect.name === 'duckdb'
      ? `range(${count}) r(i)`
      : `generate_series(0, ${count} - 1) r(i)`;
  const idiv = (a, b) => (engine.dialect.name === 'duckdb' ? `(${a} // ${b})` : `(${a} / ${b})`);
  await engine.execute(
    `INSERT INTO person (person_id, gender_concept_id, year_of_birth, month_of_birth, race_concept_id, ethnicity_concept_id, location_id)
     SELECT i, CASE WHEN i % 2 = 0 THEN 8532 ELSE 8507 END, 1920 + CAST(${h('i')} % 100 AS INTEGER),
       CASE WHEN i % 10 = 0 THEN NULL ELSE 1 + CAST(${h('i * 7')} % 12 AS INTEGER) END, 0, 0,
       1 + CAST(${h('i * 13')} % ${depts.length} AS INTEGER)
     FROM ${series(n)}`,
  );
  // One observation period per person, a tenth starting late or ending early.
  await engine.execute(
    `INSERT INTO observation_period (observation_period_id, person_id, observation_period_start_date, observation_period_end_date, period_type_concept_id)
     SELECT i, i, DATE '2018-01-01' + CAST(CASE WHEN i % 10 = 1 THEN ${h('i * 3')} % 1500 ELSE 0 END AS INTEGER),
       DATE '2024-12-31' - CAST(CASE WHEN i % 10 = 2 THEN ${h('i * 5')} % 1500 ELSE 0 END AS INTEGER), 32810
     FROM ${series(n)}`,
  );
  await engine.execute(
    `INSERT INTO death (person_id, death_date, death_type_concept_id)
     SELECT i, DATE '2019-01-01' + CAST(${h('i * 11')} % ${DAYS} AS INTEGER), 32879
     FROM ${series(n)} WHERE i % 100 = 3`,
  );
  const lists = async (name, where) => {
    await engine.execute(
      `CREATE TABLE bench_${name} AS SELECT ${engine.dialect.name === 'duckdb' ? 'list' : 'array_agg'}(concept_id ORDER BY concept_id) AS ids FROM concept WHERE ${where}`,
    );
  };
  await lists('cim10', "vocabulary_id = 'CIM10' AND concept_class_id = 'ICD10 code'");
  await lists('t2d', "vocabulary_id = 'CIM10' AND concept_code LIKE 'E11%'");
  await lists(
    'cip13',
    "vocabulary_id = 'CIP13' AND concept_id IN (SELECT descendant_concept_id FROM concept_ancestor)",
  );
  await lists(
    'a10',
    "concept_id IN (SELECT descendant_concept_id FROM concept_ancestor a JOIN concept c ON c.concept_id = a.ancestor_concept_id WHERE c.vocabulary_id = 'ATC' AND c.concept_code = 'A10') AND vocabulary_id = 'CIP13'",
  );
  // Events: 30 % conditions (1 in 20 a type 2 diabetes code), 50 % dispensings (1 in 20 an
  // antidiabetic), 20 % visits; dates uniform over 2019–2024.
  const table = async (name, share, insert) => {
    const count = Math.round(n * eventsPerPerson * share);
    const t = performance.now();
    await engine.execute(insert(count));
    console.log(`  ${name}: ${count.toLocaleString('en')} rows in ${seconds(t)} s`);
  };
  await table(
    'condition_occurrence',
    0.3,
    (c) =>
      `INSERT INTO condition_occurrence (condition_occurrence_id, person_id, condition_concept_id, condition_start_date, condition_type_concept_id)
       SELECT i, ${idiv('i', Math.max(1, Math.round(eventsPerPerson * 0.3)))} % ${n},
         CASE WHEN i % 20 = 0 THEN ${pick('t.ids', 'i * 17')} ELSE ${pick('c.ids', 'i * 17')} END,
         DATE '2019-01-01' + CAST(${h('i * 19')} % ${DAYS} AS INTEGER), 32810
       FROM ${series(c)}, bench_cim10 c, bench_t2d t`,
  );
  await table(
    'drug_exposure',
    0.5,
    (c) =>
      `INSERT INTO drug_exposure (drug_exposure_id, person_id, drug_concept_id, drug_exposure_start_date, drug_exposure_end_date, drug_type_concept_id)
       SELECT i, ${idiv('i', Math.max(1, Math.round(eventsPerPerson * 0.5)))} % ${n},
         CASE WHEN i % 20 = 0 THEN ${pick('a.ids', 'i * 23')} ELSE ${pick('c.ids', 'i * 23')} END,
         DATE '2019-01-01' + CAST(${h('i * 29')} % ${DAYS} AS INTEGER),
         DATE '2019-01-01' + CAST(${h('i * 29')} % ${DAYS} AS INTEGER), 32810
       FROM ${series(c)}, bench_cip13 c, bench_a10 a`,
  );
  await table(
    'visit_occurrence',
    0.2,
    (c) =>
      `INSERT INTO visit_occurrence (visit_occurrence_id, person_id, visit_concept_id, visit_start_date, visit_end_date, visit_type_concept_id)
       SELECT i, ${idiv('i', Math.max(1, Math.round(eventsPerPerson * 0.2)))} % ${n}, 9202,
         DATE '2019-01-01' + CAST(${h('i * 31')} % ${DAYS} AS INTEGER),
         DATE '2019-01-01' + CAST(${h('i * 31')} % ${DAYS} AS INTEGER), 32810
       FROM ${series(c)}`,
  );
  await engine.execute(
    `CREATE TABLE bench_meta AS SELECT ${n} AS persons, ${eventsPerPerson} AS events`,
  );
  if (engine.dialect.name === 'postgres') await engine.execute('ANALYZE');
  console.log(`built in ${seconds(t0)} s`);
}

const T2D = { name: 't2d', include: [{ vocabulary: 'CIM10', code: 'E11' }] };
const A10 = { name: 'antidiabetics', include: [{ vocabulary: 'ATC', code: 'A10' }] };
const QUERIES = {
  'population: persons by département × year': {
    version: 1,
    period: PERIOD,
    measures: [{ kind: 'person_count', name: 'persons' }],
    stratify: ['departement', 'year'],
  },
  'incident treated T2D (A10, washout 365) by département × year, standardised France 2020': {
    version: 1,
    period: PERIOD,
    conceptSets: [A10],
    measures: [
      {
        kind: 'incidence_rate',
        name: 'incidence',
        events: { domain: 'drug', conceptSet: 'antidiabetics' },
        washoutDays: 365,
        standardise: 'france_2020',
      },
    ],
    stratify: ['departement', 'year'],
  },
  'prevalence of T2D by ISO week (313 weeks)': {
    version: 1,
    period: PERIOD,
    conceptSets: [T2D],
    measures: [
      {
        kind: 'prevalence',
        name: 'prevalence',
        events: { domain: 'condition', conceptSet: 't2d' },
      },
    ],
    stratify: ['week'],
  },
  'cohort: new A10 users (none in the year before, 365 days observed), by région × sex × age': {
    version: 1,
    period: { from: '2020-01-01', to: '2024-12-31' },
    conceptSets: [A10, T2D],
    cohort: {
      entry: { events: [{ domain: 'drug', conceptSet: 'antidiabetics' }], occurrence: 'all' },
      inclusion: [
        {
          name: 'no antidiabetic in the year before',
          criterion: { domain: 'drug', conceptSet: 'antidiabetics' },
          window: { start: -365, end: -1 },
          min: 0,
          max: 0,
        },
        {
          name: 'a T2D diagnosis in the two years before',
          criterion: { domain: 'condition', conceptSet: 't2d' },
          window: { start: -730, end: 0 },
        },
      ],
      demographics: { ageAtIndex: { min: 18 } },
      priorObservationDays: 365,
    },
    measures: [
      { kind: 'person_count', name: 'persons' },
      { kind: 'event_count', name: 'visits', events: { domain: 'visit' } },
      { kind: 'distribution', name: 'age', variable: { of: 'age' } },
    ],
    stratify: ['region', 'sex', 'age_band'],
    ageBands: [0, 18, 45, 65, 75],
  },
};

async function main() {
  let engine;
  let cluster;
  if (engineName === 'postgres') {
    const { startPgCluster } = await import('@hygie/test-support');
    cluster = await startPgCluster();
    if ('skip' in cluster) throw new Error(cluster.skip);
    engine = await openPostgresWarehouse({
      connectionString: await cluster.createDatabase('bench'),
    });
    await build(engine);
  } else {
    mkdirSync(dir, { recursive: true });
    const fresh = !existsSync(join(dir, 'warehouse.duckdb'));
    engine = await openDuckDbWarehouse({ dataDir: dir, memoryLimit: opt('--memory-limit', '8GB') });
    if (fresh) await build(engine);
    else console.log(`reusing ${dir}`);
  }
  try {
    for (const [label, input] of Object.entries(QUERIES)) {
      const compiled = compileQuery(parseQuery(input), {
        dialect: engine.dialect,
        population: { filters: {}, period: PERIOD, purpose: 'research' },
      });
      console.log(`\n${label}`);
      for (const m of compiled.measures) {
        const t = performance.now();
        const result = await runQuery(engine, { ...compiled, measures: [m], attrition: null });
        console.log(`  ${m.name}: ${seconds(t)} s, ${result.tables[0]?.rows.length ?? 0} rows`);
      }
      if (compiled.attrition) {
        const t = performance.now();
        const result = await runQuery(engine, { ...compiled, measures: [] });
        const counts = result.attrition?.map((a) => a.persons.toLocaleString('en')).join(' → ');
        console.log(`  attrition: ${seconds(t)} s (${counts})`);
      }
    }
  } finally {
    await engine.close();
    if (cluster && !('skip' in cluster)) cluster.stop();
  }
}

await main();
