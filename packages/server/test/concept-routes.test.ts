/**
 * Concept search over a real app and a small vocabulary: by code prefix (dots ignored), by words
 * of the name (case- and accent-insensitive on DuckDB), codes first, within a vocabulary, with a
 * bounded limit, and with every value bound (a quote in `q` is just a character).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let t: TestApp;

interface Concept {
  conceptId: number;
  code: string;
  name: string;
  vocabulary: string;
  conceptClass: string;
  descendants: number;
}

async function search(query: string): Promise<Concept[]> {
  const res = await t.app.inject({ url: `/api/v1/concepts?${query}`, headers: t.as('researcher') });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{ concepts: Concept[] }>().concepts;
}

before(async () => {
  t = await testApp();
  const rows: [number, string, string, string, string][] = [
    [1, 'E11', 'Diabète sucré de type 2', 'CIM10', 'ICD10 Hierarchy'],
    [2, 'E119', 'Diabète sucré de type 2, sans complication', 'CIM10', 'ICD10 code'],
    [3, 'E10', 'Diabète sucré de type 1', 'CIM10', 'ICD10 Hierarchy'],
    [4, 'J45', "Asthme d'effort", 'CIM10', 'ICD10 Hierarchy'],
    [5, 'A10BA02', 'metformine', 'ATC', 'ATC 5th'],
    [6, 'DIAB01', 'Autre chose', 'CCAM', 'CCAM code'],
  ];
  await t.warehouse.appendRows(
    'concept',
    [
      'concept_id',
      'concept_code',
      'concept_name',
      'vocabulary_id',
      'concept_class_id',
      'domain_id',
      'valid_start_date',
      'valid_end_date',
    ],
    rows.map((r) => [...r, 'Condition', '1970-01-01', '2099-12-31']),
  );
  await t.warehouse.appendRows(
    'concept_ancestor',
    [
      'ancestor_concept_id',
      'descendant_concept_id',
      'min_levels_of_separation',
      'max_levels_of_separation',
    ],
    [
      [1, 1, 0, 0],
      [1, 2, 1, 1],
    ],
  );
});

after(async () => {
  await t.close();
});

test('by code prefix, dots ignored, case-insensitive, with descendants', async () => {
  const byCode = await search('q=e11');
  assert.deepEqual(
    byCode.map((c) => c.code),
    ['E11', 'E119'],
  );
  assert.equal(byCode[0]?.descendants, 1);
  assert.equal(byCode[0]?.conceptClass, 'ICD10 Hierarchy');
  assert.deepEqual(
    (await search('q=E11.9')).map((c) => c.code),
    ['E119'],
  );
});

test('by words of the name, accent-insensitive, codes first', async () => {
  assert.deepEqual(
    (await search('q=DIABETE%20type%201')).map((c) => c.code),
    ['E10'],
  );
  // "diab": the CCAM code DIAB01 matches by code and comes first, then the names.
  const diab = await search('q=diab');
  assert.equal(diab[0]?.code, 'DIAB01');
  assert.deepEqual(
    diab
      .slice(1)
      .map((c) => c.code)
      .sort(),
    ['E10', 'E11', 'E119'],
  );
  assert.deepEqual(
    (await search('q=diab&vocabulary=CIM10&limit=2')).map((c) => c.code),
    ['E10', 'E11'],
  );
  assert.deepEqual(
    (await search('q=metformine&vocabulary=ATC')).map((c) => c.code),
    ['A10BA02'],
  );
});

test('values are bound: a quote is searched for, not executed', async () => {
  assert.deepEqual(
    (await search(`q=${encodeURIComponent("d'effort")}`)).map((c) => c.code),
    ['J45'],
  );
  assert.deepEqual(await search(`q=${encodeURIComponent("x' OR '1'='1")}`), []);
});

test('bounds: limit at most 100, q required, unknown vocabulary refused', async () => {
  for (const query of ['q=e&limit=101', 'q=', 'limit=5', 'q=e&vocabulary=SNOMED']) {
    const res = await t.app.inject({
      url: `/api/v1/concepts?${query}`,
      headers: t.as('researcher'),
    });
    assert.equal(res.statusCode, 400, query);
  }
  const anon = await t.app.inject({ url: '/api/v1/concepts?q=e11' });
  assert.equal(anon.statusCode, 401);
});
