import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DOWNLOAD_FORMATS,
  HygieError,
  RELEASE_REQUEST_STATUSES,
  SYSTEM_ACTOR,
  assertMayDownloadRelease,
  assertMayRequestRelease,
  assertMaySeeReleaseQueue,
  assertMayViewProjectOutputs,
  mayViewProjectOutputs,
  releaseTransition,
} from '../src/index.js';
import type {
  Actor,
  ErrorCode,
  PermitStatus,
  ReleaseEvent,
  ReleaseRequestContext,
  ReleaseRequestStatus,
  ReleaseTransitionContext,
} from '../src/index.js';

const lead: Actor = { userId: 'lead', roles: ['researcher'] };
const member: Actor = { userId: 'member', roles: ['researcher'] };
const memberChecker: Actor = { userId: 'member-checker', roles: ['researcher', 'output_checker'] };
const checker: Actor = { userId: 'checker', roles: ['output_checker'] };
const reviewer: Actor = { userId: 'reviewer', roles: ['reviewer'] };
const admin: Actor = { userId: 'admin', roles: ['admin'] };
const auditor: Actor = { userId: 'auditor', roles: ['auditor'] };
const outsider: Actor = { userId: 'outsider', roles: ['researcher'] };
const anonymousChecker: Actor = { userId: null, roles: ['output_checker'] };
const members = ['lead', 'member', 'member-checker'];

function refused(fn: () => unknown, code: ErrorCode, reason: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof HygieError, 'a HygieError');
    assert.equal(e.code, code, e.message);
    assert.equal(e.details.reason, reason);
    return true;
  });
}

function requestCtx(actor: Actor, over: Partial<ReleaseRequestContext> = {}) {
  return {
    actor,
    projectMemberIds: members,
    runStatus: 'completed' as const,
    permitStatus: 'active' as PermitStatus,
    hasPendingRequest: false,
    released: false,
    ...over,
  };
}

function ctx(actor: Actor, over: Partial<ReleaseTransitionContext> = {}): ReleaseTransitionContext {
  return {
    actor,
    projectMemberIds: members,
    principalInvestigatorIds: ['lead'],
    requesterId: 'member',
    permitStatus: 'active',
    ...over,
  };
}

const approve: ReleaseEvent = { type: 'decide', decision: 'approve' };
const reject: ReleaseEvent = {
  type: 'decide',
  decision: 'reject',
  comment: 'cell of 3 in table 2',
};
const withdraw: ReleaseEvent = { type: 'withdraw', reason: 'wrong period' };

test('states and formats', () => {
  assert.deepEqual(RELEASE_REQUEST_STATUSES, ['pending', 'approved', 'rejected', 'withdrawn']);
  assert.deepEqual(DOWNLOAD_FORMATS, ['csv', 'json', 'parquet']);
});

test("a project's outputs are seen by its members and, for oversight, checkers, admins, auditors", () => {
  for (const a of [lead, member, memberChecker, checker, admin, auditor]) {
    assert.equal(
      mayViewProjectOutputs({ actor: a, projectMemberIds: members }),
      true,
      `${a.userId}`,
    );
    assertMayViewProjectOutputs({ actor: a, projectMemberIds: members });
  }
  for (const a of [outsider, reviewer, SYSTEM_ACTOR, anonymousChecker]) {
    assert.equal(mayViewProjectOutputs({ actor: a, projectMemberIds: members }), false);
    refused(
      () => assertMayViewProjectOutputs({ actor: a, projectMemberIds: members }),
      'HYG_FORBIDDEN',
      'not-allowed-to-view',
    );
  }
  assertMaySeeReleaseQueue(checker);
  assertMaySeeReleaseQueue(admin);
  for (const a of [auditor, lead, reviewer, anonymousChecker, SYSTEM_ACTOR]) {
    refused(() => assertMaySeeReleaseQueue(a), 'HYG_FORBIDDEN', 'role-required');
  }
});

