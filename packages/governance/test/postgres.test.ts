/**
 * The governance store on PostgreSQL: the same migrations and the same conformance suite as on
 * SQLite, on a throwaway cluster this test starts (skipped, with the reason, when it cannot).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startPgCluster } from '@hygie/test-support';
import { openGovernanceStore } from '../src/index.js';
import { analyticsCast, analyticsSuite, releasedRun } from './analytics-suite.js';
import { CONTENT, PROJECT, TestClock, seedAccount } from './helpers.js';
import { workflowSuite } from './workflow-suite.js';
import type { OpenStore } from './workflow-suite.js';

const cluster = await startPgCluster();

if ('skip' in cluster) {
  test(
    'governance store on PostgreSQL',
    { skip: `no throwaway PostgreSQL cluster: ${cluster.skip}` },
    () => {},
  );
} else {
  after(() => cluster.stop());

  test('[postgres] migrations are versioned and idempotent; history tables are append-only; result links are http(s)', async () => {
    const url = await cluster.createDatabase();
    let projectId = '';
    let userId = '';
    const store = await openGovernanceStore({
      kind: 'postgres',
      connectionString: url,
      clock: new TestClock().now,
    });
    try {
      assert.equal(store.kind, 'postgres');
      assert.equal(await store.schemaVersion(), null);
      assert.deepEqual((await store.migrate()).applied, [
        '0001-governance-schema',
        '0002-project-results',
        '0003-analytics',
        '0004-login-failures',
      ]);
      assert.deepEqual(await store.migrate(), { applied: [], current: '0004-login-failures' });
      await store.ping();
      const { actor } = await seedAccount(store, 'alice', ['researcher']);
      const p = await store.projects.create(actor, PROJECT);
      await store.applications.createDraft(actor, p.id, CONTENT);
      projectId = p.id;
      userId = actor.userId as string;
    } finally {
      await store.close();
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const table of ['gov_audit_events', 'gov_application_events']) {
        await assert.rejects(client.query(`UPDATE ${table} SET at = 'x'`), /append-only/);
        await assert.rejects(client.query(`DELETE FROM ${table}`), /append-only/);
        await assert.rejects(client.query(`TRUNCATE ${table} CASCADE`), /append-only/);
      }
      await assert.rejects(client.query('TRUNCATE gov_permit_events'), /append-only/);
      const n = await client.query('SELECT count(*)::int AS n FROM gov_audit_events');
      assert.equal(n.rows[0].n, 3);
      // The CHECK on result links holds on PostgreSQL too, where LIKE is case-sensitive.
      const insertResult = `INSERT INTO gov_project_results (id, project_id, title, kind, url, added_by, added_at)
         VALUES ($1, $2, 'R', 'report', $3, $4, 'x')`;
      await client.query(insertResult, ['r1', projectId, 'HTTPS://example.org/r', userId]);
      await assert.rejects(
        client.query(insertResult, ['r2', projectId, 'javascript:alert(1)', userId]),
        /gov_project_results_url/,
      );
    } finally {
      await client.end();
    }
  });

  const open: OpenStore = async (clock, settings) => {
    const store = await openGovernanceStore({
      kind: 'postgres',
      connectionString: await cluster.createDatabase(),
      clock: clock.now,
      settings,
      poolSize: 4,
    });
    await store.migrate();
    return store;
  };
  workflowSuite('postgres', open);
  analyticsSuite('postgres', open);

  test('[postgres] the ledger, runs and the release register are append-only; decided requests are final', async () => {
    const url = await cluster.createDatabase();
    const clock = new TestClock();
    const store = await openGovernanceStore({
      kind: 'postgres',
      connectionString: url,
      clock: clock.now,
    });
    let ids: Awaited<ReturnType<typeof releasedRun>>;
    try {
      await store.migrate();
      const c = await analyticsCast(store, clock);
      ids = await releasedRun(c);
    } finally {
      await store.close();
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const table of ['gov_releases', 'gov_query_runs', 'gov_budget_reservations']) {
        const n = await client.query(`SELECT count(*)::int AS n FROM ${table}`);
        assert.equal(n.rows[0].n, 1, table);
        await assert.rejects(client.query(`UPDATE ${table} SET id = id`), /append-only/, table);
        await assert.rejects(client.query(`DELETE FROM ${table}`), /append-only/, table);
        await assert.rejects(client.query(`TRUNCATE ${table} CASCADE`), /append-only/, table);
      }
      await assert.rejects(
        client.query(`UPDATE gov_releases SET content_hash = $1`, ['0'.repeat(64)]),
        /append-only/,
      );
      // The approved request cannot be reopened, edited or deleted.
      for (const statement of [
        "UPDATE gov_release_requests SET status = 'pending', decided_by = NULL, decided_at = NULL, decision_comment = NULL",
        "UPDATE gov_release_requests SET decision_comment = 'edited'",
        'DELETE FROM gov_release_requests',
        'TRUNCATE gov_release_requests CASCADE',
      ]) {
        await assert.rejects(client.query(statement), /final|append-only/, statement);
      }
      const r = await client.query(
        'SELECT status, content_hash FROM gov_release_requests q JOIN gov_releases r ON r.request_id = q.id',
      );
      assert.deepEqual(r.rows, [{ status: 'approved', content_hash: ids.release.contentHash }]);
      // Hashes are lower-case hex on PostgreSQL too.
      await assert.rejects(
        client.query(
          `INSERT INTO gov_releases (id, request_id, run_id, project_id, released_at, released_by, content_hash)
           SELECT 'x', id, run_id, 'p', 'x', requested_by, $1 FROM gov_release_requests`,
          ['A'.repeat(64)],
        ),
        /gov_releases_hash/,
      );
      // The permit's δ columns are checked.
      await assert.rejects(client.query('UPDATE gov_permits SET delta_spent = -1'), /delta_spent/);
    } finally {
      await client.end();
    }
  });

  test('[postgres] store.transaction rolls back and keeps refusals', async () => {
    const store = await openGovernanceStore({
      kind: 'postgres',
      connectionString: await cluster.createDatabase(),
    });
    try {
      await store.migrate();
      const { actor } = await seedAccount(store, 'alice', ['researcher']);
      const { actor: outsider } = await seedAccount(store, 'mallory', ['researcher']);
      const p = await store.projects.create(actor, PROJECT);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.applications.createDraft(actor, p.id, CONTENT);
          // A failing statement inside a savepoint leaves the transaction usable (PostgreSQL
          // would otherwise refuse every later statement).
          await assert.rejects(
            tx.projects.addMember(actor, p.id, {
              userId: actor.userId as string,
              projectRole: 'investigator',
            }),
          );
          await tx.applications.createDraft(actor, p.id, CONTENT);
          await tx.applications.createDraft(outsider, p.id, CONTENT);
        }),
      );
      assert.equal((await store.applications.listByProject(p.id)).length, 0);
      assert.equal(await store.audit.count({ decision: 'deny' }), 2);
    } finally {
      await store.close();
    }
  });
}
