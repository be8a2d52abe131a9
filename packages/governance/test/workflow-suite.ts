/**
 * The governance conformance suite: applications → permits, permits' lifecycle and enforcement,
 * opt-outs, the directory and the audit count, run once per engine (SQLite here, PostgreSQL in
 * `postgres.test.ts`), as Kysely runs its suite once per dialect.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HygieError, SYSTEM_ACTOR, evaluatePermit, permitScopeSchema } from '@hygie/core';
import type { AccessRequest, Actor, ErrorCode } from '@hygie/core';
import type { GovernanceSettings, GovernanceStore } from '../src/index.js';
import { CONTENT, DAY, PROJECT, TestClock, seedAccount } from './helpers.js';

/** Opens a fresh, migrated, empty store on the engine under test. */
export type OpenStore = (
  clock: TestClock,
  settings?: Partial<GovernanceSettings>,
) => Promise<GovernanceStore>;

function isError(code: ErrorCode, reason?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof HygieError, String(e));
    assert.equal(e.code, code, e.message);
    if (reason !== undefined) assert.equal(e.details.reason, reason);
    return true;
  };
}

interface Cast {
  store: GovernanceStore;
  clock: TestClock;
  admin: Actor;
  alice: Actor; // principal investigator
  bob: Actor; // team member who is also a reviewer
  r1: Actor;
  r2: Actor;
  mallory: Actor; // researcher outside the project
  projectId: string;
}

async function cast(open: OpenStore, settings?: Partial<GovernanceSettings>): Promise<Cast> {
  const clock = new TestClock();
  const store = await open(clock, settings);
  const admin = (await seedAccount(store, 'admin', ['admin'])).actor;
  const alice = (await seedAccount(store, 'alice', ['researcher'])).actor;
  const bob = (await seedAccount(store, 'bob', ['researcher', 'reviewer'])).actor;
  const r1 = (await seedAccount(store, 'rev1', ['reviewer'])).actor;
  const r2 = (await seedAccount(store, 'rev2', ['reviewer'])).actor;
  const mallory = (await seedAccount(store, 'mallory', ['researcher'])).actor;
  const project = await store.projects.create(alice, {
    ...PROJECT,
    team: [{ userId: bob.userId as string, projectRole: 'data_scientist' }],
  });
  return { store, clock, admin, alice, bob, r1, r2, mallory, projectId: project.id };
}

/** Drives an application to approval; returns it and the permit. */
async function approved(c: Cast) {
  const a = await c.store.applications.createDraft(c.alice, c.projectId, CONTENT);
  await c.store.applications.submit(c.alice, a.id, 'ready');
  await c.store.applications.startReview(c.r1, a.id);
  await c.store.applications.review(c.r1, a.id, { decision: 'approve' });
  const out = await c.store.applications.review(c.r2, a.id, {
    decision: 'approve',
    comment: 'sound',
  });
  assert.ok(out.permit);
  return { application: out.application, permit: out.permit };
}

const REQUEST: AccessRequest = {
  kind: 'aggregate',
  data: [{ table: 'person', variables: ['year_of_birth'] }],
  period: { from: '2020-01-01', to: '2020-12-31' },
};

