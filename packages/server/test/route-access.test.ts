/**
 * Deny by default, checked exhaustively: every registered route is called by every role and by an
 * anonymous caller, and the answer is compared with the hand-written access table
 * (`access-table.ts`): a route whose access changes, or a new route nobody classified, fails.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ROLES } from '@hygie/core';
import type { Role } from '@hygie/core';
import { ACCESS_TABLE } from './access-table.js';
import type { ExpectedAccess } from './access-table.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

function mayCall(expected: ExpectedAccess, role: Role | null): boolean {
  if (expected === 'public') return true;
  if (role === null) return false;
  if (expected === 'authenticated') return true;
  return expected.includes(role);
}

const FAKE_ID = '00000000-0000-4000-8000-000000000000';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => {
  await t.close();
});

test('every registered route is in the access table, and every entry is a route', () => {
  const registered = new Set(t.routes.map((r) => `${r.method} ${r.url}`));
  const unclassified = [...registered].filter((r) => !(r in ACCESS_TABLE));
  assert.deepEqual(unclassified, [], 'routes missing from the access table');
  const stale = Object.keys(ACCESS_TABLE).filter((r) => !registered.has(r));
  assert.deepEqual(stale, [], 'access table entries that are not routes');
});

test('every route × role (and anonymous) gets the answer the access table says', async () => {
  let calls = 0;
  for (const route of t.routes) {
    const key = `${route.method} ${route.url}`;
    const expected = ACCESS_TABLE[key];
    assert.ok(expected !== undefined, key);
    const url = route.url.replace(/:[A-Za-z]+/g, FAKE_ID).replace('*', 'x');
    for (const role of [null, ...ROLES] as const) {
      const res = await t.app.inject({
        method: route.method as 'GET',
        url,
        headers: role === null ? {} : t.as(role),
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
      });
      calls++;
      const body = String(res.headers['content-type'] ?? '').startsWith('application/json')
        ? (res.json() as { details?: { reason?: string } })
        : {};
      const refusedByAccess =
        (res.statusCode === 401 || res.statusCode === 403) &&
        body.details?.reason === 'route-access';
      const who = role ?? 'anonymous';
      if (mayCall(expected, role)) {
        assert.ok(!refusedByAccess, `${key} must admit ${who}, got ${res.statusCode}`);
      } else {
        assert.ok(
          refusedByAccess,
          `${key} must refuse ${who}, got ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
        assert.equal(res.statusCode, role === null ? 401 : 403, `${key} for ${who}`);
      }
    }
  }
  assert.equal(calls, t.routes.length * (ROLES.length + 1));
});

test('refusals by the access check are in the audit trail', async () => {
  const before = await t.store.audit.count();
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
  assert.equal(res.statusCode, 401);
  const events = await t.store.audit.list({});
  assert.equal(await t.store.audit.count(), before + 1);
  const last = events.at(-1);
  assert.equal(last?.action, 'http.request');
  assert.equal(last?.decision, 'deny');
  assert.equal(last?.reason, 'HYG_UNAUTHENTICATED');
  assert.equal(last?.targetId, 'GET /api/v1/me');
});
