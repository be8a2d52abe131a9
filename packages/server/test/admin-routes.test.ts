/**
 * The administrators' operations views over a real app: ingestion batches newest first with
 * their counts, a batch's quarantine (where and which rule, never a value or identifier), the
 * key status (never key material), refusals for other roles, and reads audited.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { masterKeyId } from '@hygie/core';
import { KeyRing } from '@hygie/keys';
import { buildApp } from '../src/index.js';
import { TEST_MASTER, testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let t: TestApp;
const NIR = '185057800608491';

before(async () => {
  t = await testApp();
  const keyId = t.keyRing.keyId;
  const w = t.warehouse;
  await w.execute(
    `INSERT INTO hygie_batch (batch_id, source, format, started_at, finished_at, status, key_id, platform_key_version, row_counts, manifest)
     VALUES ('b-old', 'snds-dcir', 'snds-csv', '2026-01-01 10:00:00', '2026-01-01 10:05:00', 'published', $1, 1,
             '{"IR_BEN_R":{"read":12,"loaded":10,"quarantined":2}}', '{"cdm":{"person":10}}'),
            ('b-new', 'fhir-chu', 'fhir-ndjson', '2026-02-01 10:00:00', '2026-02-01 10:01:00', 'rejected', $1, 1,
             NULL, NULL)`,
    [keyId],
  );
  await w.appendRows(
    'hygie_quarantine',
    ['batch_id', 'path', 'line', 'source_table', 'field', 'rule'],
    [
      ['b-old', 'IR_BEN_R.csv', 3, 'IR_BEN_R', 'BEN_NAI_ANN', 'not a year (YYYY)'],
      ['b-old', 'IR_BEN_R.csv', 7, 'IR_BEN_R', 'BEN_NIR_PSA', `bad identifier ${NIR}`],
    ],
  );
});

after(async () => {
  await t.close();
});

test('batches, newest first, with row and quarantine counts', async () => {
  const res = await t.app.inject({ url: '/api/v1/admin/batches', headers: t.as('admin') });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<{
    total: number;
    batches: {
      batchId: string;
      status: string;
      sourceTables: Record<string, { read: number; loaded: number; quarantined: number }> | null;
      cdmRows: Record<string, number> | null;
      quarantined: number;
      keyId: string | null;
    }[];
  }>();
  assert.equal(body.total, 2);
  assert.deepEqual(
    body.batches.map((b) => [b.batchId, b.status, b.quarantined]),
    [
      ['b-new', 'rejected', 0],
      ['b-old', 'published', 2],
    ],
  );
  assert.deepEqual(body.batches[1]?.sourceTables, {
    IR_BEN_R: { read: 12, loaded: 10, quarantined: 2 },
  });
  assert.deepEqual(body.batches[1]?.cdmRows, { person: 10 });
  const page = await t.app.inject({
    url: '/api/v1/admin/batches?limit=1&offset=1',
    headers: t.as('admin'),
  });
  assert.deepEqual(
    page.json<{ batches: { batchId: string }[] }>().batches.map((b) => b.batchId),
    ['b-old'],
  );
});

test('a batch quarantine: where and which rule, no identifier', async () => {
  const res = await t.app.inject({
    url: '/api/v1/admin/batches/b-old/quarantine?limit=10',
    headers: t.as('admin'),
  });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<{
    total: number;
    rules: { rule: string; count: number }[];
    records: { path: string; line: number; field: string | null; rule: string }[];
  }>();
  assert.equal(body.total, 2);
  assert.deepEqual(
    body.records.map((r) => [r.line, r.field]),
    [
      [3, 'BEN_NAI_ANN'],
      [7, 'BEN_NIR_PSA'],
    ],
  );
  assert.equal(body.rules.length, 2);
  assert.ok(!res.body.includes(NIR), 'a NIR-shaped value is redacted');
  assert.ok(res.body.includes('[redacted]'));
  const missing = await t.app.inject({
    url: '/api/v1/admin/batches/nope/quarantine',
    headers: t.as('admin'),
  });
  assert.equal(missing.statusCode, 404);
});

test('key status: ids, versions and dates, never key material', async () => {
  await t.store.audit.record({
    actorRole: 'operator',
    actorId: null,
    action: 'key.export_source',
    targetType: 'key',
    targetId: t.keyRing.keyId,
    decision: 'allow',
  });
  const res = await t.app.inject({ url: '/api/v1/admin/keys', headers: t.as('admin') });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<{
    keyRing: { keyId: string; platformKeyVersion: number; createdAt: string };
    sourceKey: { exported: boolean; exports: number; lastExportedAt: string | null };
    warehouse: {
      keyId: string | null;
      platformKeyVersion: number | null;
      matchesKeyRing: boolean | null;
      keys: {
        keyId: string;
        platformKeyVersions: number[];
        batches: number;
        firstUsedAt: string;
        lastUsedAt: string;
      }[];
    };
  }>();
  assert.equal(body.keyRing.keyId, masterKeyId(TEST_MASTER));
  assert.equal(body.keyRing.platformKeyVersion, 1);
  assert.equal(body.sourceKey.exported, true);
  assert.equal(body.sourceKey.exports, 1);
  assert.equal(body.warehouse.keyId, t.keyRing.keyId);
  assert.equal(body.warehouse.platformKeyVersion, 1);
  assert.equal(body.warehouse.matchesKeyRing, true);
  assert.deepEqual(body.warehouse.keys, [
    {
      keyId: t.keyRing.keyId,
      platformKeyVersions: [1],
      batches: 1,
      firstUsedAt: body.warehouse.keys[0]?.firstUsedAt,
      lastUsedAt: body.warehouse.keys[0]?.lastUsedAt,
    },
  ]);
  // No secret, in any encoding: the master, and the keys derived from it.
  const secrets = [
    TEST_MASTER,
    t.keyRing.sourceNirKey(),
    t.keyRing.platformKey(1),
    t.keyRing.logActorKey(),
  ];
  for (const s of secrets) {
    for (const text of [s.toString('hex'), s.toString('base64'), s.toString('base64url')]) {
      assert.ok(!res.body.toLowerCase().includes(text.toLowerCase()), 'no key material');
    }
  }
});

test('key status without a key ring: HYG_UNAVAILABLE', async () => {
  const built = await buildApp({
    config: t.deps.config,
    warehouse: t.warehouse,
    governance: t.store,
    authenticator: t.deps.authenticator,
    logger: false,
  });
  try {
    const res = await built.app.inject({ url: '/api/v1/admin/keys', headers: t.as('admin') });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json<{ code: string }>().code, 'HYG_UNAVAILABLE');
  } finally {
    await built.app.close();
  }
  assert.ok(new KeyRing(TEST_MASTER).keyId === t.keyRing.keyId);
});

test('administrators only: 403 for a researcher, 401 anonymous; reads audited', async () => {
  for (const url of [
    '/api/v1/admin/batches',
    '/api/v1/admin/batches/b-old/quarantine',
    '/api/v1/admin/keys',
  ]) {
    assert.equal((await t.app.inject({ url, headers: t.as('researcher') })).statusCode, 403, url);
    assert.equal((await t.app.inject({ url })).statusCode, 401, url);
  }
  const actions = (await t.store.audit.list({ decision: 'allow' })).map((e) => e.action);
  for (const a of ['batch.list', 'batch.quarantine', 'key.status']) {
    assert.ok(actions.includes(a), a);
  }
});
