/**
 * The conformance suite of governed analytics (issue #5): the (ε, δ) budget ledger, query runs and
 * their visibility, the airlock (release requests, output checkers' decisions, the release
 * register, downloads) and the audit count — run once per engine (SQLite in `workflow.test.ts`,
 * PostgreSQL in `postgres.test.ts`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  HygieError,
  query,
  queryHash,
  queryRunResultSchema,
  releasedContent,
  releasedJson,
} from '@hygie/core';
import type { Actor, ErrorCode, QueryRunInput, QueryRunResultInput } from '@hygie/core';
import type { GovernanceStore, Permit } from '../src/index.js';
import { CONTENT, DAY, MINUTE, PROJECT, TestClock, seedAccount } from './helpers.js';
import type { OpenStore } from './workflow-suite.js';

function isError(code: ErrorCode, reason?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof HygieError, String(e));
    assert.equal(e.code, code, e.message);
    if (reason !== undefined) assert.equal(e.details.reason, reason, e.message);
    return true;
  };
}

/** Who plays in the analytics tests. */
export interface AnalyticsCast {
  store: GovernanceStore;
  clock: TestClock;
  admin: Actor;
  alice: Actor; // principal investigator
  bob: Actor; // data scientist on the team
  carol: Actor; // on the team, and an output checker of the platform
  checker: Actor; // output checker outside the project
  checker2: Actor;
  auditor: Actor;
  r1: Actor; // reviewer
  mallory: Actor; // researcher outside the project
  projectId: string;
  permit: Permit;
}

/** A project with an approved application and its permit (ε = 1.5, δ = 1e-9). */
export async function analyticsCast(store: GovernanceStore, clock: TestClock) {
  const actor = async (login: string, roles: Parameters<typeof seedAccount>[2]) =>
    (await seedAccount(store, login, roles)).actor;
  const admin = await actor('admin', ['admin']);
  const alice = await actor('alice', ['researcher']);
  const bob = await actor('bob', ['researcher']);
  const carol = await actor('carol', ['researcher', 'output_checker']);
  const checker = await actor('checker', ['output_checker']);
  const checker2 = await actor('checker2', ['output_checker']);
  const auditor = await actor('auditor', ['auditor']);
  const r1 = await actor('rev1', ['reviewer']);
  const r2 = await actor('rev2', ['reviewer']);
  const mallory = await actor('mallory', ['researcher']);
  const project = await store.projects.create(alice, {
    ...PROJECT,
    team: [
      { userId: bob.userId as string, projectRole: 'data_scientist' },
      { userId: carol.userId as string, projectRole: 'investigator' },
    ],
  });
  const a = await store.applications.createDraft(alice, project.id, CONTENT);
  await store.applications.submit(alice, a.id);
  await store.applications.startReview(r1, a.id);
  await store.applications.review(r1, a.id, { decision: 'approve' });
  const out = await store.applications.review(r2, a.id, { decision: 'approve' });
  assert.ok(out.permit);
  const cast: AnalyticsCast = {
    store,
    clock,
    admin,
    alice,
    bob,
    carol,
    checker,
    checker2,
    auditor,
    r1,
    mallory,
    projectId: project.id,
    permit: out.permit,
  };
  return cast;
}

export const QUERY = query({ from: '2020-01-01', to: '2020-12-31' })
  .measure({ kind: 'person_count', name: 'persons' })
  .stratify('sex')
  .build();

export const RESULT: QueryRunResultInput = {
  tables: [
    {
      name: 'persons',
      dimensions: ['sex'],
      cells: [
        { strata: { sex: 'F' }, measure: 'persons', value: 1240, flag: null },
        { strata: { sex: 'M' }, measure: 'persons', value: 1115, flag: null },
        { strata: {}, measure: 'persons', value: 2355, flag: null },
      ],
    },
  ],
  attrition: [{ step: 'observed during the period', persons: 2355 }],
  disclosure: { minCellSize: 10, suppressed: 0, rounding: 5, epsilon: 0.1 },
};

/** A completed run's input under the cast's permit. */
export function runInput(c: AnalyticsCast, over: Partial<QueryRunInput> = {}): QueryRunInput {
  const started = c.clock.now();
  return {
    projectId: c.projectId,
    permitId: c.permit.id,
    queryHash: queryHash(QUERY),
    query: QUERY,
    engine: 'duckdb',
    status: 'completed',
    result: RESULT,
    epsilon: 0.1,
    delta: 0,
    startedAt: started.toISOString(),
    finishedAt: new Date(started.getTime() + 1250).toISOString(),
    ...over,
  };
}

