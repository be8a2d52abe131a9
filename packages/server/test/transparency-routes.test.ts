/**
 * The public transparency log over HTTP (issue #6): after governance actions and refusals, the
 * feeder has put one entry per audit event (same seq), with pseudonymous actors only; the head
 * verifies with the public key; inclusion and consistency proofs fetched over HTTP verify; the
 * export verifies offline. Also the feeder's redaction and daily sealing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  publicKeyFromPem,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
  type AuditEvent,
  type LogEntry,
  type SignedTreeHead,
} from '@hygie/core';
import { openTransparencyLog, verifyLogExport } from '@hygie/governance';
import { LogFeeder } from '../src/transparency/log-feeder.js';
import { approvedApplication, call, expectStatus } from './governance-fixtures.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let t: TestApp;
let committeeLogins: string[] = [];
const FAKE_NIR = '180047512345678';

before(async () => {
  t = await testApp();
  const approved = await approvedApplication(t);
  committeeLogins = approved.committee.map((c) => c.user.login);
  // Refusals: an anonymous call of a protected route, a researcher on an admin route, a citizen
  // identification that does not match.
  assert.equal((await call(t, null, 'GET', '/api/v1/me')).statusCode, 401);
  assert.equal((await call(t, 'researcher', 'GET', '/api/v1/users')).statusCode, 403);
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/citizen/identify',
    payload: { nir: FAKE_NIR, birthDate: '1980-04-17' },
  });
});
after(async () => {
  await t.close();
});

async function* linesOf(lines: readonly string[]): AsyncIterable<string> {
  yield* lines;
}

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

interface Head {
  logId: string;
  publicKeyPem: string;
  head: SignedTreeHead;
}

async function head(): Promise<Head> {
  return expectStatus<Head>(await call(t, null, 'GET', '/api/v1/transparency/head'), 200);
}

async function allEntries(size: number): Promise<{ index: number; entry: LogEntry }[]> {
  const body = expectStatus<{ entries: { index: number; entry: LogEntry }[] }>(
    await call(t, null, 'GET', `/api/v1/transparency/entries?start=0&end=${size}`),
    200,
  );
  return body.entries;
}

test('one log entry per audit event, same seq, pseudonymous actors only', async () => {
  const h = await head();
  const events = await t.store.audit.list({ limit: 10_000 });
  // The head call's own feed ran before answering; nothing audited the public reads.
  assert.equal(h.head.treeSize, events.length);
  assert.ok(events.some((e) => e.decision === 'deny'));
  const entries = await allEntries(h.head.treeSize);
  assert.deepEqual(
    entries.map((e) => e.entry.seq),
    events.map((e) => e.id),
  );
  const text = JSON.stringify(entries);
  const userIds = [...Object.values(t.users).map((u) => u.id)];
  for (const id of userIds) assert.ok(!text.includes(id), 'a user id reached the log');
  for (const login of committeeLogins) assert.ok(!text.includes(login), 'a login reached the log');
  assert.ok(!text.includes(FAKE_NIR), 'a NIR reached the log');
  assert.ok(
    !/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(
      JSON.stringify(entries.map((e) => [e.entry.actorId, e.entry.shape ?? {}])),
    ),
  );
  for (const e of entries) assert.match(e.entry.actorId, /^[0-9a-f]{32}$/);
  // The same account keeps the same pseudonym.
  const researcherEvents = events.filter((e) => e.actorId === t.users.researcher.id);
  const pseudonyms = new Set(
    entries
      .filter((_, i) => events[i]?.actorId === t.users.researcher.id)
      .map((e) => e.entry.actorId),
  );
  assert.ok(researcherEvents.length > 1);
  assert.equal(pseudonyms.size, 1);
});

test('the head verifies with the public key served at /public-key', async () => {
  const h = await head();
  const res = await call(t, null, 'GET', '/api/v1/transparency/public-key');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain/);
  assert.equal(res.body, h.publicKeyPem);
  assert.equal(h.head.logId, h.logId);
  assert.equal(verifyTreeHead(h.head, publicKeyFromPem(res.body)), true);
});

test('inclusion proofs fetched over HTTP verify against the head root', async () => {
  const h = await head();
  const size = h.head.treeSize;
  for (const index of [0, Math.floor(size / 2), size - 1]) {
    const p = expectStatus<{ leafHash: string; rootHash: string; proof: string[] }>(
      await call(
        t,
        null,
        'GET',
        `/api/v1/transparency/proofs/inclusion?index=${index}&treeSize=${size}`,
      ),
      200,
    );
    assert.equal(p.rootHash, h.head.rootHash);
    assert.ok(
      verifyInclusion(hex(p.leafHash), index, size, p.proof.map(hex), hex(h.head.rootHash)),
      `entry ${index}`,
    );
  }
  const bad = await call(
    t,
    null,
    'GET',
    `/api/v1/transparency/proofs/inclusion?index=0&treeSize=${size + 5}`,
  );
  assert.equal(bad.statusCode, 400);
  assert.equal((bad.json() as { code: string }).code, 'HYG_INVALID_ARGUMENT');
});

test('a consistency proof between two heads verifies; heads are listed', async () => {
  const first = (await head()).head;
  // More audit events, then a new head.
  assert.equal((await call(t, 'citizen', 'GET', '/api/v1/users')).statusCode, 403);
  t.clock.advance(1000);
  const second = (await head()).head;
  assert.ok(second.treeSize > first.treeSize);
  const p = expectStatus<{ proof: string[]; firstRootHash: string; secondRootHash: string }>(
    await call(
      t,
      null,
      'GET',
      `/api/v1/transparency/proofs/consistency?first=${first.treeSize}&second=${second.treeSize}`,
    ),
    200,
  );
  assert.equal(p.firstRootHash, first.rootHash);
  assert.equal(p.secondRootHash, second.rootHash);
  assert.ok(
    verifyConsistency(
      first.treeSize,
      second.treeSize,
      hex(first.rootHash),
      hex(second.rootHash),
      p.proof.map(hex),
    ),
  );
  const heads = expectStatus<{ heads: SignedTreeHead[] }>(
    await call(t, null, 'GET', '/api/v1/transparency/heads'),
    200,
  ).heads;
  assert.deepEqual(heads.at(-1), second);
  const since = expectStatus<{ heads: SignedTreeHead[] }>(
    await call(t, null, 'GET', `/api/v1/transparency/heads?since=${first.timestamp}`),
    200,
  ).heads;
  assert.deepEqual(since, [second]);
});

test('the export downloaded over HTTP verifies offline', async () => {
  const h = await head();
  const res = await call(t, null, 'GET', '/api/v1/transparency/export');
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /ndjson/);
  const lines = res.body.split('\n').filter((l) => l.length > 0);
  const verdict = await verifyLogExport(linesOf(lines), { publicKeyPem: h.publicKeyPem });
  assert.deepEqual(verdict.problems, []);
  assert.equal(verdict.ok, true);
  assert.equal(verdict.treeSize, h.head.treeSize);
  assert.deepEqual(verdict.latestHead, h.head);
  // An edited entry is caught.
  const edited = lines.map((l) => l.replace('"decision":"deny"', '"decision":"allow"'));
  assert.notDeepEqual(edited, lines);
  assert.equal(
    (await verifyLogExport(linesOf(edited), { publicKeyPem: h.publicKeyPem })).ok,
    false,
  );
});

function event(id: number, over: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id,
    at: '2026-03-02T09:00:00.000Z',
    actorRole: 'researcher',
    actorId: '11111111-1111-4111-8111-111111111111',
    action: 'data.access',
    targetType: 'permit',
    targetId: 'p-1',
    permitId: 'p-1',
    decision: 'allow',
    reason: null,
    details: {
      operation: 'run_query',
      rows: 3,
      queryHash: 'a'.repeat(64),
      userId: '11111111-1111-4111-8111-111111111111',
      note: 'free text here',
    },
    ...over,
  };
}

test('feeder: whitelisted details only, redacted entries keep seq continuity, daily sealing', async () => {
  let now = Date.parse('2026-03-02T10:00:00.000Z');
  const clock = (): Date => new Date(now);
  const log = openTransparencyLog({ memory: true }, { signingSeed: Buffer.alloc(32, 3), clock });
  const events = [
    event(3),
    // A NIR-shaped target the log refuses: published redacted, not skipped.
    event(5, { targetId: FAKE_NIR }),
    event(9, { actorId: null, actorRole: null, details: {} }),
  ];
  const feeder = new LogFeeder({
    audit: { list: async (f) => events.filter((e) => e.id > (f?.afterId ?? 0)).slice(0, f?.limit) },
    log,
    actorKey: Buffer.alloc(32, 4),
    now: clock,
    pageSize: 2,
  });
  try {
    const r = await feeder.feedOnce();
    assert.equal(r.appended, 3);
    assert.equal(r.head?.treeSize, 3);
    const [a, b, c] = log.entries(0, 3).map((e) => e.entry);
    assert.deepEqual(a?.shape, { operation: 'run_query', rows: 3 });
    assert.equal(a?.queryHash, 'a'.repeat(64));
    assert.equal(b?.seq, 5);
    assert.equal(b?.reason, 'redacted');
    assert.equal(b?.targetId, undefined);
    assert.equal(b?.action, 'data.access');
    assert.equal(c?.actorRole, 'anonymous');
    assert.ok(!JSON.stringify(log.entries(0, 3)).includes(FAKE_NIR));
    // Nothing new and a fresh head: no signature.
    assert.equal((await feeder.feedOnce()).head, null);
    // A day later: re-signed without new entries.
    now += 24 * 60 * 60 * 1000;
    const sealed = await feeder.feedOnce();
    assert.equal(sealed.appended, 0);
    assert.equal(sealed.head?.treeSize, 3);
    assert.equal(log.heads().length, 2);
  } finally {
    await feeder.stop();
    log.close();
  }
});

test("a permit's entries, most recent first, as a public page of the log", async () => {
  const size = (await head()).head.treeSize;
  const entries = await allEntries(size);
  const permitId = entries.map((e) => e.entry.permitId).find((p) => p !== undefined);
  assert.ok(permitId, 'the approval issued a permit, in the log');
  const mine = entries.filter((e) => e.entry.permitId === permitId).map((e) => e.index);
  const page = expectStatus<{ entries: { index: number; entry: LogEntry }[] }>(
    await call(t, null, 'GET', `/api/v1/transparency/permits/${permitId}/entries?limit=1000`),
    200,
  );
  assert.deepEqual(
    page.entries.map((e) => e.index),
    [...mine].reverse(),
  );
  const none = expectStatus<{ entries: unknown[] }>(
    await call(t, null, 'GET', '/api/v1/transparency/permits/no-such-permit/entries'),
    200,
  );
  assert.deepEqual(none.entries, []);
});
