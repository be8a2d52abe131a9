import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  HygieError,
  parseGovernanceInput,
  query,
  queryHash,
  queryRunInputSchema,
  queryRunResultSchema,
  releasedContent,
  releasedJson,
  resultContentHash,
  resultJson,
} from '../src/index.js';
import type { QueryRunInput } from '../src/index.js';

const q = query({ from: '2020-01-01', to: '2020-12-31' })
  .measure({ kind: 'person_count', name: 'persons' })
  .stratify('sex')
  .build();

const result = {
  tables: [
    {
      name: 'persons',
      dimensions: ['sex'],
      cells: [
        { strata: { sex: 'F' }, measure: 'persons', value: 120, flag: null },
        { strata: { sex: 'M' }, measure: 'persons', value: null, flag: 'suppressed' },
      ],
    },
  ],
  attrition: [{ step: 'observed in the period', persons: 240 }],
  disclosure: { minCellSize: 10, suppressed: 1, rounding: 5, mechanisms: [] },
};

const completed: QueryRunInput = {
  projectId: 'p',
  permitId: 'k',
  queryHash: queryHash(q),
  query: q,
  engine: 'duckdb',
  status: 'completed',
  result,
  epsilon: 0.1,
  delta: 0,
  startedAt: '2025-03-01T09:00:00Z',
  finishedAt: '2025-03-01T09:00:01.250Z',
};

function issuePath(input: unknown): string {
  const r = queryRunInputSchema.safeParse(input);
  assert.equal(r.success, false, 'refused');
  return r.error?.issues[0]?.path.join('.') ?? '';
}

test('a completed run has a result; a failed one an error code and no result', () => {
  const r = queryRunInputSchema.parse(completed);
  assert.equal(r.startedAt, '2025-03-01T09:00:00.000Z');
  assert.equal(r.delta, 0);
  const failed = queryRunInputSchema.parse({
    ...completed,
    status: 'failed',
    result: null,
    errorCode: 'HYG_WAREHOUSE_ERROR',
  });
  assert.equal(failed.result, null);
  assert.equal(issuePath({ ...completed, result: undefined }), 'result');
  assert.equal(issuePath({ ...completed, errorCode: 'HYG_X' }), 'errorCode');
  assert.equal(issuePath({ ...completed, status: 'failed', errorCode: 'X' }), 'result');
  assert.equal(
    issuePath({ ...completed, status: 'failed', result: undefined, errorCode: 'bad code!' }),
    'errorCode',
  );
  assert.equal(issuePath({ ...completed, status: 'failed', result: undefined }), 'errorCode');
});

test("the hash must be the query's; times in order; engines and costs bounded", () => {
  assert.equal(issuePath({ ...completed, queryHash: 'a'.repeat(64) }), 'queryHash');
  assert.equal(issuePath({ ...completed, queryHash: queryHash(q).toUpperCase() }), 'queryHash');
  assert.equal(issuePath({ ...completed, finishedAt: '2025-03-01T08:59:59Z' }), 'finishedAt');
  assert.equal(issuePath({ ...completed, engine: 'sqlite' }), 'engine');
  assert.equal(issuePath({ ...completed, epsilon: -0.1 }), 'epsilon');
  assert.equal(issuePath({ ...completed, delta: 0.5 }), 'delta');
  assert.equal(issuePath({ ...completed, query: { ...q, version: 2 } }), 'query.version');
  assert.equal(issuePath({ ...completed, extra: true }), '');
  assert.throws(
    () => parseGovernanceInput(queryRunInputSchema, { ...completed, engine: 'x' }, 'query run'),
    (e: unknown) => e instanceof HygieError && e.details.argument === 'engine',
  );
});

test('a stored result holds aggregates only: no person key, no NIR, nothing pre-control', () => {
  assert.deepEqual(queryRunResultSchema.parse(result), result);
  assert.deepEqual(queryRunResultSchema.parse({ tables: [], disclosure: {} }).attrition, []);
  const bad: [unknown, string][] = [
    [
      { ...result, tables: [{ rows: [{ person_id: 4242, sex: 'F' }] }] },
      'tables.0.rows.0.person_id',
    ],
    [{ ...result, tables: [{ rows: [{ personId: '4242' }] }] }, 'tables.0.rows.0.personId'],
    [
      { ...result, tables: [{ cells: [{ value: 3, contributions: { top: [2, 1], total: 3 } }] }] },
      'tables.0.cells.0.contributions',
    ],
    [{ ...result, disclosure: { note: 'patient 1 84 12 75 123 456 78' } }, 'disclosure.note'],
    [{ ...result, extra: [] }, ''],
    [{ ...result, tables: [{ value: Number.NaN }] }, 'tables.0.value'],
  ];
  for (const [input, path] of bad) {
    const r = queryRunResultSchema.safeParse(input);
    assert.equal(r.success, false, path);
    assert.equal(r.error?.issues[0]?.path.join('.'), path);
  }
});

test('stored results are canonical JSON, hashed with SHA-256', () => {
  const reordered = {
    disclosure: result.disclosure,
    attrition: result.attrition,
    tables: result.tables,
  };
  const json = resultJson(queryRunResultSchema.parse(result));
  assert.equal(resultJson(queryRunResultSchema.parse(reordered)), json);
  assert.ok(json.startsWith('{"attrition":'));
  assert.equal(resultContentHash(json), createHash('sha256').update(json).digest('hex'));
  assert.match(resultContentHash(json), /^[0-9a-f]{64}$/);
});

test('a release carries the tables and the attrition, not the disclosure report', () => {
  const parsed = queryRunResultSchema.parse(result);
  assert.deepEqual(releasedContent(parsed), {
    tables: parsed.tables,
    attrition: parsed.attrition,
  });
  const json = releasedJson(parsed);
  assert.equal(json, releasedJson(releasedContent(parsed)));
  assert.ok(json.startsWith('{"attrition":') && !json.includes('disclosure'));
  assert.ok(!json.includes('minCellSize'));
});
