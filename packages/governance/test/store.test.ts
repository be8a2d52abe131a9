import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HygieError, SYSTEM_ACTOR } from '@hygie/core';
import { GOVERNANCE_SQLITE_FILE, knownMigrations, openGovernanceStore } from '../src/index.js';
import { CONTENT, PROJECT, memoryStore, seedAccount } from './helpers.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hygie-gov-'));
}

test('migrations are versioned and idempotent', async () => {
  const { store } = await memoryStore();
  try {
    assert.deepEqual(knownMigrations('sqlite'), ['0001-governance-schema', '0002-project-results']);
    assert.equal(await store.schemaVersion(), '0002-project-results');
    const again = await store.migrate();
    assert.deepEqual(again, { applied: [], current: '0002-project-results' });
  } finally {
    await store.close();
  }
});

test('a fresh store reports no schema before migrate', async () => {
  const store = await openGovernanceStore({ kind: 'sqlite-memory' });
  try {
    assert.equal(await store.schemaVersion(), null);
    assert.deepEqual((await store.migrate()).applied, [
      '0001-governance-schema',
      '0002-project-results',
    ]);
  } finally {
    await store.close();
  }
});

test('the SQLite file is created 0600 in a 0700 directory, in WAL mode with foreign keys', async () => {
  const dir = tempDir();
  const dataDir = join(dir, 'data');
  const file = join(dataDir, GOVERNANCE_SQLITE_FILE);
  try {
    const store = await openGovernanceStore({ kind: 'sqlite', file });
    await store.migrate();
    await seedAccount(store, 'alice', ['researcher']);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
    for (const side of ['-wal', '-shm']) {
      if (existsSync(file + side)) assert.equal(statSync(file + side).mode & 0o077, 0, side);
    }
    await store.close();
    const raw = new Database(file);
    try {
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      raw.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an existing store file readable by others is narrowed to 0600', async () => {
  const dir = tempDir();
  const file = join(dir, GOVERNANCE_SQLITE_FILE);
  try {
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const store = await openGovernanceStore({ kind: 'sqlite', file });
    await store.migrate();
    await store.close();
    assert.equal(statSync(file).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store file reopened keeps its data and migrates nothing', async () => {
  const dir = tempDir();
  const file = join(dir, GOVERNANCE_SQLITE_FILE);
  try {
    let store = await openGovernanceStore({ kind: 'sqlite', file });
    await store.migrate();
    await seedAccount(store, 'alice', ['researcher']);
    await store.close();
    store = await openGovernanceStore({ kind: 'sqlite', file });
    assert.deepEqual((await store.migrate()).applied, []);
    assert.equal((await store.users.findByLogin('alice'))?.displayName, 'Dr alice');
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store migrated by a newer version (unknown migration) is refused', async () => {
  const dir = tempDir();
  const file = join(dir, GOVERNANCE_SQLITE_FILE);
  try {
    let store = await openGovernanceStore({ kind: 'sqlite', file });
    await store.migrate();
    await store.close();
    const raw = new Database(file);
    raw
      .prepare('INSERT INTO gov_migrations (name, timestamp) VALUES (?, ?)')
      .run('9999-from-the-future', new Date().toISOString());
    raw.close();
    store = await openGovernanceStore({ kind: 'sqlite', file });
    await assert.rejects(
      store.migrate(),
      (e: unknown) => e instanceof HygieError && e.code === 'HYG_MIGRATION_FAILED',
    );
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('foreign keys and CHECK constraints are enforced', async () => {
  const dir = tempDir();
  const file = join(dir, GOVERNANCE_SQLITE_FILE);
  try {
    const store = await openGovernanceStore({ kind: 'sqlite', file });
    await store.migrate();
    await store.close();
    const raw = new Database(file);
    raw.pragma('foreign_keys = ON');
    assert.throws(
      () =>
        raw.prepare("INSERT INTO gov_user_roles (user_id, role) VALUES ('nobody', 'admin')").run(),
      /FOREIGN KEY/,
    );
    raw
      .prepare(
        "INSERT INTO gov_users (id, login, display_name, created_at) VALUES ('u', 'u', 'U', '2025-01-01T00:00:00.000Z')",
      )
      .run();
    assert.throws(
      () =>
        raw.prepare("INSERT INTO gov_user_roles (user_id, role) VALUES ('u', 'superuser')").run(),
      /CHECK/,
    );
    raw
      .prepare(
        "INSERT INTO gov_projects (id, title, purpose, legal_basis, public_summary, status, created_by, created_at, updated_at) VALUES ('p', 'P', 'P', 'L', 'S', 'active', 'u', 'x', 'x')",
      )
      .run();
    const result = raw.prepare(
      "INSERT INTO gov_project_results (id, project_id, title, kind, url, added_by, added_at) VALUES (?, 'p', 'R', 'report', ?, 'u', 'x')",
    );
    result.run('r1', 'HTTPS://example.org/report');
    // A link the directory would publish must be http(s), whatever wrote the row.
    assert.throws(() => result.run('r2', 'javascript:alert(1)'), /CHECK/);
    assert.throws(
      () =>
        raw
          .prepare(
            "INSERT INTO gov_project_results (id, project_id, title, kind, added_by, added_at) VALUES ('r3', 'p', 'R', 'poster', 'u', 'x')",
          )
          .run(),
      /CHECK/,
    );
    // A removal names its time, author and reason together.
    assert.throws(
      () => raw.prepare("UPDATE gov_project_results SET removed_at = 'x' WHERE id = 'r1'").run(),
      /CHECK/,
    );
    raw.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ping answers; bad settings are refused', async () => {
  const { store } = await memoryStore();
  await store.ping();
  assert.equal(store.settings.requiredApprovals, 2);
  assert.equal(store.settings.maxFailedLogins, 5);
  assert.equal(store.settings.lockoutMs, 15 * 60_000);
  assert.equal(store.settings.defaultMinCellSize, 10);
  await store.close();
  await assert.rejects(
    openGovernanceStore({ kind: 'sqlite-memory', settings: { requiredApprovals: 0 } }),
    (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_CONFIG',
  );
});

test('store.transaction commits together or not at all', async () => {
  const { store } = await memoryStore();
  try {
    const { actor } = await seedAccount(store, 'alice', ['researcher']);
    const project = await store.transaction(async (tx) => {
      const p = await tx.projects.create(actor, PROJECT);
      await tx.applications.createDraft(actor, p.id, CONTENT);
      return p;
    });
    assert.equal((await store.applications.listByProject(project.id)).length, 1);

    const before = await store.audit.count();
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.projects.create(actor, { ...PROJECT, title: 'Rolled back' });
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal((await store.projects.list()).length, 1);
    // The allowed event rolled back with its change.
    assert.equal(await store.audit.count(), before);
  } finally {
    await store.close();
  }
});

test('a refusal inside a transaction is recorded once, whether the transaction commits or rolls back', async () => {
  const { store } = await memoryStore();
  try {
    const { actor } = await seedAccount(store, 'alice', ['researcher']);
    const { actor: outsider } = await seedAccount(store, 'mallory', ['researcher']);
    const p = await store.projects.create(actor, PROJECT);
    const denials = () => store.audit.count({ decision: 'deny' });

    // Caught inside, transaction commits: the savepoint undid the failed call only.
    await store.transaction(async (tx) => {
      await assert.rejects(tx.applications.createDraft(outsider, p.id, CONTENT), /members/);
      await tx.applications.createDraft(actor, p.id, CONTENT);
    });
    assert.equal(await denials(), 1);
    assert.equal((await store.applications.listByProject(p.id)).length, 1);

    // Not caught: the transaction rolls back, the refusal stays.
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.applications.createDraft(actor, p.id, CONTENT);
        await tx.applications.createDraft(outsider, p.id, CONTENT);
      }),
      (e: unknown) => e instanceof HygieError && e.code === 'HYG_FORBIDDEN',
    );
    assert.equal(await denials(), 2);
    assert.equal((await store.applications.listByProject(p.id)).length, 1);
  } finally {
    await store.close();
  }
});

test('the system actor cannot create projects (deny by default, even for the platform)', async () => {
  const { store } = await memoryStore();
  try {
    await assert.rejects(
      store.projects.create(SYSTEM_ACTOR, PROJECT),
      (e: unknown) => e instanceof HygieError && e.code === 'HYG_FORBIDDEN',
    );
  } finally {
    await store.close();
  }
});
