import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  APPLICATION_STATUSES,
  DEFAULT_REQUIRED_APPROVALS,
  HygieError,
  SYSTEM_ACTOR,
  applyTransition,
  assertMayEditApplication,
  countApprovals,
} from '../src/index.js';
import type {
  Actor,
  ApplicationEvent,
  ApplicationStatus,
  ErrorCode,
  ReviewRecord,
  TransitionContext,
} from '../src/index.js';

const member: Actor = { userId: 'member-1', roles: ['researcher'] };
const memberReviewer: Actor = { userId: 'member-2', roles: ['researcher', 'reviewer'] };
const reviewerA: Actor = { userId: 'reviewer-a', roles: ['reviewer'] };
const reviewerB: Actor = { userId: 'reviewer-b', roles: ['reviewer'] };
const reviewerC: Actor = { userId: 'reviewer-c', roles: ['reviewer'] };
const admin: Actor = { userId: 'admin-1', roles: ['admin'] };
const outsider: Actor = { userId: 'outsider', roles: ['researcher'] };
const members = ['member-1', 'member-2'];

function ctx(
  actor: Actor,
  reviews: ReviewRecord[] = [],
  requiredApprovals?: number,
): TransitionContext {
  return { actor, projectMemberIds: members, reviews, requiredApprovals };
}

function refused(fn: () => unknown, code: ErrorCode, reason: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof HygieError, 'a HygieError');
    assert.equal(e.code, code);
    assert.equal(e.details.reason, reason);
    return true;
  });
}

const submit: ApplicationEvent = { type: 'submit', reason: 'first version' };
const startReview: ApplicationEvent = { type: 'start_review' };
const approve: ApplicationEvent = { type: 'review', decision: 'approve' };
const reject: ApplicationEvent = { type: 'review', decision: 'reject', comment: 'no legal basis' };
const changes: ApplicationEvent = {
  type: 'review',
  decision: 'changes_requested',
  comment: 'narrow the variables',
};

test('default required approvals is 2', () => {
  assert.equal(DEFAULT_REQUIRED_APPROVALS, 2);
});

test('a project member submits a draft and resubmits after changes were requested', () => {
  const r = applyTransition('draft', submit, ctx(member));
  assert.deepEqual(r, {
    from: 'draft',
    to: 'submitted',
    approvals: 0,
    requiredApprovals: 2,
    decided: false,
  });
  assert.equal(applyTransition('changes_requested', submit, ctx(member)).to, 'submitted');
});

