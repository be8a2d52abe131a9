/**
 * The audit trail over HTTP: the events of a workflow driven through the API, a refusal recorded
 * as `deny`, filters, paging, and no credential in any event.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { approvedApplication, call, expectError, expectStatus } from './governance-fixtures.js';
import type { Approved } from './governance-fixtures.js';
import { TEST_PASSWORD, testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

interface AuditEventBody {
  id: number;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  permitId: string | null;
  decision: string;
  reason: string | null;
}
interface AuditPage {
  events: AuditEventBody[];
  nextAfterId: number | null;
}

let t: TestApp;
let approved: Approved;
let sessionToken: string;
before(async () => {
  t = await testApp();
  const login = await call(t, null, 'POST', '/api/v1/auth/login', {
    login: 'researcher',
    password: TEST_PASSWORD,
  });
  sessionToken = expectStatus<{ token: string }>(login, 200).token;
  approved = await approvedApplication(t);
  // Refused by the route's declared access: a researcher may not list accounts.
  expectError(await call(t, 'researcher', 'GET', '/api/v1/users'), 403, 'HYG_FORBIDDEN');
  // A status change by the committee.
  expectStatus(
    await call(t, 'reviewer', 'POST', `/api/v1/permits/${approved.permitId}/suspend`, {
      reason: 'audit test',
    }),
    200,
  );
});
after(async () => {
  await t.close();
});

async function page(query: string, who: 'auditor' | 'admin' = 'auditor'): Promise<AuditPage> {
  return expectStatus<AuditPage>(await call(t, who, 'GET', `/api/v1/audit${query}`), 200);
}

test('the trail holds the events of the workflow driven over HTTP, attributed to their actors', async () => {
  const { events } = await page('?limit=1000');
  const actions = events.filter((e) => e.decision === 'allow').map((e) => e.action);
  for (const action of [
    'auth.password',
    'token.create',
    'project.create',
    'application.create',
    'application.submit',
    'application.start_review',
    'application.review',
    'permit.suspend',
  ]) {
    assert.ok(actions.includes(action), `${action} is in the trail`);
  }
  const submit = events.find((e) => e.action === 'application.submit');
  assert.equal(submit?.actorId, t.users.researcher.id);
  assert.equal(submit?.actorRole, 'researcher');
  assert.equal(submit?.targetId, approved.applicationId);
  const [r1, r2] = approved.committee;
  const reviews = events.filter((e) => e.action === 'application.review');
  assert.deepEqual(
    reviews.map((e) => e.actorId),
    [r1.user.id, r2.user.id],
  );
  assert.equal(reviews[1]?.permitId, approved.permitId);
  const suspend = events.find((e) => e.action === 'permit.suspend');
  assert.equal(suspend?.permitId, approved.permitId);
  assert.equal(suspend?.actorId, t.users.reviewer.id);
});

test('a refused action is recorded as a deny, with its reason', async () => {
  const { events } = await page('?decision=deny');
  assert.ok(events.length >= 1);
  assert.ok(events.every((e) => e.decision === 'deny'));
  const refused = events.find(
    (e) => e.action === 'http.request' && e.targetId === 'GET /api/v1/users',
  );
  assert.ok(refused, 'the refused call is in the trail');
  assert.equal(refused.actorId, t.users.researcher.id);
  assert.equal(refused.reason, 'HYG_FORBIDDEN');
});

test('filters narrow and pages follow one another without gaps', async () => {
  const prefixed = await page('?actionPrefix=application.');
  assert.ok(prefixed.events.length >= 5);
  assert.ok(prefixed.events.every((e) => e.action.startsWith('application.')));
  const byPermit = await page(`?permitId=${approved.permitId}`);
  assert.ok(byPermit.events.every((e) => e.permitId === approved.permitId));
  assert.ok(byPermit.events.length >= 2);
  const at = t.clock.now().toISOString();
  assert.equal((await page(`?to=${encodeURIComponent(at)}`)).events.length, 0);
  assert.ok((await page(`?from=${encodeURIComponent(at)}`)).events.length > 0);

  const all = (await page('?limit=1000')).events;
  const seen: number[] = [];
  let after: number | null = null;
  do {
    const p: AuditPage = await page(
      `?limit=3${after === null ? '' : `&afterId=${after}`}`,
      'admin',
    );
    seen.push(...p.events.map((e) => e.id));
    assert.ok(p.events.length <= 3);
    after = p.nextAfterId;
  } while (after !== null);
  // The admin's own reads add no event, so the pages cover the trail as it was.
  assert.deepEqual(
    seen.slice(0, all.length),
    all.map((e) => e.id),
  );
  expectError(
    await call(t, 'auditor', 'GET', '/api/v1/audit?limit=0'),
    400,
    'HYG_INVALID_ARGUMENT',
  );
  expectError(
    await call(t, 'auditor', 'GET', '/api/v1/audit?from=yesterday'),
    400,
    'HYG_INVALID_ARGUMENT',
  );
});

test('only auditors and administrators read the trail; it holds no credential', async () => {
  for (const role of ['researcher', 'reviewer', 'analyst'] as const) {
    expectError(await call(t, role, 'GET', '/api/v1/audit'), 403, 'HYG_FORBIDDEN', 'route-access');
  }
  const res = await call(t, 'auditor', 'GET', '/api/v1/audit?limit=1000');
  assert.equal(res.statusCode, 200);
  for (const secret of [TEST_PASSWORD, sessionToken, t.tokens.researcher, 'scrypt$']) {
    assert.ok(!res.body.includes(secret), `the trail shows ${secret.slice(0, 12)}`);
  }
});
