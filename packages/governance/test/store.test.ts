import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { DEFAULT_DELTA_BUDGET, HygieError, SYSTEM_ACTOR } from '@hygie/core';
import { GOVERNANCE_SQLITE_FILE, knownMigrations, openGovernanceStore } from '../src/index.js';
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from '../src/migrate.js';
import { governanceMigrationProvider } from '../src/migrations/migration-provider.js';
import { analyticsCast, releasedRun } from './analytics-suite.js';
import { CONTENT, PROJECT, TestClock, memoryStore, seedAccount } from './helpers.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hygie-gov-'));
}

test('migrations are versioned and idempotent', async () => {
  const { store } = await memoryStore();
  try {
    assert.deepEqual(knownMigrations('sqlite'), [
      '0001-governance-schema',
      '0002-project-results',
      '0003-analytics',
      '0004-login-failures',
    ]);
    assert.deepEqual(knownMigrations('postgres'), knownMigrations('sqlite'));
    assert.equal(await store.schemaVersion(), '0004-login-failures');
    const again = await store.migrate();
    assert.deepEqual(again, { applied: [], current: '0004-login-failures' });
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
      '0003-analytics',
      '0004-login-failures',
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

test('0003 on a store with permits: they get δ = 1e-9 and nothing spent, as their scopes read', async () => {
  const dir = tempDir();
  const file = join(dir, GOVERNANCE_SQLITE_FILE);
  try {
    // A store of the previous version, with an approved application and its permit.
    const old = new Kysely({ dialect: new SqliteDialect({ database: new Database(file) }) });
    const migrator = new Migrator({
      db: old,
      provider: governanceMigrationProvider('sqlite'),
      migrationTableName: MIGRATION_TABLE,
      migrationLockTableName: MIGRATION_LOCK_TABLE,
    });
    assert.equal((await migrator.migrateTo('0002-project-results')).error, undefined);
    await old.destroy();
    const raw = new Database(file);
    const scope = {
      scopeVersion: 1,
      data: [{ table: 'person', variables: ['year_of_birth'] }],
      period: { from: '2019-01-01', to: '2023-12-31' },
      population: {},
      accessMode: 'aggregate_only',
      validFrom: '2025-01-01T00:00:00.000Z',
      expiresAt: '2027-01-01T00:00:00.000Z',
      epsilonBudget: 1,
      minCellSize: 10,
    };
    const t = '2025-01-01T00:00:00.000Z';
    raw.exec(`
      INSERT INTO gov_users (id, login, display_name, created_at) VALUES ('u', 'u', 'U', '${t}');
      INSERT INTO gov_projects (id, title, purpose, legal_basis, public_summary, status, created_by, created_at, updated_at)
        VALUES ('p', 'P', 'P', 'L', 'S', 'active', 'u', '${t}', '${t}');
      INSERT INTO gov_applications (id, project_id, version, status, requested_data, population_filters, period_from, period_to,
          duration_months, access_mode, justification, requested_epsilon, created_by, created_at, updated_at)
        VALUES ('a', 'p', 1, 'approved', '[]', '{}', '2019-01-01', '2023-12-31', 24, 'aggregate_only', '', 1, 'u', '${t}', '${t}');
    `);
    raw
      .prepare(
        `INSERT INTO gov_permits (id, application_id, project_id, application_version, scope, valid_from, expires_at,
           status, epsilon_budget, epsilon_spent, min_cell_size, issued_at, updated_at)
         VALUES ('k', 'a', 'p', 1, ?, ?, ?, 'active', 1, 0.25, 10, ?, ?)`,
      )
      .run(JSON.stringify(scope), scope.validFrom, scope.expiresAt, t, t);
    raw.close();

    const clock = new TestClock('2025-06-01T00:00:00.000Z');
    const store = await openGovernanceStore({ kind: 'sqlite', file, clock: clock.now });
    try {
      assert.deepEqual((await store.migrate()).applied, ['0003-analytics', '0004-login-failures']);
      const permit = await store.permits.get('k');
      assert.equal(permit.deltaBudget, DEFAULT_DELTA_BUDGET);
      assert.equal(permit.scope.deltaBudget, DEFAULT_DELTA_BUDGET);
      assert.equal(permit.deltaSpent, 0);
      assert.equal(permit.epsilonSpent, 0.25);
      assert.equal(permit.scope.scopeVersion, 1);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the ledger, runs and the release register are append-only; decided requests are final', async () => {
  const dir = tempDir();
  const file = join(dir, GOVERNANCE_SQLITE_FILE);
  try {
    const clock = new TestClock();
    const store = await openGovernanceStore({ kind: 'sqlite', file, clock: clock.now });
    let ids: Awaited<ReturnType<typeof releasedRun>>;
    try {
      await store.migrate();
      ids = await releasedRun(await analyticsCast(store, clock));
    } finally {
      await store.close();
    }
    const raw = new Database(file);
    raw.pragma('foreign_keys = ON');
    try {
      for (const table of ['gov_releases', 'gov_query_runs', 'gov_budget_reservations']) {
        const count = () =>
          (raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        assert.equal(count(), 1, table);
        assert.throws(() => raw.prepare(`UPDATE ${table} SET id = id`).run(), /append-only/);
        assert.throws(() => raw.prepare(`DELETE FROM ${table}`).run(), /append-only/);
        assert.equal(count(), 1, table);
      }
      assert.throws(
        () => raw.prepare('UPDATE gov_releases SET content_hash = ?').run('0'.repeat(64)),
        /append-only/,
      );
      for (const statement of [
        "UPDATE gov_release_requests SET status = 'pending', decided_by = NULL, decided_at = NULL, decision_comment = NULL",
        "UPDATE gov_release_requests SET decision_comment = 'edited'",
        'DELETE FROM gov_release_requests',
      ]) {
        assert.throws(() => raw.prepare(statement).run(), /final|append-only/, statement);
      }
      assert.deepEqual(
        raw
          .prepare(
            'SELECT q.status, r.content_hash FROM gov_release_requests q JOIN gov_releases r ON r.request_id = q.id',
          )
          .all(),
        [{ status: 'approved', content_hash: ids.release.contentHash }],
      );
      // A pending request may change its decision columns only, and only once.
      const run = raw.prepare('SELECT * FROM gov_query_runs').get() as Record<string, unknown>;
      raw
        .prepare(
          `INSERT INTO gov_release_requests (id, run_id, requested_by, requested_at, justification, status)
           VALUES ('q2', ?, ?, 'x', 'J', 'pending')`,
        )
        .run(run.id, run.user_id);
      assert.throws(
        () =>
          raw
            .prepare(
              `INSERT INTO gov_release_requests (id, run_id, requested_by, requested_at, justification, status)
               VALUES ('q3', ?, ?, 'x', 'J', 'pending')`,
            )
            .run(run.id, run.user_id),
        /UNIQUE/,
      );
      assert.throws(
        () =>
          raw.prepare("UPDATE gov_release_requests SET justification = 'K' WHERE id = 'q2'").run(),
        /final/,
      );
      assert.throws(
        () =>
          raw.prepare("UPDATE gov_release_requests SET status = 'rejected' WHERE id = 'q2'").run(),
        /CHECK/,
      );
      raw
        .prepare(
          "UPDATE gov_release_requests SET status = 'withdrawn', decided_by = requested_by, decided_at = 'y' WHERE id = 'q2'",
        )
        .run();
      assert.throws(
        () =>
          raw.prepare("UPDATE gov_release_requests SET status = 'pending' WHERE id = 'q2'").run(),
        /final/,
      );
      // Hashes are lower-case hex; run outcomes are consistent.
      assert.throws(
        () =>
          raw
            .prepare(
              `INSERT INTO gov_releases (id, request_id, run_id, project_id, released_at, released_by, content_hash)
               VALUES ('x', 'q2', ?, ?, 'x', ?, ?)`,
            )
            .run(run.id, run.project_id, run.user_id, 'A'.repeat(64)),
        /CHECK/,
      );
      assert.throws(() => raw.prepare('UPDATE gov_permits SET delta_spent = -1').run(), /CHECK/);
    } finally {
      raw.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
