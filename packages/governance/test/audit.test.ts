import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HygieError, SYSTEM_ACTOR } from '@hygie/core';
import type { AuditEventInput } from '@hygie/core';
import { openGovernanceStore } from '../src/index.js';
import { CONTENT, MINUTE, PROJECT, TestClock, memoryStore, seedAccount } from './helpers.js';

test('the audit tables are append-only: the database refuses UPDATE and DELETE', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hygie-gov-'));
  const file = join(dir, 'governance.sqlite');
  try {
    const store = await openGovernanceStore({ kind: 'sqlite', file });
    await store.migrate();
    const { actor } = await seedAccount(store, 'alice', ['researcher']);
    const p = await store.projects.create(actor, PROJECT);
    await store.applications.createDraft(actor, p.id, CONTENT);
    await store.close();

    const raw = new Database(file);
    try {
      for (const table of ['gov_audit_events', 'gov_application_events']) {
        const n = (raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        assert.ok(n > 0, table);
        assert.throws(
          () => raw.prepare(`UPDATE ${table} SET at = 'x'`).run(),
          /append-only/,
          table,
        );
        assert.throws(() => raw.prepare(`DELETE FROM ${table}`).run(), /append-only/, table);
        assert.equal(
          (raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
          n,
        );
      }
      // Every history table carries both triggers (gov_permit_events is empty here); release
      // requests are final once decided and never deleted.
      const triggers = raw
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        .all();
      assert.deepEqual(
        triggers.map((t) => (t as { name: string }).name),
        [
          ...['application_events', 'audit_events', 'budget_reservations', 'permit_events'],
          ...['query_runs'],
        ]
          .flatMap((t) => ['delete', 'update'].map((op) => `gov_${t}_no_${op}`))
          .concat(['gov_release_requests_final', 'gov_release_requests_no_delete'])
          .concat(['gov_releases_no_delete', 'gov_releases_no_update']),
      );
      // Inserting stays possible (that is what append-only means).
      raw
        .prepare(
          "INSERT INTO gov_audit_events (at, action, decision, details) VALUES ('2025-01-01T00:00:00.000Z', 'test.insert', 'allow', '{}')",
        )
        .run();
    } finally {
      raw.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('record validates events: no NIR-shaped value, no unknown field, flat details', async () => {
  const { store } = await memoryStore();
  try {
    const base: AuditEventInput = {
      actorRole: 'analyst',
      actorId: 'u-1',
      action: 'data.access',
      decision: 'allow',
    };
    const e = await store.audit.record({
      ...base,
      targetType: 'permit',
      targetId: 'p-1',
      permitId: 'p-1',
      details: { rows: 12 },
    });
    assert.equal(e.id, 1);
    assert.equal(e.at, '2025-03-01T09:00:00.000Z');
    assert.deepEqual(e.details, { rows: 12 });
    assert.equal(e.reason, null);
    for (const bad of [
      { ...base, details: { note: 'patient 2 87 03 75 115 042 33' } },
      { ...base, targetId: '287037511504233' },
      { ...base, details: { nested: { x: 1 } } },
      { ...base, decision: 'maybe' },
      { ...base, patient: 'x' },
    ]) {
      await assert.rejects(
        store.audit.record(bad as AuditEventInput),
        (err: unknown) => err instanceof HygieError && err.code === 'HYG_INVALID_ARGUMENT',
      );
    }
    assert.equal(await store.audit.count(), 1);
  } finally {
    await store.close();
  }
});

test('a refusal carrying a NIR-shaped value is still recorded, without the value', async () => {
  const { store } = await memoryStore();
  try {
    const { actor } = await seedAccount(store, 'alice', ['researcher']);
    const nirLike = '287037511504233';
    await assert.rejects(
      store.permits.authorize(actor, nirLike, {
        kind: 'aggregate',
        data: [{ table: 'person', variables: ['year_of_birth'] }],
        period: { from: '2020-01-01', to: '2020-12-31' },
      }),
      (e: unknown) => e instanceof HygieError && e.code === 'HYG_NOT_FOUND',
    );
    const denials = await store.audit.list({ decision: 'deny' });
    assert.equal(denials.length, 1);
    assert.equal(denials[0]?.reason, 'HYG_NOT_FOUND');
    assert.ok(!JSON.stringify(denials).includes(nirLike));
  } finally {
    await store.close();
  }
});

test('list filters: actor, action prefix (LIKE wildcards escaped), time window, paging', async () => {
  const { store, clock } = await memoryStore(new TestClock('2025-01-01T00:00:00.000Z'));
  try {
    const rec = (action: string, actorId: string) =>
      store.audit.record({ actorRole: 'system', actorId, action, decision: 'allow' });
    await rec('opt_out.create', 'a');
    clock.advance(MINUTE);
    await rec('optxout.create', 'b');
    clock.advance(MINUTE);
    await rec('opt_out.withdraw', 'a');
    assert.deepEqual(
      (await store.audit.list({ actionPrefix: 'opt_out.' })).map((e) => e.action),
      ['opt_out.create', 'opt_out.withdraw'],
    );
    assert.deepEqual(
      (await store.audit.list({ actorId: 'b' })).map((e) => e.id),
      [2],
    );
    assert.deepEqual(
      (
        await store.audit.list({ from: '2025-01-01T00:01:00Z', to: '2025-01-01T00:02:00.000Z' })
      ).map((e) => e.id),
      [2],
    );
    assert.deepEqual(
      (await store.audit.list({ afterId: 1, limit: 1 })).map((e) => e.id),
      [2],
    );
    assert.equal(await store.audit.count({ actionPrefix: 'opt' }), 3);
    await assert.rejects(
      store.audit.list({ limit: 0 }),
      (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT',
    );
    await assert.rejects(
      store.audit.list({ from: 'yesterday' }),
      (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT',
    );
  } finally {
    await store.close();
  }
});

test('audit events never carry secrets: passwords and tokens stay out of the trail', async () => {
  const { store } = await memoryStore();
  try {
    const user = await store.users.create(SYSTEM_ACTOR, {
      login: 'alice',
      displayName: 'Alice',
      roles: ['researcher'],
      password: 'a long and secret password',
    });
    const t = await store.users.createApiToken(SYSTEM_ACTOR, user.id, { label: 'ci' });
    await store.users.authenticateToken(t.token);
    await assert.rejects(store.users.verifyPassword('alice', 'a long but wrong password'));
    const trail = JSON.stringify(await store.audit.list());
    for (const secret of [
      'a long and secret password',
      'a long but wrong password',
      t.token,
      'scrypt$',
      '"alice"',
    ]) {
      assert.ok(!trail.includes(secret), secret);
    }
  } finally {
    await store.close();
  }
});