test('a member requests the release of a completed run, with a justification', () => {
  assert.equal(
    assertMayRequestRelease(requestCtx(member), '  Table 1 of the article  '),
    'Table 1 of the article',
  );
  // An expired permit does not block: the run was computed while it was valid.
  assertMayRequestRelease(requestCtx(lead, { permitStatus: 'expired' }), 'final tables');
  refused(
    () => assertMayRequestRelease(requestCtx(outsider), 'x'),
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
  refused(
    () => assertMayRequestRelease(requestCtx(checker), 'x'),
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
  refused(
    () => assertMayRequestRelease(requestCtx(member, { runStatus: 'failed' }), 'x'),
    'HYG_INVALID_TRANSITION',
    'run-not-completed',
  );
  refused(
    () => assertMayRequestRelease(requestCtx(member, { hasPendingRequest: true }), 'x'),
    'HYG_CONFLICT',
    'request-pending',
  );
  refused(
    () => assertMayRequestRelease(requestCtx(member, { released: true }), 'x'),
    'HYG_CONFLICT',
    'already-released',
  );
  for (const j of ['', '   ', null, undefined]) {
    refused(
      () => assertMayRequestRelease(requestCtx(member), j),
      'HYG_INVALID_ARGUMENT',
      'justification-required',
    );
  }
  refused(
    () => assertMayRequestRelease(requestCtx(member), 'x'.repeat(10_001)),
    'HYG_INVALID_ARGUMENT',
    'justification-too-long',
  );
  refused(
    () => assertMayRequestRelease(requestCtx(member, { permitStatus: 'suspended' }), 'x'),
    'HYG_PERMIT_SUSPENDED',
    'permit-suspended',
  );
  refused(
    () => assertMayRequestRelease(requestCtx(member, { permitStatus: 'revoked' }), 'x'),
    'HYG_PERMIT_REVOKED',
    'permit-revoked',
  );
});

test('an output checker outside the project decides; a rejection needs a comment', () => {
  assert.deepEqual(releaseTransition('pending', approve, ctx(checker)), {
    from: 'pending',
    to: 'approved',
    comment: null,
  });
  assert.deepEqual(
    releaseTransition('pending', { ...approve, comment: ' fine ' }, ctx(checker)).comment,
    'fine',
  );
  assert.deepEqual(releaseTransition('pending', reject, ctx(checker)), {
    from: 'pending',
    to: 'rejected',
    comment: 'cell of 3 in table 2',
  });
  for (const comment of [undefined, null, '', '  ']) {
    refused(
      () =>
        releaseTransition('pending', { type: 'decide', decision: 'reject', comment }, ctx(checker)),
      'HYG_INVALID_ARGUMENT',
      'comment-required',
    );
  }
  refused(
    () => releaseTransition('pending', { ...approve, comment: 'x'.repeat(10_001) }, ctx(checker)),
    'HYG_INVALID_ARGUMENT',
    'comment-too-long',
  );
  refused(
    () => releaseTransition('pending', approve, ctx(memberChecker)),
    'HYG_FORBIDDEN',
    'checker-is-project-member',
  );
  // A checker who made the request (and has left the team since) does not decide it either.
  refused(
    () => releaseTransition('pending', approve, ctx(checker, { requesterId: 'checker' })),
    'HYG_FORBIDDEN',
    'checker-is-requester',
  );
  for (const a of [admin, reviewer, auditor, lead, anonymousChecker, SYSTEM_ACTOR]) {
    refused(
      () => releaseTransition('pending', approve, ctx(a)),
      'HYG_FORBIDDEN',
      'not-an-output-checker',
    );
  }
  refused(
    () =>
      releaseTransition(
        'pending',
        { type: 'decide', decision: 'maybe' as 'approve' },
        ctx(checker),
      ),
    'HYG_INVALID_ARGUMENT',
    'bad-decision',
  );
});

test("approval waits for the permit's standing; rejection does not", () => {
  for (const [status, code, reason] of [
    ['suspended', 'HYG_PERMIT_SUSPENDED', 'permit-suspended'],
    ['revoked', 'HYG_PERMIT_REVOKED', 'permit-revoked'],
  ] as const) {
    refused(
      () => releaseTransition('pending', approve, ctx(checker, { permitStatus: status })),
      code,
      reason,
    );
    assert.equal(
      releaseTransition('pending', reject, ctx(checker, { permitStatus: status })).to,
      'rejected',
    );
  }
  assert.equal(
    releaseTransition('pending', approve, ctx(checker, { permitStatus: 'expired' })).to,
    'approved',
  );
});

test('the requester or a principal investigator withdraws a pending request', () => {
  assert.deepEqual(releaseTransition('pending', withdraw, ctx(member)), {
    from: 'pending',
    to: 'withdrawn',
    comment: 'wrong period',
  });
  assert.equal(releaseTransition('pending', { type: 'withdraw' }, ctx(lead)).comment, null);
  assert.equal(
    releaseTransition('pending', withdraw, ctx(member, { permitStatus: 'revoked' })).to,
    'withdrawn',
  );
  for (const a of [memberChecker, checker, admin, outsider, SYSTEM_ACTOR]) {
    refused(
      () => releaseTransition('pending', withdraw, ctx(a)),
      'HYG_FORBIDDEN',
      'not-requester-or-lead',
    );
  }
});

test('a request that is no longer pending is final', () => {
  const finals: ReleaseRequestStatus[] = ['approved', 'rejected', 'withdrawn'];
  for (const state of finals) {
    for (const [event, actor] of [
      [approve, checker],
      [reject, checker],
      [withdraw, member],
    ] as const) {
      refused(() => releaseTransition(state, event, ctx(actor)), 'HYG_INVALID_TRANSITION', 'state');
    }
  }
});

test('members download a release, unless the permit is suspended or revoked', () => {
  const d = (actor: Actor, permitStatus: PermitStatus = 'active') =>
    assertMayDownloadRelease({ actor, projectMemberIds: members, permitStatus });
  d(member);
  d(lead, 'expired');
  for (const a of [checker, admin, auditor, outsider]) {
    refused(() => d(a), 'HYG_FORBIDDEN', 'not-a-project-member');
  }
  refused(() => d(member, 'suspended'), 'HYG_PERMIT_SUSPENDED', 'permit-suspended');
  refused(() => d(member, 'revoked'), 'HYG_PERMIT_REVOKED', 'permit-revoked');
});