test('only project members submit', () => {
  refused(
    () => applyTransition('draft', submit, ctx(outsider)),
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
  refused(
    () => applyTransition('draft', submit, ctx(reviewerA)),
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
  refused(
    () => applyTransition('draft', submit, ctx(SYSTEM_ACTOR)),
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
});

test('submit is refused from every state but draft and changes_requested', () => {
  for (const s of APPLICATION_STATUSES) {
    if (s === 'draft' || s === 'changes_requested') continue;
    refused(() => applyTransition(s, submit, ctx(member)), 'HYG_INVALID_TRANSITION', 'state');
  }
});

test('a non-member reviewer or an administrator opens the review of a submitted application', () => {
  assert.equal(applyTransition('submitted', startReview, ctx(reviewerA)).to, 'under_review');
  assert.equal(applyTransition('submitted', startReview, ctx(admin)).to, 'under_review');
  refused(
    () => applyTransition('submitted', startReview, ctx(outsider)),
    'HYG_FORBIDDEN',
    'not-a-reviewer',
  );
  refused(
    () => applyTransition('submitted', startReview, ctx(SYSTEM_ACTOR)),
    'HYG_FORBIDDEN',
    'not-a-reviewer',
  );
  refused(
    () => applyTransition('submitted', startReview, ctx(memberReviewer)),
    'HYG_FORBIDDEN',
    'project-member',
  );
  for (const s of APPLICATION_STATUSES) {
    if (s === 'submitted') continue;
    refused(
      () => applyTransition(s, startReview, ctx(reviewerA)),
      'HYG_INVALID_TRANSITION',
      'state',
    );
  }
});

test('a reviewer who is a project member cannot approve', () => {
  refused(
    () => applyTransition('under_review', approve, ctx(memberReviewer)),
    'HYG_FORBIDDEN',
    'reviewer-is-project-member',
  );
});

test('only reviewers review (an administrator is not a reviewer)', () => {
  refused(
    () => applyTransition('under_review', approve, ctx(admin)),
    'HYG_FORBIDDEN',
    'not-a-reviewer',
  );
  refused(
    () => applyTransition('under_review', approve, ctx(outsider)),
    'HYG_FORBIDDEN',
    'not-a-reviewer',
  );
  refused(
    () => applyTransition('under_review', approve, ctx(SYSTEM_ACTOR)),
    'HYG_FORBIDDEN',
    'not-a-reviewer',
  );
});

test('review is refused outside under_review', () => {
  for (const s of APPLICATION_STATUSES) {
    if (s === 'under_review') continue;
    refused(() => applyTransition(s, approve, ctx(reviewerA)), 'HYG_INVALID_TRANSITION', 'state');
  }
});

test('N approvals are needed: one of two keeps the review open, the second approves', () => {
  const first = applyTransition('under_review', approve, ctx(reviewerA));
  assert.deepEqual(first, {
    from: 'under_review',
    to: 'under_review',
    approvals: 1,
    requiredApprovals: 2,
    decided: false,
  });
  const second = applyTransition(
    'under_review',
    approve,
    ctx(reviewerB, [{ reviewerId: 'reviewer-a', decision: 'approve' }]),
  );
  assert.deepEqual(second, {
    from: 'under_review',
    to: 'approved',
    approvals: 2,
    requiredApprovals: 2,
    decided: true,
  });
});

test('N is configurable: 1 approves at once, 3 needs a third reviewer', () => {
  assert.equal(applyTransition('under_review', approve, ctx(reviewerA, [], 1)).to, 'approved');
  const two: ReviewRecord[] = [
    { reviewerId: 'reviewer-a', decision: 'approve' },
    { reviewerId: 'reviewer-b', decision: 'approve' },
  ];
  assert.equal(
    applyTransition('under_review', approve, ctx(reviewerC, two.slice(0, 1), 3)).to,
    'under_review',
  );
  assert.equal(applyTransition('under_review', approve, ctx(reviewerC, two, 3)).to, 'approved');
});

test('a bad required-approvals configuration is refused', () => {
  for (const n of [0, -1, 1.5, Number.NaN]) {
    assert.throws(
      () => applyTransition('under_review', approve, ctx(reviewerA, [], n)),
      (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_CONFIG',
    );
  }
});

test('approvals from reviewers who are (now) project members do not count', () => {
  const reviews: ReviewRecord[] = [{ reviewerId: 'member-2', decision: 'approve' }];
  assert.equal(countApprovals(reviews, members), 0);
  const r = applyTransition('under_review', approve, ctx(reviewerA, reviews));
  assert.equal(r.to, 'under_review');
  assert.equal(r.approvals, 1);
});

test('countApprovals counts distinct approving reviewers only', () => {
  assert.equal(
    countApprovals(
      [
        { reviewerId: 'a', decision: 'approve' },
        { reviewerId: 'a', decision: 'approve' },
        { reviewerId: 'b', decision: 'changes_requested' },
        { reviewerId: 'c', decision: 'reject' },
      ],
      [],
    ),
    1,
  );
});

test('a rejection by any reviewer rejects, even after an approval', () => {
  const r = applyTransition(
    'under_review',
    reject,
    ctx(reviewerB, [{ reviewerId: 'reviewer-a', decision: 'approve' }]),
  );
  assert.equal(r.to, 'rejected');
  assert.equal(r.decided, true);
});

test('changes requested sends the application back; it may be edited and resubmitted', () => {
  const r = applyTransition('under_review', changes, ctx(reviewerA));
  assert.equal(r.to, 'changes_requested');
  assertMayEditApplication('changes_requested', ctx(member));
  assert.equal(applyTransition('changes_requested', submit, ctx(member)).to, 'submitted');
});

test('reject and changes_requested need a comment; approve does not', () => {
  for (const decision of ['reject', 'changes_requested'] as const) {
    for (const comment of [undefined, null, '', '   ']) {
      refused(
        () =>
          applyTransition('under_review', { type: 'review', decision, comment }, ctx(reviewerA)),
        'HYG_INVALID_ARGUMENT',
        'comment-required',
      );
    }
  }
  refused(
    () =>
      applyTransition(
        'under_review',
        { type: 'review', decision: 'approve', comment: 'x'.repeat(10_001) },
        ctx(reviewerA),
      ),
    'HYG_INVALID_ARGUMENT',
    'comment-too-long',
  );
});

test('a reviewer cannot review the same version twice', () => {
  refused(
    () =>
      applyTransition(
        'under_review',
        approve,
        ctx(reviewerA, [{ reviewerId: 'reviewer-a', decision: 'approve' }]),
      ),
    'HYG_CONFLICT',
    'already-reviewed',
  );
});

test('an unknown decision is refused', () => {
  refused(
    () =>
      applyTransition(
        'under_review',
        { type: 'review', decision: 'maybe' as 'approve' },
        ctx(reviewerA),
      ),
    'HYG_INVALID_ARGUMENT',
    'bad-decision',
  );
});

test('editing: only members, only in draft or changes_requested', () => {
  assertMayEditApplication('draft', ctx(member));
  refused(
    () => assertMayEditApplication('draft', ctx(reviewerA)),
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
  for (const s of ['submitted', 'under_review', 'approved', 'rejected'] as ApplicationStatus[]) {
    refused(() => assertMayEditApplication(s, ctx(member)), 'HYG_INVALID_TRANSITION', 'state');
  }
});

test('final states accept no event at all', () => {
  for (const s of ['approved', 'rejected'] as ApplicationStatus[]) {
    for (const e of [submit, startReview, approve, reject, changes]) {
      refused(
        () => applyTransition(s, e, ctx(e.type === 'submit' ? member : reviewerA)),
        'HYG_INVALID_TRANSITION',
        'state',
      );
    }
  }
});

test('refusals carry safe details: from, event, reason', () => {
  try {
    applyTransition('approved', submit, ctx(member));
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof HygieError);
    assert.deepEqual(e.details, { from: 'approved', event: 'submit', reason: 'state' });
    assert.equal(e.status, 409);
  }
});