/** Drives a run through the airlock to a release; returns the ids. */
export async function releasedRun(c: AnalyticsCast) {
  const reservation = await c.store.queryRuns.reserveBudget(c.bob, c.permit.id, { epsilon: 0.1 });
  const run = await c.store.queryRuns.record(c.bob, runInput(c, { reservationId: reservation.id }));
  const request = await c.store.releases.request(c.bob, run.id, 'Table 1 of the article');
  const decided = await c.store.releases.decide(c.checker, request.id, { decision: 'approve' });
  assert.ok(decided.release);
  return { reservation, run, request: decided, release: decided.release };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Defines the analytics tests for one engine. */
export function analyticsSuite(engine: string, open: OpenStore): void {
  async function withCast(fn: (c: AnalyticsCast) => Promise<void>): Promise<void> {
    const clock = new TestClock();
    const store = await open(clock);
    try {
      await fn(await analyticsCast(store, clock));
    } finally {
      await store.close();
    }
  }

  test(`[${engine}] the budget debit is exact at the boundary, for ε and δ; beyond is refused and audited`, () =>
    withCast(async (c) => {
      const { store, permit } = c;
      assert.equal(permit.epsilonBudget, 1.5);
      assert.equal(permit.deltaBudget, 1e-9);
      assert.equal(permit.scope.deltaBudget, 1e-9);
      assert.equal(permit.epsilonSpent, 0);
      assert.equal(permit.deltaSpent, 0);

      const first = await store.queryRuns.reserveBudget(c.alice, permit.id, {
        epsilon: 1,
        delta: 5e-10,
      });
      assert.equal(first.epsilonSpentAfter, 1);
      assert.equal(first.userId, c.alice.userId);
      const second = await store.queryRuns.reserveBudget(c.bob, permit.id, {
        epsilon: 0.5,
        delta: 5e-10,
      });
      assert.equal(second.epsilonSpentAfter, 1.5);
      assert.equal(second.deltaSpentAfter, 1e-9);
      let p = await store.permits.get(permit.id);
      assert.equal(p.epsilonSpent, 1.5);
      assert.equal(p.deltaSpent, 1e-9);

      // Exactly the budget was allowed; 1e-12 more is refused, on either side.
      await assert.rejects(
        store.queryRuns.reserveBudget(c.alice, permit.id, { epsilon: 1e-12 }),
        isError('HYG_FORBIDDEN', 'budget-exhausted'),
      );
      await assert.rejects(
        store.queryRuns.reserveBudget(c.alice, permit.id, { epsilon: 0, delta: 1e-12 }),
        isError('HYG_FORBIDDEN', 'budget-exhausted'),
      );
      // A computation without noise costs nothing and still fits.
      c.clock.advance(MINUTE);
      const free = await store.queryRuns.reserveBudget(c.alice, permit.id, { epsilon: 0 });
      assert.equal(free.epsilonSpentAfter, 1.5);
      // A run recorded without a reservation debits first: refused, it stores nothing.
      await assert.rejects(
        store.queryRuns.record(c.alice, runInput(c, { epsilon: 0.01 })),
        isError('HYG_FORBIDDEN', 'budget-exhausted'),
      );
      assert.deepEqual(await store.queryRuns.listByPermit(c.alice, permit.id), []);
      p = await store.permits.get(permit.id);
      assert.equal(p.epsilonSpent, 1.5);
      assert.equal(p.deltaSpent, 1e-9);

      // The ledger: one row per debit, with the running totals.
      const ledger = await store.queryRuns.reservations(c.auditor, permit.id);
      assert.deepEqual(
        ledger.map((r) => [r.userId, r.epsilon, r.delta, r.epsilonSpentAfter, r.deltaSpentAfter]),
        [
          [c.alice.userId, 1, 5e-10, 1, 5e-10],
          [c.bob.userId, 0.5, 5e-10, 1.5, 1e-9],
          [c.alice.userId, 0, 0, 1.5, 1e-9],
        ],
      );

      // Members only; malformed costs are refused.
      await assert.rejects(
        store.queryRuns.reserveBudget(c.mallory, permit.id, { epsilon: 0 }),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await assert.rejects(
        store.queryRuns.reserveBudget(c.checker, permit.id, { epsilon: 0 }),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await assert.rejects(
        store.queryRuns.reserveBudget(c.alice, permit.id, { epsilon: -1 }),
        isError('HYG_INVALID_ARGUMENT'),
      );
      await assert.rejects(
        store.queryRuns.reserveBudget(c.alice, 'no-such-permit', { epsilon: 0 }),
        isError('HYG_NOT_FOUND'),
      );

      const trail = await store.audit.list({ action: 'budget.reserve' });
      assert.deepEqual(
        trail.map((e) => [e.decision, e.reason, e.permitId]),
        [
          ['allow', null, permit.id],
          ['allow', null, permit.id],
          ['deny', 'budget-exhausted', permit.id],
          ['deny', 'budget-exhausted', permit.id],
          ['allow', null, permit.id],
          ['deny', 'not-a-project-member', permit.id],
          ['deny', 'not-a-project-member', permit.id],
          ['deny', 'HYG_INVALID_ARGUMENT', permit.id],
          ['deny', 'HYG_NOT_FOUND', 'no-such-permit'],
        ],
      );
      assert.deepEqual(trail[1]?.details, {
        epsilon: 0.5,
        delta: 5e-10,
        reservationId: second.id,
        epsilonSpent: 1.5,
        deltaSpent: 1e-9,
      });
      assert.equal(trail[2]?.details.epsilonSpent, 1.5);
      assert.equal(
        (await store.audit.list({ action: 'query_run.record', decision: 'deny' }))[0]?.reason,
        'budget-exhausted',
      );
    }));

  test(`[${engine}] a suspended, revoked or expired permit spends nothing`, () =>
    withCast(async (c) => {
      const { store, permit, clock } = c;
      await store.permits.suspend(c.admin, permit.id, 'investigation');
      await assert.rejects(
        store.queryRuns.reserveBudget(c.alice, permit.id, { epsilon: 0.1 }),
        isError('HYG_PERMIT_SUSPENDED', 'permit-suspended'),
      );
      await store.permits.reinstate(c.admin, permit.id, 'closed');
      await store.queryRuns.reserveBudget(c.alice, permit.id, { epsilon: 0.1 });
      clock.set(permit.expiresAt);
      // Expired by date before any read marks it so: the conditional UPDATE checks the date too.
      await assert.rejects(
        store.queryRuns.reserveBudget(c.alice, permit.id, { epsilon: 0.1 }),
        isError('HYG_PERMIT_EXPIRED', 'permit-expired'),
      );
      assert.equal((await store.permits.get(permit.id)).epsilonSpent, 0.1);
    }));

  test(`[${engine}] concurrent reservations never overspend: 20 in parallel, a tenth of the budget each, exactly 10 succeed`, () =>
    withCast(async (c) => {
      const { store, permit } = c;
      const attempts = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store.queryRuns.reserveBudget(i % 2 ? c.alice : c.bob, permit.id, {
            epsilon: 0.15,
            delta: 1e-10,
          }),
        ),
      );
      const ok = attempts.filter((a) => a.status === 'fulfilled');
      const refused = attempts.filter((a) => a.status === 'rejected');
      assert.equal(ok.length, 10);
      assert.equal(refused.length, 10);
      for (const r of refused) isError('HYG_FORBIDDEN', 'budget-exhausted')(r.reason);
      const p = await store.permits.get(permit.id);
      assert.ok(Math.abs(p.epsilonSpent - 1.5) < 1e-12, `${p.epsilonSpent}`);
      assert.ok(p.epsilonSpent <= 1.5 * (1 + 1e-13));
      assert.ok(Math.abs(p.deltaSpent - 1e-9) < 1e-21, `${p.deltaSpent}`);
      // The ledger agrees with the permit: each debit saw the totals of the one before.
      const ledger = await store.queryRuns.reservations(c.alice, permit.id);
      assert.equal(ledger.length, 10);
      const totals = ledger.map((r) => r.epsilonSpentAfter).sort((a, b) => a - b);
      assert.equal(totals.at(-1), p.epsilonSpent);
      assert.equal(new Set(totals).size, 10);
      assert.equal(await store.audit.count({ action: 'budget.reserve', decision: 'allow' }), 10);
      assert.equal(await store.audit.count({ action: 'budget.reserve', decision: 'deny' }), 10);
    }));

  test(`[${engine}] a run consumes its reservation once, or debits itself; a failed run keeps its debit`, () =>
    withCast(async (c) => {
      const { store, permit, clock } = c;
      const r = await store.queryRuns.reserveBudget(c.bob, permit.id, { epsilon: 0.2 });
      clock.advance(MINUTE);
      const run = await store.queryRuns.record(
        c.bob,
        runInput(c, { epsilon: 0.2, reservationId: r.id }),
      );
      assert.equal(run.reservationId, r.id);
      assert.equal(run.userId, c.bob.userId);
      assert.equal(run.status, 'completed');
      assert.equal(run.durationMs, 1250);
      assert.equal(run.recordedAt, clock.now().toISOString());
      assert.deepEqual(run.query, QUERY);
      assert.deepEqual(run.result, queryRunResultSchema.parse(RESULT));
      assert.equal(run.queryHash, queryHash(QUERY));
      // Consumed: no second debit, no second run.
      assert.equal((await store.permits.get(permit.id)).epsilonSpent, 0.2);
      await assert.rejects(
        store.queryRuns.record(c.bob, runInput(c, { epsilon: 0.2, reservationId: r.id })),
        isError('HYG_CONFLICT', 'reservation-used'),
      );
      // Another user's reservation, another cost, an unknown reservation.
      const mine = await store.queryRuns.reserveBudget(c.alice, permit.id, { epsilon: 0.3 });
      await assert.rejects(
        store.queryRuns.record(c.bob, runInput(c, { epsilon: 0.3, reservationId: mine.id })),
        isError('HYG_FORBIDDEN', 'reservation-of-another-user'),
      );
      await assert.rejects(
        store.queryRuns.record(c.alice, runInput(c, { epsilon: 0.2, reservationId: mine.id })),
        isError('HYG_INVALID_ARGUMENT', 'reservation-mismatch'),
      );
      await assert.rejects(
        store.queryRuns.record(c.alice, runInput(c, { epsilon: 0.3, reservationId: 'nope' })),
        isError('HYG_NOT_FOUND'),
      );
      // The computation failed: the run is recorded, the reservation stays spent.
      const failed = await store.queryRuns.record(
        c.alice,
        runInput(c, {
          epsilon: 0.3,
          reservationId: mine.id,
          status: 'failed',
          result: null,
          errorCode: 'HYG_WAREHOUSE_ERROR',
          engine: 'postgres',
        }),
      );
      assert.equal(failed.result, null);
      assert.equal(failed.errorCode, 'HYG_WAREHOUSE_ERROR');
      assert.equal((await store.permits.get(permit.id)).epsilonSpent, 0.5);
      // Without a reservation, the run debits its cost itself.
      const direct = await store.queryRuns.record(c.alice, runInput(c, { epsilon: 0.25 }));
      assert.equal((await store.permits.get(permit.id)).epsilonSpent, 0.75);
      const ledger = await store.queryRuns.reservations(c.alice, permit.id);
      assert.equal(ledger.length, 3);
      assert.equal(ledger.at(-1)?.id, direct.reservationId);
      assert.equal(ledger.at(-1)?.epsilonSpentAfter, 0.75);

      // Bad input: refused before anything is debited.
      const before = (await store.permits.get(permit.id)).epsilonSpent;
      const otherProject = await store.projects.create(c.alice, { ...PROJECT, title: 'Other' });
      await assert.rejects(
        store.queryRuns.record(c.alice, runInput(c, { projectId: otherProject.id })),
        isError('HYG_INVALID_ARGUMENT', 'permit-of-another-project'),
      );
      await assert.rejects(
        store.queryRuns.record(c.alice, runInput(c, { queryHash: 'f'.repeat(64) })),
        (e: unknown) =>
          isError('HYG_INVALID_ARGUMENT')(e) &&
          e instanceof HygieError &&
          e.details.argument === 'queryHash',
      );
      await assert.rejects(
        store.queryRuns.record(
          c.alice,
          runInput(c, { result: { ...RESULT, tables: [{ rows: [{ person_id: 1 }] }] } }),
        ),
        (e: unknown) =>
          isError('HYG_INVALID_ARGUMENT')(e) &&
          e instanceof HygieError &&
          e.details.argument === 'result.tables.0.rows.0.person_id',
      );
      await assert.rejects(
        store.queryRuns.record(c.alice, runInput(c, { status: 'failed' })),
        isError('HYG_INVALID_ARGUMENT'),
      );
      await assert.rejects(
        store.queryRuns.record(c.mallory, runInput(c)),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await assert.rejects(
        store.queryRuns.record(c.checker, runInput(c)),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      assert.equal((await store.permits.get(permit.id)).epsilonSpent, before);
      const records = await store.audit.list({ action: 'query_run.record' });
      assert.equal(records.filter((e) => e.decision === 'allow').length, 3);
      const allowed = records.find((e) => e.targetId === run.id);
      assert.deepEqual(allowed?.details, {
        queryHash: queryHash(QUERY),
        engine: 'duckdb',
        status: 'completed',
        epsilon: 0.2,
        delta: 0,
        reservationId: r.id,
      });
      assert.equal(allowed?.permitId, permit.id);
      // The trail never holds the result.
      const recorded = JSON.stringify(records);
      assert.ok(!recorded.includes('cells') && !recorded.includes('observed during'));
    }));

  test(`[${engine}] a run is seen by the project's members, output checkers, administrators and auditors only`, () =>
    withCast(async (c) => {
      const { store, permit, clock } = c;
      const first = await store.queryRuns.record(c.bob, runInput(c));
      clock.advance(MINUTE);
      const second = await store.queryRuns.record(c.alice, runInput(c, { epsilon: 0 }));
      for (const viewer of [c.alice, c.bob, c.carol, c.checker, c.admin, c.auditor]) {
        assert.deepEqual((await store.queryRuns.get(viewer, first.id)).result, first.result);
        assert.deepEqual(
          (await store.queryRuns.listByProject(viewer, c.projectId)).map((r) => r.id),
          [second.id, first.id],
        );
        assert.equal((await store.queryRuns.listByPermit(viewer, permit.id)).length, 2);
        assert.equal((await store.queryRuns.reservations(viewer, permit.id)).length, 2);
      }
      // Lists carry no query and no result.
      const [summary] = await store.queryRuns.listByProject(c.alice, c.projectId);
      assert.ok(summary && !('result' in summary) && !('query' in summary));
      const denials = await store.audit.count({ decision: 'deny' });
      for (const outsider of [c.mallory, c.r1, { userId: null, roles: ['auditor'] } as Actor]) {
        await assert.rejects(
          store.queryRuns.get(outsider, first.id),
          isError('HYG_FORBIDDEN', 'not-allowed-to-view'),
        );
        await assert.rejects(
          store.queryRuns.listByProject(outsider, c.projectId),
          isError('HYG_FORBIDDEN', 'not-allowed-to-view'),
        );
        await assert.rejects(
          store.queryRuns.listByPermit(outsider, permit.id),
          isError('HYG_FORBIDDEN', 'not-allowed-to-view'),
        );
        await assert.rejects(
          store.queryRuns.reservations(outsider, permit.id),
          isError('HYG_FORBIDDEN', 'not-allowed-to-view'),
        );
      }
      await assert.rejects(store.queryRuns.get(c.alice, 'no-such-run'), isError('HYG_NOT_FOUND'));
      await assert.rejects(
        store.queryRuns.listByProject(c.alice, 'no-such-project'),
        isError('HYG_NOT_FOUND'),
      );
      // Refusals are in the trail, one each; allowed reads record nothing.
      assert.equal(await store.audit.count({ decision: 'deny' }), denials + 14);
      const reads = await store.audit.list({ action: 'query_run.read', decision: 'deny' });
      assert.deepEqual(
        reads.map((e) => [e.actorId, e.targetId, e.permitId, e.reason]),
        [
          [c.mallory.userId, first.id, permit.id, 'not-allowed-to-view'],
          [c.r1.userId, first.id, permit.id, 'not-allowed-to-view'],
          [null, first.id, permit.id, 'not-allowed-to-view'],
          [c.alice.userId, 'no-such-run', null, 'HYG_NOT_FOUND'],
        ],
      );
      assert.equal(await store.audit.count({ action: 'query_run.read', decision: 'allow' }), 0);
    }));

  test(`[${engine}] the airlock: request → an output checker approves → a registered release → audited downloads`, () =>
    withCast(async (c) => {
      const { store, permit, clock } = c;
      const r = await store.queryRuns.reserveBudget(c.bob, permit.id, { epsilon: 0.1 });
      const run = await store.queryRuns.record(c.bob, runInput(c, { reservationId: r.id }));
      clock.advance(MINUTE);
      const requestedAt = clock.now().toISOString();
      const request = await store.releases.request(c.bob, run.id, '  Table 1 of the article ');
      assert.deepEqual(request, {
        id: request.id,
        runId: run.id,
        projectId: c.projectId,
        permitId: permit.id,
        requestedBy: c.bob.userId,
        requestedAt,
        justification: 'Table 1 of the article',
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
        decisionComment: null,
        release: null,
      });
      assert.deepEqual(
        (await store.releases.queue(c.checker)).map((q) => q.id),
        [request.id],
      );
      assert.deepEqual(await store.releases.get(c.auditor, request.id), request);

      clock.advance(MINUTE);
      const decided = await store.releases.decide(c.checker, request.id, {
        decision: 'approve',
        comment: 'counts above 10, no differencing risk',
      });
      assert.equal(decided.status, 'approved');
      assert.equal(decided.decidedBy, c.checker.userId);
      assert.equal(decided.decidedAt, clock.now().toISOString());
      assert.equal(decided.decisionComment, 'counts above 10, no differencing risk');
      const release = decided.release;
      assert.ok(release);
      // Released: the tables and the attrition, not the disclosure report (for the checker).
      const json = releasedJson(queryRunResultSchema.parse(RESULT));
      assert.ok(!json.includes('disclosure') && json.includes('attrition'));
      assert.deepEqual(release, {
        id: release.id,
        requestId: request.id,
        runId: run.id,
        projectId: c.projectId,
        permitId: permit.id,
        releasedAt: clock.now().toISOString(),
        releasedBy: c.checker.userId,
        contentHash: sha256(json),
      });
      assert.deepEqual(await store.releases.getRelease(c.alice, release.id), release);
      assert.deepEqual(await store.releases.queue(c.admin), []);
      assert.deepEqual(
        (await store.releases.listByProject(c.alice, c.projectId)).map((q) => [q.id, q.status]),
        [[request.id, 'approved']],
      );

      // Downloads: members only, each one audited with its format; the content is the register's.
      const dl = await store.releases.recordDownload(c.alice, release.id, 'csv');
      assert.equal(dl.format, 'csv');
      assert.equal(dl.contentJson, json);
      assert.equal(sha256(dl.contentJson), release.contentHash);
      assert.deepEqual(dl.content, releasedContent(queryRunResultSchema.parse(RESULT)));
      assert.deepEqual(Object.keys(dl.content).sort(), ['attrition', 'tables']);
      await store.releases.recordDownload(c.bob, release.id, 'parquet');
      for (const outsider of [c.checker, c.admin, c.mallory]) {
        await assert.rejects(
          store.releases.recordDownload(outsider, release.id, 'json'),
          isError('HYG_FORBIDDEN', 'not-a-project-member'),
        );
      }
      await assert.rejects(
        store.releases.recordDownload(c.alice, release.id, 'xlsx' as 'csv'),
        isError('HYG_INVALID_ARGUMENT'),
      );
      await assert.rejects(
        store.releases.recordDownload(c.alice, 'no-such-release', 'csv'),
        isError('HYG_NOT_FOUND'),
      );
      // A suspended permit stops downloads; an expired one does not.
      await store.permits.suspend(c.admin, permit.id, 'investigation');
      await assert.rejects(
        store.releases.recordDownload(c.alice, release.id, 'json'),
        isError('HYG_PERMIT_SUSPENDED', 'permit-suspended'),
      );
      await store.permits.reinstate(c.admin, permit.id, 'closed');
      clock.set(permit.expiresAt);
      clock.advance(DAY);
      assert.equal((await store.permits.get(permit.id)).status, 'expired');
      await store.releases.recordDownload(c.alice, release.id, 'json');

      const downloads = await store.audit.list({ action: 'release.download' });
      assert.deepEqual(
        downloads.map((e) => [e.actorId, e.decision, e.details.format ?? null, e.reason]),
        [
          [c.alice.userId, 'allow', 'csv', null],
          [c.bob.userId, 'allow', 'parquet', null],
          [c.checker.userId, 'deny', 'json', 'not-a-project-member'],
          [c.admin.userId, 'deny', 'json', 'not-a-project-member'],
          [c.mallory.userId, 'deny', 'json', 'not-a-project-member'],
          [c.alice.userId, 'deny', null, 'HYG_INVALID_ARGUMENT'],
          [c.alice.userId, 'deny', 'csv', 'HYG_NOT_FOUND'],
          [c.alice.userId, 'deny', 'json', 'permit-suspended'],
          [c.alice.userId, 'allow', 'json', null],
        ],
      );
      assert.deepEqual(downloads[0]?.details, {
        format: 'csv',
        runId: run.id,
        contentHash: release.contentHash,
      });
      assert.equal(downloads[0]?.targetId, release.id);
      assert.equal(downloads[0]?.permitId, permit.id);
      const decision = (await store.audit.list({ action: 'release.decide' }))[0];
      assert.deepEqual(decision?.details, {
        decision: 'approve',
        runId: run.id,
        from: 'pending',
        to: 'approved',
        releaseId: release.id,
        contentHash: release.contentHash,
      });
      // The checker's comment and the justification stay with the request, not in the trail.
      const trail = JSON.stringify(await store.audit.list({ actionPrefix: 'release.' }));
      assert.ok(!trail.includes('differencing') && !trail.includes('article'));

      // Released once: no second request.
      await assert.rejects(
        store.releases.request(c.bob, run.id, 'again'),
        isError('HYG_CONFLICT', 'already-released'),
      );
    }));

  test(`[${engine}] airlock refusals: member checker, rejection without comment, second pending request, final decisions, withdrawal`, () =>
    withCast(async (c) => {
      const { store, permit, clock } = c;
      const run = await store.queryRuns.record(c.bob, runInput(c));
      const failed = await store.queryRuns.record(
        c.bob,
        runInput(c, { status: 'failed', result: null, errorCode: 'timeout', epsilon: 0 }),
      );
      await assert.rejects(
        store.releases.request(c.bob, failed.id, 'x'),
        isError('HYG_INVALID_TRANSITION', 'run-not-completed'),
      );
      await assert.rejects(
        store.releases.request(c.mallory, run.id, 'x'),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await assert.rejects(
        store.releases.request(c.checker, run.id, 'x'),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await assert.rejects(
        store.releases.request(c.bob, run.id, '  '),
        isError('HYG_INVALID_ARGUMENT', 'justification-required'),
      );
      await assert.rejects(store.releases.request(c.bob, 'no-run', 'x'), isError('HYG_NOT_FOUND'));

      const first = await store.releases.request(c.bob, run.id, 'Figure 2');
      await assert.rejects(
        store.releases.request(c.alice, run.id, 'Figure 2 again'),
        isError('HYG_CONFLICT', 'request-pending'),
      );
      // Carol is on the team: as an output checker she may not decide on its outputs.
      await assert.rejects(
        store.releases.decide(c.carol, first.id, { decision: 'approve' }),
        isError('HYG_FORBIDDEN', 'checker-is-project-member'),
      );
      for (const notChecker of [c.admin, c.r1, c.auditor, c.alice]) {
        await assert.rejects(
          store.releases.decide(notChecker, first.id, { decision: 'approve' }),
          isError('HYG_FORBIDDEN', 'not-an-output-checker'),
        );
      }
      await assert.rejects(
        store.releases.decide(c.checker, first.id, { decision: 'reject' }),
        isError('HYG_INVALID_ARGUMENT', 'comment-required'),
      );
      await assert.rejects(
        store.releases.decide(c.checker, first.id, { decision: 'reject', comment: ' ' }),
        isError('HYG_INVALID_ARGUMENT', 'comment-required'),
      );
      clock.advance(MINUTE);
      const rejected = await store.releases.decide(c.checker, first.id, {
        decision: 'reject',
        comment: 'the M cell of table 1 is 8 before rounding',
      });
      assert.equal(rejected.status, 'rejected');
      assert.equal(rejected.release, null);
      // Decided requests are final.
      await assert.rejects(
        store.releases.decide(c.checker2, first.id, { decision: 'approve' }),
        isError('HYG_INVALID_TRANSITION', 'state'),
      );
      await assert.rejects(
        store.releases.withdraw(c.bob, first.id),
        isError('HYG_INVALID_TRANSITION', 'state'),
      );
      assert.deepEqual(await store.releases.get(c.bob, first.id), rejected);

      // A new request after a rejection; withdrawn by the lead, not by others.
      clock.advance(MINUTE);
      const second = await store.releases.request(c.bob, run.id, 'Figure 2, regrouped');
      clock.advance(MINUTE);
      const other = await store.queryRuns.record(c.alice, runInput(c));
      const third = await store.releases.request(c.alice, other.id, 'Table 3');
      assert.deepEqual(
        (await store.releases.queue(c.checker2)).map((q) => q.id),
        [second.id, third.id],
      );
      await assert.rejects(
        store.releases.withdraw(c.carol, second.id),
        isError('HYG_FORBIDDEN', 'not-requester-or-lead'),
      );
      await assert.rejects(
        store.releases.withdraw(c.checker, second.id),
        isError('HYG_FORBIDDEN', 'not-requester-or-lead'),
      );
      const withdrawn = await store.releases.withdraw(c.alice, second.id, 'superseded');
      assert.equal(withdrawn.status, 'withdrawn');
      assert.equal(withdrawn.decidedBy, c.alice.userId);
      assert.equal(withdrawn.decisionComment, 'superseded');
      await assert.rejects(
        store.releases.decide(c.checker, second.id, { decision: 'approve' }),
        isError('HYG_INVALID_TRANSITION', 'state'),
      );
      assert.deepEqual(
        (await store.releases.listByProject(c.auditor, c.projectId)).map((q) => q.status),
        ['pending', 'withdrawn', 'rejected'],
      );

      // The queue is for output checkers and administrators; requests for the project's viewers.
      await assert.rejects(
        store.releases.queue(c.alice),
        isError('HYG_FORBIDDEN', 'role-required'),
      );
      await assert.rejects(
        store.releases.queue(c.auditor),
        isError('HYG_FORBIDDEN', 'role-required'),
      );
      await assert.rejects(
        store.releases.get(c.mallory, third.id),
        isError('HYG_FORBIDDEN', 'not-allowed-to-view'),
      );
      await assert.rejects(
        store.releases.listByProject(c.mallory, c.projectId),
        isError('HYG_FORBIDDEN', 'not-allowed-to-view'),
      );

      // A revoked permit: no request, no approval; a rejection is still possible.
      await store.permits.revoke(c.admin, permit.id, 'purpose changed');
      await assert.rejects(
        store.releases.decide(c.checker, third.id, { decision: 'approve' }),
        isError('HYG_PERMIT_REVOKED', 'permit-revoked'),
      );
      await assert.rejects(
        store.releases.request(c.bob, run.id, 'one more'),
        isError('HYG_PERMIT_REVOKED', 'permit-revoked'),
      );
      await store.releases.decide(c.checker, third.id, {
        decision: 'reject',
        comment: 'the permit was revoked',
      });
      const decisions = await store.audit.list({ action: 'release.decide' });
      assert.deepEqual(
        decisions.map((e) => [e.actorId, e.decision, e.reason]),
        [
          [c.carol.userId, 'deny', 'checker-is-project-member'],
          [c.admin.userId, 'deny', 'not-an-output-checker'],
          [c.r1.userId, 'deny', 'not-an-output-checker'],
          [c.auditor.userId, 'deny', 'not-an-output-checker'],
          [c.alice.userId, 'deny', 'not-an-output-checker'],
          [c.checker.userId, 'deny', 'comment-required'],
          [c.checker.userId, 'deny', 'comment-required'],
          [c.checker.userId, 'allow', null],
          [c.checker2.userId, 'deny', 'state'],
          [c.checker.userId, 'deny', 'state'],
          [c.checker.userId, 'deny', 'permit-revoked'],
          [c.checker.userId, 'allow', null],
        ],
      );
    }));

  test(`[${engine}] analytics: every state change leaves exactly one audit event; so does every refusal`, () =>
    withCast(async (c) => {
      const { store, permit } = c;
      let last = await store.audit.count();
      const step = async (
        label: string,
        fn: () => Promise<unknown>,
        decision: 'allow' | 'deny',
      ) => {
        await (decision === 'allow' ? fn() : assert.rejects(fn()));
        const now = await store.audit.count();
        assert.equal(now - last, 1, `${label}: ${now - last} events`);
        const [latest] = (await store.audit.list({ afterId: 0, limit: 10_000 })).slice(-1);
        assert.equal(latest?.decision, decision, label);
        last = now;
      };
      let reservationId = '';
      let runId = '';
      let requestId = '';
      let releaseId = '';
      await step(
        'reserve',
        async () =>
          (reservationId = (await store.queryRuns.reserveBudget(c.bob, permit.id, { epsilon: 1 }))
            .id),
        'allow',
      );
      await step(
        'reserve beyond the budget',
        () => store.queryRuns.reserveBudget(c.bob, permit.id, { epsilon: 1 }),
        'deny',
      );
      await step(
        'record with the reservation',
        async () =>
          (runId = (await store.queryRuns.record(c.bob, runInput(c, { epsilon: 1, reservationId })))
            .id),
        'allow',
      );
      await step(
        'record with debit',
        () => store.queryRuns.record(c.bob, runInput(c, { epsilon: 0.2 })),
        'allow',
      );
      await step(
        'record with a debit beyond the budget',
        () => store.queryRuns.record(c.bob, runInput(c, { epsilon: 0.5 })),
        'deny',
      );
      await step('read refused', () => store.queryRuns.get(c.mallory, runId), 'deny');
      await step(
        'request',
        async () => (requestId = (await store.releases.request(c.bob, runId, 'T1')).id),
        'allow',
      );
      await step('second request', () => store.releases.request(c.bob, runId, 'T1'), 'deny');
      await step(
        'member checker',
        () => store.releases.decide(c.carol, requestId, { decision: 'approve' }),
        'deny',
      );
      await step(
        'approve',
        async () =>
          (releaseId =
            (await store.releases.decide(c.checker, requestId, { decision: 'approve' })).release
              ?.id ?? ''),
        'allow',
      );
      await step('decide again', () => store.releases.withdraw(c.bob, requestId), 'deny');
      await step('download', () => store.releases.recordDownload(c.bob, releaseId, 'csv'), 'allow');
      await step(
        'download refused',
        () => store.releases.recordDownload(c.checker, releaseId, 'csv'),
        'deny',
      );
      await step('queue refused', () => store.releases.queue(c.bob), 'deny');
      // Reads change nothing and record nothing.
      await store.queryRuns.get(c.checker, runId);
      await store.queryRuns.listByProject(c.alice, c.projectId);
      await store.queryRuns.listByPermit(c.auditor, permit.id);
      await store.queryRuns.reservations(c.admin, permit.id);
      await store.releases.queue(c.checker);
      await store.releases.get(c.auditor, requestId);
      await store.releases.listByProject(c.bob, c.projectId);
      await store.releases.getRelease(c.alice, releaseId);
      assert.equal(await store.audit.count(), last);
    }));
}
