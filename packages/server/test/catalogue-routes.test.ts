/**
 * The data catalogue over a real app and a small DuckDB warehouse: the tables a permit may grant
 * (no `hygie_*` table), per-table statistics disclosure-controlled (1 to k − 1 withheld, rare
 * values not named, no minimum or maximum, quantiles only with k values on either side),
 * opted-out persons excluded, the cache keyed by the latest batch and the opt-out mirror, and
 * reads audited.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SYSTEM_ACTOR } from '@hygie/core';
import { rounded } from '../src/catalogue/catalogue-stats.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let t: TestApp;

const FEMALE = 8532;
const MALE = 8507;
const UNKNOWN = 8551;
const T2D = 201826;
const ASTHMA = 317009;

interface Stats {
  table: string;
  rows: { value: number | null; suppressed: boolean };
  minCellSize: number;
  optOutsExcluded: boolean;
  cached: boolean;
  dataAsOf: string | null;
  variables: {
    name: string;
    nonNull: { value: number | null; suppressed: boolean };
    completeness: number | null;
    completenessSuppressed: boolean;
    distinct: number | null;
    topValues:
      { value: string; count: number; concept?: { code: string; name: string } | null }[] | null;
    rareValues: number | null;
    quantiles: Record<string, number | string | null> | null;
  }[];
}

function variable(s: Stats, name: string): Stats['variables'][number] {
  const v = s.variables.find((x) => x.name === name);
  assert.ok(v, name);
  return v;
}

before(async () => {
  t = await testApp();
  const w = t.warehouse;
  const concept = (id: number, code: string, name: string, vocabulary: string) => [
    id,
    name,
    vocabulary === 'Gender' ? 'Gender' : 'Condition',
    vocabulary,
    vocabulary === 'Gender' ? 'Gender' : 'ICD10 code',
    code,
    '1970-01-01',
    '2099-12-31',
  ];
  await w.appendRows(
    'concept',
    [
      'concept_id',
      'concept_name',
      'domain_id',
      'vocabulary_id',
      'concept_class_id',
      'concept_code',
      'valid_start_date',
      'valid_end_date',
    ],
    [
      concept(FEMALE, 'F', 'FEMALE', 'Gender'),
      concept(MALE, 'M', 'MALE', 'Gender'),
      concept(UNKNOWN, 'U', 'UNKNOWN', 'Gender'),
      concept(T2D, 'E11', 'Diabète sucré de type 2', 'CIM10'),
      concept(ASTHMA, 'J45', 'Asthme', 'CIM10'),
    ],
  );
  // 40 persons: 20 female, 17 male, 3 of unknown sex (withheld at k = 10); month of birth
  // missing for 2 (completeness withheld), born 1940..1979.
  const persons: unknown[][] = [];
  for (let i = 1; i <= 40; i++) {
    const gender = i <= 20 ? FEMALE : i <= 37 ? MALE : UNKNOWN;
    persons.push([
      BigInt(i),
      gender,
      1939 + i,
      i <= 2 ? null : (((i % 12) + 1) as number),
      0,
      0,
      `pseudo-${i}`,
    ]);
  }
  await w.appendRows(
    'person',
    [
      'person_id',
      'gender_concept_id',
      'year_of_birth',
      'month_of_birth',
      'race_concept_id',
      'ethnicity_concept_id',
      'person_source_value',
    ],
    persons,
  );
  // 20 type 2 diabetes conditions (shown), 4 asthma (withheld: not named).
  const conditions: unknown[][] = [];
  for (let i = 1; i <= 24; i++) {
    conditions.push([i, BigInt(i), i <= 20 ? T2D : ASTHMA, `2021-0${(i % 9) + 1}-15`, 32817]);
  }
  await w.appendRows(
    'condition_occurrence',
    [
      'condition_occurrence_id',
      'person_id',
      'condition_concept_id',
      'condition_start_date',
      'condition_type_concept_id',
    ],
    conditions,
  );
  await w.execute(
    `INSERT INTO hygie_batch (batch_id, source, format, started_at, finished_at, status)
     VALUES ('b1', 'test', 'omop-csv', '2026-01-01 10:00:00', '2026-01-01 10:05:00', 'published')`,
  );
});

after(async () => {
  await t.close();
});

test('the catalogue lists the OMOP tables a permit may grant, never a hygie_ table', async () => {
  const res = await t.app.inject({ url: '/api/v1/catalogue', headers: t.as('researcher') });
  assert.equal(res.statusCode, 200);
  const body = res.json<{
    minCellSize: number;
    tables: { name: string; kind: string; personLevel: boolean; variables: { name: string }[] }[];
  }>();
  const names = body.tables.map((x) => x.name);
  assert.ok(names.includes('person') && names.includes('condition_occurrence'));
  assert.ok(names.includes('concept'));
  assert.ok(!names.some((n) => n.startsWith('hygie_')), 'no bookkeeping table');
  assert.ok(!names.includes('cdm_source'));
  const person = body.tables.find((x) => x.name === 'person');
  assert.equal(person?.personLevel, true);
  assert.ok(person?.variables.some((v) => v.name === 'year_of_birth'));
  assert.equal(body.minCellSize, 10);
  const anon = await t.app.inject({ url: '/api/v1/catalogue' });
  assert.equal(anon.statusCode, 401);
});

test('table statistics are disclosure-controlled', async () => {
  const res = await t.app.inject({ url: '/api/v1/catalogue/person', headers: t.as('researcher') });
  assert.equal(res.statusCode, 200, res.body);
  const s = res.json<Stats>();
  assert.deepEqual(s.rows, { value: 40, suppressed: false });
  assert.equal(s.optOutsExcluded, true);
  assert.equal(s.dataAsOf?.slice(0, 16), '2026-01-01T10:05');
  // Sex: female 20 and male 17 (shown rounded to 20) with their concepts, unknown (3) not named.
  const sex = variable(s, 'gender_concept_id');
  assert.deepEqual(
    sex.topValues?.map((v) => [v.value, v.count, v.concept?.code]),
    [
      [String(FEMALE), 20, 'F'],
      [String(MALE), 20, 'M'],
    ],
  );
  assert.equal(sex.rareValues, 1);
  assert.equal(sex.completeness, 1);
  // Month of birth: 2 nulls → the completeness and its counts would tell them: withheld.
  const month = variable(s, 'month_of_birth');
  assert.equal(month.completeness, null);
  assert.equal(month.completenessSuppressed, true);
  // Every month has fewer than 10 persons: none is named, no zero is listed.
  assert.deepEqual(month.topValues, []);
  assert.equal(month.rareValues, 12);
  // Year of birth: quantiles, no min or max; p5/p95 need 10 persons beyond them (40 × 0.05 < 10).
  const year = variable(s, 'year_of_birth');
  assert.equal(year.quantiles?.p5, null);
  assert.equal(year.quantiles?.p95, null);
  assert.equal(year.quantiles?.p50, 1959.5);
  assert.equal(typeof year.quantiles?.p25, 'number');
  assert.ok(!('min' in year) && !('max' in year));
  // Keys and pseudonyms: counts only, never values.
  for (const name of ['person_id', 'person_source_value']) {
    const v = variable(s, name);
    assert.equal(v.topValues, null, name);
    assert.equal(v.quantiles, null, name);
  }
  assert.ok(!res.body.includes('pseudo-'), 'no pseudonym in the answer');
  // No count of 1 to 9 anywhere in the answer.
  const counts: number[] = [];
  JSON.parse(res.body, (key, value: unknown) => {
    if ((key === 'count' || key === 'value') && typeof value === 'number') counts.push(value);
    return value;
  });
  assert.ok(
    counts.every((c) => c === 0 || c >= 10),
    `small count in ${counts.join(',')}`,
  );
});

test('event tables: concept top values with codes, dates as months, rare concepts unnamed', async () => {
  const res = await t.app.inject({
    url: '/api/v1/catalogue/condition_occurrence',
    headers: t.as('researcher'),
  });
  assert.equal(res.statusCode, 200, res.body);
  const s = res.json<Stats>();
  assert.equal(s.rows.value, 20, '24 rows, rounded to 10');
  const c = variable(s, 'condition_concept_id');
  assert.deepEqual(
    c.topValues?.map((v) => [v.value, v.count, v.concept?.code, v.concept?.name]),
    [[String(T2D), 20, 'E11', 'Diabète sucré de type 2']],
  );
  assert.equal(c.rareValues, 1);
  assert.ok(!res.body.includes('J45'), 'a rare concept is not named');
  const date = variable(s, 'condition_start_date');
  assert.match(String(date.quantiles?.p50), /^2021-0[1-9]$/);
  assert.equal(date.quantiles?.p25, null, '24 × 0.25 < 10');
  // An empty column: 0 rows, never a suppressed zero.
  const end = variable(s, 'condition_end_date');
  assert.deepEqual(end.nonNull, { value: 0, suppressed: false });
  assert.equal(end.completeness, 0);
});

test('catalogue counts are rounded to 10, a positive count never to 0', () => {
  assert.deepEqual(
    [0, 1, 14, 15, 17, 24, 25, 1234].map(rounded),
    [0, 10, 10, 20, 20, 20, 30, 1230],
  );
});

test('repeated views come from the cache; an opt-out or a new batch recomputes', async () => {
  const url = '/api/v1/catalogue/condition_occurrence';
  const headers = t.as('researcher');
  const first = await t.app.inject({ url, headers });
  assert.equal(first.json<Stats>().cached, true, 'viewed by the previous test');
  // Person 1 opts out: their condition leaves the statistics.
  t.deps.optOutMirror.markStale();
  await t.store.optOuts.optOut(SYSTEM_ACTOR, 1n);
  const after1 = (await t.app.inject({ url, headers })).json<Stats>();
  assert.equal(after1.cached, false);
  // 24 → 23 rows and 20 → 19 diagnoses: rounded, the readings before and after do not tell
  // what the person who opted out had.
  assert.equal(after1.rows.value, 20);
  assert.equal(variable(after1, 'condition_concept_id').topValues?.[0]?.count, 20);
  // A small table (3 rows) is withheld whole.
  await t.warehouse.execute(
    `INSERT INTO hygie_batch (batch_id, source, format, started_at, finished_at, status)
     VALUES ('b2', 'test', 'omop-csv', '2026-02-01 10:00:00', '2026-02-01 10:05:00', 'published')`,
  );
  await t.warehouse.execute(
    `INSERT INTO death (person_id, death_date) VALUES (38, '2023-01-01'), (39, '2023-02-01'), (40, '2023-03-01')`,
  );
  const death = await t.app.inject({ url: '/api/v1/catalogue/death', headers });
  assert.equal(death.statusCode, 200, death.body);
  const d = death.json<Stats>();
  assert.deepEqual(d.rows, { value: null, suppressed: true });
  assert.ok(d.variables.every((v) => (v.nonNull.value ?? 0) === 0 && v.distinct === null));
  assert.ok(d.variables.some((v) => v.nonNull.suppressed));
  assert.equal(d.dataAsOf?.slice(0, 7), '2026-02');
});

test('hygie_ tables and unknown tables are not in the catalogue; reads are audited', async () => {
  for (const table of ['hygie_opt_out', 'hygie_batch', 'cdm_source', 'nope']) {
    const res = await t.app.inject({
      url: `/api/v1/catalogue/${table}`,
      headers: t.as('researcher'),
    });
    assert.equal(res.statusCode, 404, table);
  }
  const events = await t.store.audit.list({ action: 'catalogue.read' });
  const read = events.find((e) => e.targetId === 'person');
  assert.ok(read);
  assert.equal(read.details.table, 'person');
  assert.equal(typeof read.details.variables, 'number');
  assert.ok(!JSON.stringify(events).includes('"rows":40'), 'no value in the audit trail');
});
