/**
 * Permits over HTTP: who sees which permits; suspend, reinstate, revoke with a reason, by the
 * committee and administrators; the status history; expiry.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  approvedApplication,
  call,
  expectError,
  expectStatus,
  extraAccount,
} from './governance-fixtures.js';
import type { Approved, ExtraAccount } from './governance-fixtures.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

interface PermitBody {
  id: string;
  projectId: string;
  status: string;
  expiresAt: string;
}

let t: TestApp;
let approved: Approved;
let outsider: ExtraAccount;
before(async () => {
  t = await testApp();
  approved = await approvedApplication(t);
  outsider = await extraAccount(t, 'outsider', ['researcher']);
});
after(async () => {
  await t.close();
});

test('researchers see the permits of their projects; reviewers, administrators, auditors all', async () => {
  const mine = expectStatus<PermitBody[]>(
    await call(t, 'researcher', 'GET', '/api/v1/permits'),
    200,
  );
  assert.deepEqual(
    mine.map((p) => p.id),
    [approved.permitId],
  );
  assert.deepEqual(
    expectStatus(await call(t, outsider.headers, 'GET', '/api/v1/permits'), 200),
    [],
  );
  for (const role of ['reviewer', 'admin', 'auditor'] as const) {
    const all = expectStatus<PermitBody[]>(await call(t, role, 'GET', '/api/v1/permits'), 200);
    assert.deepEqual(
      all.map((p) => p.id),
      [approved.permitId],
      role,
    );
  }
  assert.deepEqual(
    expectStatus(await call(t, 'admin', 'GET', '/api/v1/permits?status=revoked'), 200),
    [],
  );
  expectError(
    await call(t, 'admin', 'GET', '/api/v1/permits?status=lost'),
    400,
    'HYG_INVALID_ARGUMENT',
  );
  expectError(
    await call(t, outsider.headers, 'GET', `/api/v1/permits/${approved.permitId}`),
    403,
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
  expectError(
    await call(t, outsider.headers, 'GET', `/api/v1/permits/${approved.permitId}/history`),
    403,
    'HYG_FORBIDDEN',
  );
  const denied = await t.store.audit.list({ action: 'permit.read', decision: 'deny' });
  assert.equal(denied.at(-1)?.permitId, approved.permitId);
});

test('suspend, reinstate and revoke need a reason and follow the permit lifecycle', async () => {
  const base = `/api/v1/permits/${approved.permitId}`;
  expectError(
    await call(t, 'reviewer', 'POST', `${base}/suspend`, {}),
    400,
    'HYG_INVALID_ARGUMENT',
  );
  expectError(
    await call(t, 'reviewer', 'POST', `${base}/suspend`, { reason: '   ' }),
    400,
    'HYG_INVALID_ARGUMENT',
  );
  // The team cannot change its own permit's status.
  expectError(
    await call(t, 'researcher', 'POST', `${base}/suspend`, { reason: 'no' }),
    403,
    'HYG_FORBIDDEN',
    'route-access',
  );
  const suspended = expectStatus<PermitBody>(
    await call(t, 'reviewer', 'POST', `${base}/suspend`, { reason: 'data breach inquiry' }),
    200,
  );
  assert.equal(suspended.status, 'suspended');
  expectError(
    await call(t, 'reviewer', 'POST', `${base}/suspend`, { reason: 'again' }),
    409,
    'HYG_INVALID_TRANSITION',
  );
  const reinstated = expectStatus<PermitBody>(
    await call(t, 'admin', 'POST', `${base}/reinstate`, { reason: 'inquiry closed' }),
    200,
  );
  assert.equal(reinstated.status, 'active');
  const revoked = expectStatus<PermitBody>(
    await call(t, 'admin', 'POST', `${base}/revoke`, { reason: 'project ended early' }),
    200,
  );
  assert.equal(revoked.status, 'revoked');
  expectError(
    await call(t, 'reviewer', 'POST', `${base}/reinstate`, { reason: 'undo' }),
    409,
    'HYG_INVALID_TRANSITION',
  );

  const history = expectStatus<{ fromStatus: string | null; toStatus: string; reason: string }[]>(
    await call(t, 'researcher', 'GET', `${base}/history`),
    200,
  );
  assert.deepEqual(
    history.map((h) => [h.fromStatus, h.toStatus, h.reason]),
    [
      [null, 'active', 'issued on approval of application version 1'],
      ['active', 'suspended', 'data breach inquiry'],
      ['suspended', 'active', 'inquiry closed'],
      ['active', 'revoked', 'project ended early'],
    ],
  );
  expectError(
    await call(
      t,
      'reviewer',
      'POST',
      '/api/v1/permits/00000000-0000-4000-8000-000000000000/revoke',
      {
        reason: 'x',
      },
    ),
    404,
    'HYG_NOT_FOUND',
  );
});

test('a permit past its expiry reads as expired and can no longer be suspended', async () => {
  const second = await approvedApplication(t, 'second');
  const permit = expectStatus<PermitBody>(
    await call(t, 'researcher', 'GET', `/api/v1/permits/${second.permitId}`),
    200,
  );
  t.clock.t = Date.parse(permit.expiresAt);
  const expired = expectStatus<PermitBody>(
    await call(t, 'researcher', 'GET', `/api/v1/permits/${second.permitId}`),
    200,
  );
  assert.equal(expired.status, 'expired');
  expectError(
    await call(t, 'reviewer', 'POST', `/api/v1/permits/${second.permitId}/suspend`, {
      reason: 'too late',
    }),
    409,
    'HYG_INVALID_TRANSITION',
  );
});