/** Defines the suite's tests for one engine. */
export function workflowSuite(engine: string, open: OpenStore): void {
  test(`[${engine}] the full workflow: draft → submitted → under review → approved, with a permit of the application's scope`, async () => {
    const c = await cast(open);
    const { store, clock } = c;
    try {
      const draft = await store.applications.createDraft(c.alice, c.projectId, CONTENT);
      assert.equal(draft.status, 'draft');
      const edited = await store.applications.editDraft(c.bob, draft.id, { durationMonths: 12 });
      assert.equal(edited.content.durationMonths, 12);
      clock.advance(60_000);
      await store.applications.submit(c.alice, draft.id, 'first submission');
      clock.advance(60_000);
      await store.applications.startReview(c.r1, draft.id, 'committee of March');

      // A reviewer who is a member of the project cannot approve.
      await assert.rejects(
        store.applications.review(c.bob, draft.id, { decision: 'approve' }),
        isError('HYG_FORBIDDEN', 'reviewer-is-project-member'),
      );
      clock.advance(60_000);
      const first = await store.applications.review(c.r1, draft.id, {
        decision: 'approve',
        comment: 'fine',
      });
      assert.equal(first.application.status, 'under_review');
      assert.equal(first.approvals, 1);
      assert.equal(first.requiredApprovals, 2);
      assert.equal(first.permit, null);
      await assert.rejects(
        store.applications.review(c.r1, draft.id, { decision: 'approve' }),
        isError('HYG_CONFLICT', 'already-reviewed'),
      );

      clock.advance(60_000);
      const approvedAt = clock.now().toISOString();
      const second = await store.applications.review(c.r2, draft.id, { decision: 'approve' });
      assert.equal(second.application.status, 'approved');
      assert.equal(second.application.decidedAt, approvedAt);
      const permit = second.permit;
      assert.ok(permit);
      assert.equal(permit.status, 'active');
      assert.equal(permit.projectId, c.projectId);
      assert.equal(permit.applicationVersion, 1);
      assert.deepEqual(permit.scope, {
        scopeVersion: 1,
        data: CONTENT.data,
        period: CONTENT.period,
        population: CONTENT.population,
        accessMode: 'aggregate_only',
        validFrom: approvedAt,
        expiresAt: '2026-03-01T09:04:00.000Z',
        epsilonBudget: 1.5,
        deltaBudget: 1e-9,
        minCellSize: 10,
      });
      assert.equal(permit.expiresAt, permit.scope.expiresAt);
      assert.deepEqual(permitScopeSchema.parse(permit.scope), permit.scope);
      assert.deepEqual(await store.permits.get(permit.id), permit);
      assert.deepEqual(
        (await store.permits.listByProject(c.projectId)).map((p) => p.id),
        [permit.id],
      );

      // Each transition is recorded with who, when, from, to and why.
      const events = await store.applications.events(draft.id);
      assert.deepEqual(
        events.map((e) => [e.event, e.fromStatus, e.toStatus, e.actorId, e.reason]),
        [
          ['create', null, 'draft', c.alice.userId, null],
          ['submit', 'draft', 'submitted', c.alice.userId, 'first submission'],
          ['start_review', 'submitted', 'under_review', c.r1.userId, 'committee of March'],
          ['review:approve', 'under_review', 'under_review', c.r1.userId, 'fine'],
          ['review:approve', 'under_review', 'approved', c.r2.userId, null],
        ],
      );
      assert.deepEqual(
        events.map((e) => e.at),
        [
          '2025-03-01T09:00:00.000Z',
          '2025-03-01T09:01:00.000Z',
          '2025-03-01T09:02:00.000Z',
          '2025-03-01T09:03:00.000Z',
          '2025-03-01T09:04:00.000Z',
        ],
      );
      // The approval's audit event names the permit it issued.
      const forPermit = await store.audit.forPermit(permit.id);
      assert.equal(forPermit.length, 1);
      assert.equal(forPermit[0]?.action, 'application.review');
      assert.equal(forPermit[0]?.actorId, c.r2.userId);
      assert.equal((await store.permits.history(permit.id))[0]?.toStatus, 'active');
      // Approved is final.
      await assert.rejects(
        store.applications.submit(c.alice, draft.id),
        isError('HYG_INVALID_TRANSITION'),
      );
      await assert.rejects(
        store.applications.editDraft(c.alice, draft.id, { durationMonths: 6 }),
        isError('HYG_INVALID_TRANSITION'),
      );
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] changes requested, then edited and resubmitted as a new version reviewed afresh`, async () => {
    const c = await cast(open);
    const { store } = c;
    try {
      const a = await store.applications.createDraft(c.alice, c.projectId, CONTENT);
      await store.applications.submit(c.alice, a.id);
      await store.applications.startReview(c.admin, a.id);
      await store.applications.review(c.r1, a.id, { decision: 'approve' });
      await assert.rejects(
        store.applications.review(c.r2, a.id, { decision: 'changes_requested' }),
        isError('HYG_INVALID_ARGUMENT', 'comment-required'),
      );
      const back = await store.applications.review(c.r2, a.id, {
        decision: 'changes_requested',
        comment: 'drop gender_concept_id',
      });
      assert.equal(back.application.status, 'changes_requested');
      assert.equal(back.permit, null);

      await assert.rejects(
        store.applications.editDraft(c.mallory, a.id, { durationMonths: 6 }),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await store.applications.editDraft(c.alice, a.id, {
        data: [{ table: 'person', variables: ['person_id', 'year_of_birth'] }],
      });
      const resubmitted = await store.applications.submit(c.alice, a.id, 'variables reduced');
      assert.equal(resubmitted.version, 2);
      assert.deepEqual(
        (await store.applications.versions(a.id)).map((v) => [v.version, v.content.data.length]),
        [
          [1, 2],
          [2, 1],
        ],
      );
      await store.applications.startReview(c.r1, a.id);
      // The approval given on version 1 does not count for version 2; r1 may review again.
      const one = await store.applications.review(c.r1, a.id, { decision: 'approve' });
      assert.equal(one.application.status, 'under_review');
      assert.equal(one.approvals, 1);
      const two = await store.applications.review(c.r2, a.id, { decision: 'approve' });
      assert.equal(two.application.status, 'approved');
      assert.equal(two.permit?.applicationVersion, 2);
      assert.deepEqual(two.permit?.scope.data, [
        { table: 'person', variables: ['person_id', 'year_of_birth'] },
      ]);
      assert.equal((await store.applications.reviews(a.id, 1)).length, 2);
      assert.equal((await store.applications.reviews(a.id, 2)).length, 2);
      assert.deepEqual(
        (await store.applications.events(a.id)).map((e) => `${e.version}:${e.event}:${e.toStatus}`),
        [
          '1:create:draft',
          '1:submit:submitted',
          '1:start_review:under_review',
          '1:review:approve:under_review',
          '1:review:changes_requested:changes_requested',
          '2:submit:submitted',
          '2:start_review:under_review',
          '2:review:approve:under_review',
          '2:review:approve:approved',
        ],
      );
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] a rejection by any reviewer rejects; no permit; who may do what`, async () => {
    const c = await cast(open);
    const { store } = c;
    try {
      await assert.rejects(
        store.applications.createDraft(c.mallory, c.projectId, CONTENT),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await assert.rejects(
        store.applications.createDraft(c.alice, c.projectId, { ...CONTENT, durationMonths: 0 }),
        isError('HYG_INVALID_ARGUMENT'),
      );
      const a = await store.applications.createDraft(c.alice, c.projectId, CONTENT);
      await assert.rejects(
        store.applications.submit(c.mallory, a.id),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await assert.rejects(
        store.applications.startReview(c.r1, a.id),
        isError('HYG_INVALID_TRANSITION', 'state'),
      );
      await store.applications.submit(c.bob, a.id);
      await assert.rejects(
        store.applications.startReview(c.bob, a.id),
        isError('HYG_FORBIDDEN', 'project-member'),
      );
      await assert.rejects(
        store.applications.startReview(c.mallory, a.id),
        isError('HYG_FORBIDDEN', 'not-a-reviewer'),
      );
      await store.applications.startReview(c.r1, a.id);
      await store.applications.review(c.r1, a.id, { decision: 'approve' });
      const out = await store.applications.review(c.r2, a.id, {
        decision: 'reject',
        comment: 'no legal basis for this purpose',
      });
      assert.equal(out.application.status, 'rejected');
      assert.equal(out.permit, null);
      assert.deepEqual(await store.permits.listByProject(c.projectId), []);
      await assert.rejects(
        store.applications.submit(c.alice, a.id),
        isError('HYG_INVALID_TRANSITION'),
      );
      assert.deepEqual(
        (await store.applications.listByStatus('rejected')).map((x) => x.id),
        [a.id],
      );
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] the number of approvals is configuration`, async () => {
    const c = await cast(open, { requiredApprovals: 1 });
    try {
      const a = await c.store.applications.createDraft(c.alice, c.projectId, CONTENT);
      await c.store.applications.submit(c.alice, a.id);
      await c.store.applications.startReview(c.r1, a.id);
      const out = await c.store.applications.review(c.r1, a.id, { decision: 'approve' });
      assert.equal(out.application.status, 'approved');
      assert.equal(out.requiredApprovals, 1);
      assert.ok(out.permit);
    } finally {
      await c.store.close();
    }
  });

  test(`[${engine}] suspension, reinstatement and revocation are enforced on access`, async () => {
    const c = await cast(open);
    const { store } = c;
    try {
      const { permit } = await approved(c);
      assert.equal((await store.permits.authorize(c.alice, permit.id, REQUEST)).id, permit.id);
      await assert.rejects(
        store.permits.suspend(c.alice, permit.id, 'why not'),
        isError('HYG_FORBIDDEN'),
      );
      await assert.rejects(
        store.permits.suspend(c.admin, permit.id, ''),
        isError('HYG_INVALID_ARGUMENT'),
      );
      // Bob reviews for the committee but is on the project's team: he may not decide on its permit.
      await assert.rejects(
        store.permits.suspend(c.bob, permit.id, 'conflict of interest'),
        isError('HYG_FORBIDDEN', 'reviewer-is-member'),
      );
      const suspended = await store.permits.suspend(
        c.admin,
        permit.id,
        'data breach under investigation',
      );
      assert.equal(suspended.status, 'suspended');
      assert.deepEqual(evaluatePermit(suspended, c.clock.now(), REQUEST), {
        decision: 'deny',
        reason: 'permit-suspended',
        details: {},
      });
      await assert.rejects(
        store.permits.authorize(c.alice, permit.id, REQUEST),
        isError('HYG_PERMIT_SUSPENDED', 'permit-suspended'),
      );
      await assert.rejects(
        store.permits.suspend(c.admin, permit.id, 'again'),
        isError('HYG_INVALID_TRANSITION'),
      );
      await store.permits.reinstate(c.r1, permit.id, 'investigation closed');
      await store.permits.authorize(c.bob, permit.id, REQUEST);
      const revoked = await store.permits.revoke(c.admin, permit.id, 'purpose changed');
      assert.equal(evaluatePermit(revoked, c.clock.now(), REQUEST).decision, 'deny');
      await assert.rejects(
        store.permits.authorize(c.alice, permit.id, REQUEST),
        isError('HYG_PERMIT_REVOKED', 'permit-revoked'),
      );
      await assert.rejects(
        store.permits.reinstate(c.admin, permit.id, 'oops'),
        isError('HYG_INVALID_TRANSITION'),
      );
      assert.deepEqual(
        (await store.permits.history(permit.id)).map((h) => [h.fromStatus, h.toStatus, h.actorId]),
        [
          [null, 'active', c.r2.userId],
          ['active', 'suspended', c.admin.userId],
          ['suspended', 'active', c.r1.userId],
          ['active', 'revoked', c.admin.userId],
        ],
      );
      // Access decisions are in the trail under the permit: allowed and refused.
      const accesses = await store.audit.forPermit(permit.id, { action: 'data.access' });
      assert.deepEqual(
        accesses.map((e) => [e.decision, e.reason]),
        [
          ['allow', null],
          ['deny', 'permit-suspended'],
          ['allow', null],
          ['deny', 'permit-revoked'],
        ],
      );
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] expiry is automatic: a read marks the permit expired, once, by the platform`, async () => {
    const c = await cast(open);
    const { store, clock } = c;
    try {
      const { permit } = await approved(c);
      clock.set(permit.expiresAt);
      clock.advance(-1);
      assert.equal((await store.permits.get(permit.id)).status, 'active');
      await store.permits.authorize(c.alice, permit.id, REQUEST);
      clock.advance(1);
      // Refused by date before any write…
      assert.equal(evaluatePermit(permit, clock.now(), REQUEST).decision, 'deny');
      // …and marked expired by the next read.
      assert.equal((await store.permits.get(permit.id)).status, 'expired');
      assert.equal((await store.permits.list({ status: 'expired' })).length, 1);
      assert.equal(await store.permits.expireDue(), 0);
      const expiries = await store.audit.list({ action: 'permit.expire' });
      assert.equal(expiries.length, 1);
      assert.equal(expiries[0]?.actorRole, 'system');
      assert.equal(expiries[0]?.permitId, permit.id);
      await assert.rejects(
        store.permits.authorize(c.alice, permit.id, REQUEST),
        isError('HYG_PERMIT_EXPIRED', 'permit-expired'),
      );
      await assert.rejects(
        store.permits.suspend(c.admin, permit.id, 'late'),
        isError('HYG_INVALID_TRANSITION'),
      );
      assert.deepEqual(
        (await store.permits.history(permit.id)).map((h) => [h.toStatus, h.actorId, h.reason]),
        [
          ['active', c.r2.userId, 'issued on approval of application version 1'],
          ['expired', null, 'expiry date reached'],
        ],
      );
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] authorize: members only, within the scope, every decision recorded`, async () => {
    const c = await cast(open);
    const { store } = c;
    try {
      const { permit } = await approved(c);
      await assert.rejects(
        store.permits.authorize(c.mallory, permit.id, REQUEST),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await assert.rejects(
        store.permits.authorize(c.r1, permit.id, REQUEST),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await assert.rejects(
        store.permits.authorize(c.alice, permit.id, {
          ...REQUEST,
          data: [{ table: 'death', variables: ['person_id'] }],
        }),
        isError('HYG_FORBIDDEN', 'table-not-allowed'),
      );
      await assert.rejects(
        store.permits.authorize(c.alice, permit.id, {
          ...REQUEST,
          data: [{ table: 'person', variables: ['location_id'] }],
        }),
        isError('HYG_FORBIDDEN', 'variable-not-allowed'),
      );
      await assert.rejects(
        store.permits.authorize(c.alice, permit.id, {
          ...REQUEST,
          period: { from: '2018-01-01', to: '2020-01-01' },
        }),
        isError('HYG_FORBIDDEN', 'period-outside'),
      );
      await assert.rejects(
        store.permits.authorize(c.alice, permit.id, { ...REQUEST, kind: 'row_level' }),
        isError('HYG_FORBIDDEN', 'access-mode-not-allowed'),
      );
      await assert.rejects(
        store.permits.authorize(c.alice, 'no-such-permit', REQUEST),
        isError('HYG_NOT_FOUND'),
      );
      await store.permits.authorize(c.alice, permit.id, { ...REQUEST, epsilon: 0.5 });
      const trail = await store.audit.list({ action: 'data.access' });
      assert.deepEqual(
        trail.map((e) => [e.decision, e.reason]),
        [
          ['deny', 'not-a-project-member'],
          ['deny', 'not-a-project-member'],
          ['deny', 'table-not-allowed'],
          ['deny', 'variable-not-allowed'],
          ['deny', 'period-outside'],
          ['deny', 'access-mode-not-allowed'],
          ['deny', 'HYG_NOT_FOUND'],
          ['allow', null],
        ],
      );
      assert.deepEqual(trail.at(-1)?.details, {
        kind: 'aggregate',
        tables: 'person',
        periodFrom: '2020-01-01',
        periodTo: '2020-12-31',
        epsilon: 0.5,
      });
      assert.equal(trail[0]?.actorId, c.mallory.userId);
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] every state change leaves exactly one audit event; so does every refusal`, async () => {
    const c = await cast(open);
    const { store } = c;
    try {
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
      let appId = '';
      await step(
        'create',
        async () =>
          (appId = (await store.applications.createDraft(c.alice, c.projectId, CONTENT)).id),
        'allow',
      );
      await step(
        'edit',
        () => store.applications.editDraft(c.alice, appId, { requestedEpsilon: 1 }),
        'allow',
      );
      await step(
        'edit refused',
        () => store.applications.editDraft(c.mallory, appId, { requestedEpsilon: 2 }),
        'deny',
      );
      await step('submit', () => store.applications.submit(c.alice, appId), 'allow');
      await step('start review', () => store.applications.startReview(c.r1, appId), 'allow');
      await step(
        'member review refused',
        () => store.applications.review(c.bob, appId, { decision: 'approve' }),
        'deny',
      );
      await step(
        'review 1',
        () => store.applications.review(c.r1, appId, { decision: 'approve' }),
        'allow',
      );
      let permitId = '';
      await step(
        'review 2 + permit',
        async () =>
          (permitId =
            (await store.applications.review(c.r2, appId, { decision: 'approve' })).permit?.id ??
            ''),
        'allow',
      );
      await step('suspend', () => store.permits.suspend(c.admin, permitId, 'audit'), 'allow');
      await step('reinstate', () => store.permits.reinstate(c.admin, permitId, 'ok'), 'allow');
      await step(
        'add member',
        () =>
          store.projects.addMember(c.alice, c.projectId, {
            userId: c.r2.userId as string,
            projectRole: 'investigator',
          }),
        'allow',
      );
      await step(
        'remove member',
        () => store.projects.removeMember(c.alice, c.projectId, c.r2.userId as string),
        'allow',
      );
      await step(
        'update project',
        () => store.projects.update(c.bob, c.projectId, { publicSummary: 'Shorter.' }),
        'allow',
      );
      let resultId = '';
      await step(
        'add result',
        async () =>
          (resultId = (
            await store.projects.addResult(c.bob, c.projectId, { title: 'Report', kind: 'report' })
          ).id),
        'allow',
      );
      await step(
        'add result refused',
        () => store.projects.addResult(c.mallory, c.projectId, { title: 'Mine', kind: 'other' }),
        'deny',
      );
      await step(
        'remove result',
        () => store.projects.removeResult(c.alice, c.projectId, resultId, 'superseded'),
        'allow',
      );
      await step(
        'remove result twice',
        () => store.projects.removeResult(c.alice, c.projectId, resultId, 'again'),
        'deny',
      );
      await step('opt out', () => store.optOuts.optOut(SYSTEM_ACTOR, 4242n), 'allow');
      await step('opt out twice', () => store.optOuts.optOut(SYSTEM_ACTOR, 4242n), 'deny');
      await step('withdraw', () => store.optOuts.withdraw(SYSTEM_ACTOR, 4242n), 'allow');
      await step('revoke', () => store.permits.revoke(c.admin, permitId, 'end'), 'allow');
      // Reads change nothing and record nothing.
      await store.permits.get(permitId);
      await store.applications.events(appId);
      await store.directory.list();
      await store.projects.listResults(c.projectId);
      assert.equal(await store.audit.count(), last);
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] opt-out stores only a person id, is reversible, and is listed for the warehouse`, async () => {
    const clock = new TestClock();
    const store = await open(clock);
    try {
      const citizen: Actor = { userId: null, roles: ['citizen'] };
      const big = (1n << 63n) - 1n;
      const first = await store.optOuts.optOut(citizen, big);
      assert.equal(first.personId, big);
      assert.equal(first.surveillanceExempt, false);
      await store.optOuts.optOut(citizen, 17n);
      assert.equal(await store.optOuts.isOptedOut(big), true);
      assert.deepEqual(await store.optOuts.listActivePersonIds(), [17n, big]);
      assert.deepEqual(await store.optOuts.listActivePersonIds('surveillance'), [17n, big]);
      await assert.rejects(
        store.optOuts.optOut(citizen, big),
        isError('HYG_CONFLICT', 'already-opted-out'),
      );
      await store.optOuts.withdraw(citizen, big);
      assert.equal(await store.optOuts.isOptedOut(big), false);
      assert.deepEqual(await store.optOuts.listActivePersonIds(), [17n]);
      await assert.rejects(store.optOuts.withdraw(citizen, big), isError('HYG_NOT_FOUND'));
      clock.advance(DAY);
      await store.optOuts.optOut(citizen, big);
      const history = await store.optOuts.history(big);
      assert.equal(history.length, 2);
      assert.ok(history[0]?.withdrawnAt);
      assert.equal(history[1]?.withdrawnAt, null);
      for (const bad of [0n, -1n, 1n << 63n]) {
        await assert.rejects(store.optOuts.optOut(citizen, bad), isError('HYG_INVALID_ARGUMENT'));
      }
      await assert.rejects(
        store.optOuts.optOut(citizen, '1841276451089' as unknown as bigint),
        isError('HYG_INVALID_ARGUMENT'),
      );
      await assert.rejects(
        store.optOuts.optOut({ userId: null, roles: ['researcher'] }, 5n),
        isError('HYG_FORBIDDEN'),
      );
      // The trail names opt-out records, never person ids.
      const trail = JSON.stringify(await store.audit.list({ targetType: 'opt_out' }));
      assert.ok(!trail.includes(big.toString()) && !trail.includes('"17"'));
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] surveillance exemption is configuration, recorded with each opt-out`, async () => {
    const store = await open(new TestClock(), { surveillanceExemptFromOptOut: true });
    try {
      const o = await store.optOuts.optOut(SYSTEM_ACTOR, 99n);
      assert.equal(o.surveillanceExempt, true);
      assert.deepEqual(await store.optOuts.listActivePersonIds('research'), [99n]);
      assert.deepEqual(await store.optOuts.listActivePersonIds('surveillance'), []);
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] the team records results; outsiders are refused and audited; a removed result leaves the directory, not the record`, async () => {
    const c = await cast(open);
    const { store, clock } = c;
    try {
      await approved(c);
      assert.deepEqual(await store.projects.listResults(c.projectId), []);
      assert.deepEqual((await store.directory.get(c.projectId)).results, []);

      // Bob is a member without leading the project: recording results is the team's work.
      const article = await store.projects.addResult(c.bob, c.projectId, {
        title: '  Diabetes incidence, 2019–2023  ',
        kind: 'publication',
        url: 'HTTPS://Example.org/articles/42',
        publishedOn: '2025-01-20',
        summary: 'Incidence rose in every région.',
      });
      assert.deepEqual(article, {
        id: article.id,
        projectId: c.projectId,
        title: 'Diabetes incidence, 2019–2023',
        kind: 'publication',
        // Stored as parsed: the scheme and host in lower case.
        url: 'https://example.org/articles/42',
        publishedOn: '2025-01-20',
        summary: 'Incidence rose in every région.',
        addedBy: c.bob.userId,
        addedAt: clock.now().toISOString(),
        removedAt: null,
        removedBy: null,
        removalReason: null,
      });
      clock.advance(DAY);
      const dataset = await store.projects.addResult(c.alice, c.projectId, {
        title: 'Released aggregates',
        kind: 'dataset',
      });
      clock.advance(DAY);
      // An administrator may correct a project's results without being on its team.
      const report = await store.projects.addResult(c.admin, c.projectId, {
        title: 'Final report',
        kind: 'report',
        publishedOn: '2024-12-01',
      });
      // Newest first: by publication date, else the day recorded.
      assert.deepEqual(
        (await store.directory.get(c.projectId)).results.map((r) => r.title),
        ['Released aggregates', 'Diabetes incidence, 2019–2023', 'Final report'],
      );

      // Outside the team: refused, and the refusal is in the trail.
      await assert.rejects(
        store.projects.addResult(c.mallory, c.projectId, { title: 'Mine', kind: 'other' }),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await assert.rejects(
        store.projects.addResult(c.r1, c.projectId, { title: 'Mine', kind: 'other' }),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      await assert.rejects(
        store.projects.removeResult(c.mallory, c.projectId, article.id, 'not mine'),
        isError('HYG_FORBIDDEN', 'not-a-project-member'),
      );
      const refusals = await store.audit.list({ action: 'project.add_result', decision: 'deny' });
      assert.deepEqual(
        refusals.map((e) => [e.actorId, e.targetId, e.reason]),
        [
          [c.mallory.userId, c.projectId, 'not-a-project-member'],
          [c.r1.userId, c.projectId, 'not-a-project-member'],
        ],
      );
      assert.equal(
        await store.audit.count({ action: 'project.remove_result', decision: 'deny' }),
        1,
      );
      await assert.rejects(
        store.projects.addResult(c.mallory, 'no-such-project', { title: 'X', kind: 'other' }),
        isError('HYG_NOT_FOUND'),
      );
      await assert.rejects(store.projects.listResults('no-such-project'), isError('HYG_NOT_FOUND'));

      // Only http(s) links; the field is named.
      for (const url of [
        'javascript:alert(1)',
        'data:text/html,<script>alert(1)</script>',
        'ftp://example.org/x',
        'https://user:secret@example.org/',
        'not a url',
      ]) {
        await assert.rejects(
          store.projects.addResult(c.alice, c.projectId, { title: 'X', kind: 'report', url }),
          (e: unknown) =>
            isError('HYG_INVALID_ARGUMENT')(e) && (e as HygieError).details.argument === 'url',
          url,
        );
      }
      for (const bad of [
        { title: '', kind: 'report' },
        { title: 'X', kind: 'poster' },
        { title: 'X', kind: 'report', publishedOn: '2025-02-30' },
        { title: 'X', kind: 'report', summary: 'x'.repeat(5001) },
        { title: 'X', kind: 'report', addedBy: c.mallory.userId },
      ]) {
        await assert.rejects(
          store.projects.addResult(c.alice, c.projectId, bad as never),
          isError('HYG_INVALID_ARGUMENT'),
          JSON.stringify(bad),
        );
      }

      // Removal: a reason is required; the result leaves the directory and stays on record.
      await assert.rejects(
        store.projects.removeResult(c.alice, c.projectId, dataset.id, ' '),
        isError('HYG_INVALID_ARGUMENT', 'reason-required'),
      );
      clock.advance(DAY);
      const removed = await store.projects.removeResult(
        c.alice,
        c.projectId,
        dataset.id,
        'aggregates superseded by the final report',
      );
      assert.equal(removed.removedAt, clock.now().toISOString());
      assert.equal(removed.removedBy, c.alice.userId);
      assert.equal(removed.removalReason, 'aggregates superseded by the final report');
      assert.deepEqual(
        (await store.directory.get(c.projectId)).results.map((r) => r.title),
        ['Diabetes incidence, 2019–2023', 'Final report'],
      );
      assert.deepEqual(
        (await store.projects.listResults(c.projectId)).map((r) => [r.id, r.removedAt]),
        [
          [dataset.id, removed.removedAt],
          [article.id, null],
          [report.id, null],
        ],
      );
      await assert.rejects(
        store.projects.removeResult(c.bob, c.projectId, dataset.id, 'again'),
        isError('HYG_CONFLICT', 'already-removed'),
      );
      // A result is reached through its own project only.
      const other = await store.projects.create(c.mallory, { ...PROJECT, title: 'Other' });
      await assert.rejects(
        store.projects.removeResult(c.mallory, other.id, article.id, 'not yours'),
        isError('HYG_NOT_FOUND'),
      );
      const removals = await store.audit.list({ action: 'project.remove_result' });
      assert.deepEqual(
        removals.map((e) => [e.decision, e.reason, e.details.resultId]),
        [
          ['deny', 'not-a-project-member', article.id],
          ['deny', 'reason-required', dataset.id],
          ['allow', null, dataset.id],
          ['deny', 'already-removed', dataset.id],
          ['deny', 'HYG_NOT_FOUND', article.id],
        ],
      );
      // The reason is kept with the result, not in the (public) trail.
      assert.ok(!JSON.stringify(removals).includes('superseded'));
    } finally {
      await store.close();
    }
  });

  test(`[${engine}] the public directory shows public fields only`, async () => {
    const c = await cast(open);
    const { store } = c;
    try {
      const drafted = await store.projects.create(c.mallory, {
        ...PROJECT,
        title: 'Still a draft',
      });
      await store.applications.createDraft(c.mallory, drafted.id, CONTENT);
      assert.deepEqual(await store.directory.list(), []);
      const { permit } = await approved(c);
      await store.users.createApiToken(c.alice, c.alice.userId as string, {
        label: 'secret-label',
      });
      await store.projects.addResult(c.bob, c.projectId, {
        title: 'Type 2 diabetes in France, 2019–2023',
        kind: 'publication',
        url: 'https://doi.org/10.1000/182',
        publishedOn: '2025-02-14',
        summary: 'Incidence is highest in the overseas départements.',
      });
      const withdrawn = await store.projects.addResult(c.bob, c.projectId, {
        title: 'Preprint',
        kind: 'other',
      });
      await store.projects.removeResult(
        c.alice,
        c.projectId,
        withdrawn.id,
        'secret-removal-reason',
      );

      const entries = await store.directory.list();
      assert.equal(entries.length, 1);
      const [entry] = entries;
      assert.ok(entry);
      assert.deepEqual(Object.keys(entry).sort(), [
        'applicationStatus',
        'dataUsed',
        'permits',
        'projectId',
        'publicSummary',
        'purpose',
        'results',
        'status',
        'team',
        'title',
      ]);
      assert.equal(entry.title, PROJECT.title);
      assert.equal(entry.applicationStatus, 'approved');
      assert.deepEqual(
        entry.team.map((m) => Object.keys(m).sort()),
        [
          ['displayName', 'projectRole'],
          ['displayName', 'projectRole'],
        ],
      );
      assert.deepEqual(entry.team.map((m) => m.displayName).sort(), ['Dr alice', 'Dr bob']);
      assert.deepEqual(Object.keys(entry.permits[0] ?? {}).sort(), [
        'accessMode',
        'data',
        'expiresAt',
        'permitId',
        'status',
        'validFrom',
      ]);
      assert.equal(entry.permits[0]?.permitId, permit.id);
      // Results: the whitelisted fields, not who recorded or removed them; removed ones hidden.
      assert.deepEqual(entry.results, [
        {
          title: 'Type 2 diabetes in France, 2019–2023',
          kind: 'publication',
          url: 'https://doi.org/10.1000/182',
          publishedOn: '2025-02-14',
          summary: 'Incidence is highest in the overseas départements.',
        },
      ]);
      assert.deepEqual(entry.dataUsed, [
        {
          table: 'condition_occurrence',
          variables: ['condition_concept_id', 'condition_start_date', 'person_id'],
        },
        { table: 'person', variables: ['gender_concept_id', 'person_id', 'year_of_birth'] },
      ]);
      const json = JSON.stringify(entries);
      for (const secret of [
        PROJECT.legalBasis,
        PROJECT.funding,
        CONTENT.justification as string,
        '"alice"', // logins
        '"rev1"',
        c.alice.userId as string,
        c.bob.userId as string,
        c.r1.userId as string,
        withdrawn.id,
        'Preprint',
        'secret-removal-reason',
        'secret-label',
        'scrypt$',
        'ageRange',
        'epsilon',
        'comment',
      ]) {
        assert.ok(!json.includes(secret), `the directory shows ${secret}`);
      }
      assert.deepEqual(await store.directory.get(c.projectId), entry);
      await assert.rejects(store.directory.get(drafted.id), isError('HYG_NOT_FOUND'));
    } finally {
      await store.close();
    }
  });
}
