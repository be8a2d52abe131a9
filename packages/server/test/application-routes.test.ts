/**
 * The application workflow over HTTP, end to end: draft → edit → submit → review by reviewers
 * who are not members of the project → permit with the application's scope; changes requested →
 * edit → resubmission as a new version; rejection; who may read what.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CONTENT,
  PROJECT,
  call,
  expectError,
  expectStatus,
  extraAccount,
} from './governance-fixtures.js';
import type { ExtraAccount } from './governance-fixtures.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

interface ApplicationBody {
  id: string;
  projectId: string;
  version: number;
  status: string;
  content: { durationMonths: number; justification: string; accessMode: string };
  decidedAt: string | null;
}
interface PermitBody {
  id: string;
  applicationId: string;
  projectId: string;
  applicationVersion: number;
  status: string;
  scope: Record<string, unknown>;
  validFrom: string;
  expiresAt: string;
}
interface OutcomeBody {
  application: ApplicationBody;
  review: { reviewerId: string; decision: string; comment: string | null; version: number };
  approvals: number;
  requiredApprovals: number;
  permit: PermitBody | null;
}

const MINUTE = 60_000;

let t: TestApp;
let r1: ExtraAccount;
let r2: ExtraAccount;
let outsider: ExtraAccount;
let projectId: string;
before(async () => {
  t = await testApp();
  r1 = await extraAccount(t, 'rev-one', ['reviewer']);
  r2 = await extraAccount(t, 'rev-two', ['reviewer']);
  outsider = await extraAccount(t, 'outsider', ['researcher']);
  // The test app's reviewer account is on the team: a reviewer with a stake in the project.
  const project = expectStatus<{ id: string }>(
    await call(t, 'researcher', 'POST', '/api/v1/projects', {
      ...PROJECT,
      team: [{ userId: t.users.reviewer.id, projectRole: 'investigator' }],
    }),
    201,
  );
  projectId = project.id;
});
after(async () => {
  await t.close();
});

async function draft(): Promise<ApplicationBody> {
  return expectStatus<ApplicationBody>(
    await call(t, 'researcher', 'POST', `/api/v1/projects/${projectId}/applications`, CONTENT),
    201,
  );
}

test('the full workflow: two non-member reviewers approve, the permit has the application scope', async () => {
  const a = await draft();
  assert.equal(a.status, 'draft');
  assert.equal(a.version, 1);
  const base = `/api/v1/applications/${a.id}`;
  const edited = expectStatus<ApplicationBody>(
    await call(t, 'researcher', 'PATCH', base, { durationMonths: 12 }),
    200,
  );
  assert.equal(edited.content.durationMonths, 12);
  assert.equal(edited.content.justification, CONTENT.justification);

  // A reviewer cannot review a draft; the team cannot open its own review.
  expectError(
    await call(t, r1.headers, 'POST', `${base}/start-review`, {}),
    409,
    'HYG_INVALID_TRANSITION',
  );
  t.clock.advance(MINUTE);
  const submitted = expectStatus<ApplicationBody>(
    await call(t, 'researcher', 'POST', `${base}/submit`, { reason: 'ready for the committee' }),
    200,
  );
  assert.equal(submitted.status, 'submitted');
  // One application says how many approvals decide (the platform's setting, 2 here).
  const one = expectStatus<ApplicationBody & { requiredApprovals: number }>(
    await call(t, r1.headers, 'GET', base),
    200,
  );
  assert.equal(one.requiredApprovals, 2);
  // Neither may edit once submitted.
  expectError(
    await call(t, 'researcher', 'PATCH', base, { durationMonths: 6 }),
    409,
    'HYG_INVALID_TRANSITION',
  );
  const queue = expectStatus<ApplicationBody[]>(
    await call(t, r1.headers, 'GET', '/api/v1/applications'),
    200,
  );
  assert.deepEqual(
    queue.map((x) => x.id),
    [a.id],
  );

  // The reviewer who is a member of the project may neither open the review nor approve.
  expectError(
    await call(t, 'reviewer', 'POST', `${base}/start-review`, {}),
    403,
    'HYG_FORBIDDEN',
    'project-member',
  );
  t.clock.advance(MINUTE);
  expectStatus(await call(t, r1.headers, 'POST', `${base}/start-review`, { reason: 'March' }), 200);
  expectError(
    await call(t, 'reviewer', 'POST', `${base}/reviews`, { decision: 'approve' }),
    403,
    'HYG_FORBIDDEN',
    'reviewer-is-project-member',
  );
  // A researcher is not a reviewer at all.
  expectError(
    await call(t, 'researcher', 'POST', `${base}/reviews`, { decision: 'approve' }),
    403,
    'HYG_FORBIDDEN',
    'route-access',
  );

  t.clock.advance(MINUTE);
  const first = expectStatus<OutcomeBody>(
    await call(t, r1.headers, 'POST', `${base}/reviews`, { decision: 'approve', comment: 'fine' }),
    201,
  );
  assert.equal(first.application.status, 'under_review');
  assert.equal(first.approvals, 1);
  assert.equal(first.requiredApprovals, 2);
  assert.equal(first.permit, null);
  assert.equal(first.review.reviewerId, r1.user.id);
  expectError(
    await call(t, r1.headers, 'POST', `${base}/reviews`, { decision: 'approve' }),
    409,
    'HYG_CONFLICT',
    'already-reviewed',
  );

  t.clock.advance(MINUTE);
  const approvedAt = t.clock.now();
  const second = expectStatus<OutcomeBody>(
    await call(t, r2.headers, 'POST', `${base}/reviews`, { decision: 'approve' }),
    201,
  );
  assert.equal(second.application.status, 'approved');
  assert.equal(second.application.decidedAt, approvedAt.toISOString());
  assert.equal(second.approvals, 2);
  const permit = second.permit;
  assert.ok(permit);
  assert.equal(permit.status, 'active');
  assert.equal(permit.applicationId, a.id);
  assert.equal(permit.projectId, projectId);
  assert.equal(permit.applicationVersion, 1);
  const expiresAt = new Date(approvedAt);
  expiresAt.setUTCMonth(expiresAt.getUTCMonth() + 12);
  assert.deepEqual(permit.scope, {
    scopeVersion: 1,
    data: CONTENT.data,
    period: CONTENT.period,
    population: CONTENT.population,
    accessMode: CONTENT.accessMode,
    validFrom: approvedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    epsilonBudget: CONTENT.requestedEpsilon,
    minCellSize: t.deps.config.minCellSize,
  });

  // The team reads its permit; the history says who did what.
  const read = expectStatus<PermitBody>(
    await call(t, 'researcher', 'GET', `/api/v1/permits/${permit.id}`),
    200,
  );
  assert.deepEqual(read, permit);
  const events = expectStatus<{ event: string; actorId: string | null; toStatus: string }[]>(
    await call(t, 'researcher', 'GET', `${base}/events`),
    200,
  );
  assert.deepEqual(
    events.map((e) => [e.event, e.toStatus]),
    [
      ['create', 'draft'],
      ['submit', 'submitted'],
      ['start_review', 'under_review'],
      ['review:approve', 'under_review'],
      ['review:approve', 'approved'],
    ],
  );
  assert.equal(events[2]?.actorId, r1.user.id);
  const reviews = expectStatus<{ decision: string }[]>(
    await call(t, 'auditor', 'GET', `${base}/reviews`),
    200,
  );
  assert.equal(reviews.length, 2);
  const versions = expectStatus<{ version: number; content: { durationMonths: number } }[]>(
    await call(t, 'researcher', 'GET', `${base}/versions`),
    200,
  );
  assert.deepEqual(
    versions.map((v) => [v.version, v.content.durationMonths]),
    [[1, 12]],
  );
  const byProject = expectStatus<ApplicationBody[]>(
    await call(t, 'researcher', 'GET', `/api/v1/projects/${projectId}/applications`),
    200,
  );
  assert.ok(byProject.some((x) => x.id === a.id));
  const approved = expectStatus<ApplicationBody[]>(
    await call(t, 'admin', 'GET', '/api/v1/applications?status=approved'),
    200,
  );
  assert.deepEqual(
    approved.map((x) => x.id),
    [a.id],
  );
});

test('changes requested → edit → resubmission is version 2 with a fresh round of reviews', async () => {
  const a = await draft();
  const base = `/api/v1/applications/${a.id}`;
  expectStatus(await call(t, 'researcher', 'POST', `${base}/submit`), 200);
  expectStatus(await call(t, r1.headers, 'POST', `${base}/start-review`), 200);
  expectStatus(
    await call(t, r1.headers, 'POST', `${base}/reviews`, { decision: 'approve', comment: 'ok' }),
    201,
  );
  // Sending back needs a comment saying why.
  expectError(
    await call(t, r2.headers, 'POST', `${base}/reviews`, { decision: 'changes_requested' }),
    400,
    'HYG_INVALID_ARGUMENT',
    'comment-required',
  );
  const back = expectStatus<OutcomeBody>(
    await call(t, r2.headers, 'POST', `${base}/reviews`, {
      decision: 'changes_requested',
      comment: 'Narrow the period to 2020–2023',
    }),
    201,
  );
  assert.equal(back.application.status, 'changes_requested');
  assert.equal(back.permit, null);

  const edited = expectStatus<ApplicationBody>(
    await call(t, 'researcher', 'PATCH', base, {
      period: { from: '2020-01-01', to: '2023-12-31' },
    }),
    200,
  );
  assert.equal(edited.status, 'changes_requested');
  const resubmitted = expectStatus<ApplicationBody>(
    await call(t, 'researcher', 'POST', `${base}/submit`, { reason: 'period narrowed' }),
    200,
  );
  assert.equal(resubmitted.version, 2);
  assert.equal(resubmitted.status, 'submitted');
  expectStatus(await call(t, r2.headers, 'POST', `${base}/start-review`), 200);
  // r1's approval was on version 1: on version 2 it must approve again, and may.
  expectStatus(await call(t, r1.headers, 'POST', `${base}/reviews`, { decision: 'approve' }), 201);
  const done = expectStatus<OutcomeBody>(
    await call(t, r2.headers, 'POST', `${base}/reviews`, { decision: 'approve' }),
    201,
  );
  assert.equal(done.application.status, 'approved');
  assert.equal(done.permit?.applicationVersion, 2);
  assert.deepEqual(done.permit?.scope.period, { from: '2020-01-01', to: '2023-12-31' });
  const versions = expectStatus<{ version: number }[]>(
    await call(t, 'researcher', 'GET', `${base}/versions`),
    200,
  );
  assert.deepEqual(
    versions.map((v) => v.version),
    [1, 2],
  );
  const v1Reviews = expectStatus<unknown[]>(
    await call(t, 'researcher', 'GET', `${base}/reviews?version=1`),
    200,
  );
  assert.equal(v1Reviews.length, 2);
});

test('a rejection needs a comment and ends the application without a permit', async () => {
  const a = await draft();
  const base = `/api/v1/applications/${a.id}`;
  expectStatus(await call(t, 'researcher', 'POST', `${base}/submit`), 200);
  expectStatus(await call(t, 'admin', 'POST', `${base}/start-review`), 200);
  expectError(
    await call(t, r1.headers, 'POST', `${base}/reviews`, { decision: 'reject', comment: '  ' }),
    400,
    'HYG_INVALID_ARGUMENT',
    'comment-required',
  );
  const rejected = expectStatus<OutcomeBody>(
    await call(t, r1.headers, 'POST', `${base}/reviews`, {
      decision: 'reject',
      comment: 'No legal basis for this linkage',
    }),
    201,
  );
  assert.equal(rejected.application.status, 'rejected');
  assert.equal(rejected.permit, null);
  expectError(await call(t, 'researcher', 'POST', `${base}/submit`), 409, 'HYG_INVALID_TRANSITION');
  expectError(
    await call(t, r2.headers, 'POST', `${base}/reviews`, { decision: 'approve' }),
    409,
    'HYG_INVALID_TRANSITION',
  );
});

test('an application is read by its team, reviewers, administrators and auditors only', async () => {
  const a = await draft();
  const base = `/api/v1/applications/${a.id}`;
  for (const who of ['researcher', 'reviewer', 'admin', 'auditor'] as const) {
    expectStatus(await call(t, who, 'GET', base), 200);
  }
  expectStatus(await call(t, r1.headers, 'GET', `${base}/events`), 200);
  for (const path of ['', '/events', '/reviews', '/versions']) {
    expectError(
      await call(t, outsider.headers, 'GET', `${base}${path}`),
      403,
      'HYG_FORBIDDEN',
      'not-a-project-member',
    );
  }
  // Outsiders cannot edit, submit or draft for the project either (the store's refusal).
  expectError(
    await call(t, outsider.headers, 'PATCH', base, { durationMonths: 3 }),
    403,
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
  expectError(
    await call(t, outsider.headers, 'POST', `/api/v1/projects/${projectId}/applications`, CONTENT),
    403,
    'HYG_FORBIDDEN',
  );
  expectError(await call(t, 'analyst', 'GET', base), 403, 'HYG_FORBIDDEN', 'route-access');
});

test('invalid content is refused naming the field', async () => {
  const res = await call(t, 'researcher', 'POST', `/api/v1/projects/${projectId}/applications`, {
    ...CONTENT,
    accessMode: 'workspace',
    justification: '',
  });
  expectError(res, 400, 'HYG_INVALID_ARGUMENT');
  assert.match(res.json().message, /justification/);
  expectError(
    await call(t, 'researcher', 'POST', `/api/v1/projects/${projectId}/applications`, {
      ...CONTENT,
      durationMonths: 0,
    }),
    400,
    'HYG_INVALID_ARGUMENT',
  );
});
