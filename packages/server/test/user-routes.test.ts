/**
 * Account administration over HTTP: accounts and roles, disable/enable, unlock, password reset,
 * another user's tokens, OpenID Connect identities — administrators only, never a hash.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, call, expectError, expectStatus } from './governance-fixtures.js';
import { TEST_PASSWORD, testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

interface UserBody {
  id: string;
  login: string;
  displayName: string;
  roles: string[];
  disabledAt: string | null;
  lockedUntil: string | null;
  failedAttempts: number;
  hasPassword: boolean;
}

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => {
  await t.close();
});

async function loginStatus(login: string, password = TEST_PASSWORD): Promise<number> {
  return (await call(t, null, 'POST', '/api/v1/auth/login', { login, password })).statusCode;
}

test('administrators list and read accounts; no password or token hash is ever sent', async () => {
  const res = await call(t, 'admin', 'GET', '/api/v1/users');
  const users = expectStatus<UserBody[]>(res, 200);
  assert.equal(users.length, 7);
  assert.deepEqual(
    users.map((u) => u.login),
    ['admin', 'analyst', 'auditor', 'citizen', 'output-checker', 'researcher', 'reviewer'],
  );
  assert.deepEqual(Object.keys(users[0] ?? {}).sort(), [
    'createdAt',
    'disabledAt',
    'displayName',
    'failedAttempts',
    'hasPassword',
    'id',
    'lockedUntil',
    'login',
    'roles',
  ]);
  assert.ok(!res.body.includes('scrypt$'));
  const one = expectStatus<UserBody>(
    await call(t, 'admin', 'GET', `/api/v1/users/${t.users.reviewer.id}`),
    200,
  );
  assert.equal(one.login, 'reviewer');
  expectError(
    await call(t, 'admin', 'GET', '/api/v1/users/00000000-0000-4000-8000-000000000000'),
    404,
    'HYG_NOT_FOUND',
  );
  expectError(
    await call(t, 'admin', 'GET', '/api/v1/users/not-a-uuid'),
    400,
    'HYG_INVALID_ARGUMENT',
  );
  expectError(
    await call(t, 'researcher', 'GET', '/api/v1/users'),
    403,
    'HYG_FORBIDDEN',
    'route-access',
  );
});

test('an administrator creates an account, changes its roles, disables and enables it', async () => {
  const created = expectStatus<UserBody>(
    await call(t, 'admin', 'POST', '/api/v1/users', {
      login: 'Dr.Durand',
      displayName: 'Dr Durand',
      roles: ['researcher'],
      password: TEST_PASSWORD,
    }),
    201,
  );
  assert.equal(created.login, 'dr.durand');
  assert.equal(created.hasPassword, true);
  expectError(
    await call(t, 'admin', 'POST', '/api/v1/users', {
      login: 'dr.durand',
      displayName: 'Another',
      roles: ['researcher'],
    }),
    409,
    'HYG_CONFLICT',
    'login-taken',
  );
  expectError(
    await call(t, 'admin', 'POST', '/api/v1/users', {
      login: 'x',
      displayName: 'Too short a login',
      roles: ['researcher'],
    }),
    400,
    'HYG_INVALID_ARGUMENT',
  );
  expectError(
    await call(t, 'admin', 'POST', '/api/v1/users', {
      login: 'weak.password',
      displayName: 'Weak',
      roles: ['researcher'],
      password: 'short',
    }),
    400,
    'HYG_INVALID_ARGUMENT',
  );

  const session = expectStatus<{ token: string }>(
    await call(t, null, 'POST', '/api/v1/auth/login', {
      login: 'dr.durand',
      password: TEST_PASSWORD,
    }),
    200,
  );
  const roles = expectStatus<UserBody>(
    await call(t, 'admin', 'PUT', `/api/v1/users/${created.id}/roles`, {
      roles: ['researcher', 'reviewer'],
    }),
    200,
  );
  assert.deepEqual(roles.roles, ['researcher', 'reviewer']);
  // Roles are read at each request: the open session has the new ones at once.
  const me = expectStatus(await call(t, bearer(session.token), 'GET', '/api/v1/me'), 200);
  assert.deepEqual(me.roles, ['researcher', 'reviewer']);

  const disabled = expectStatus<UserBody>(
    await call(t, 'admin', 'POST', `/api/v1/users/${created.id}/disable`, {}),
    200,
  );
  assert.ok(disabled.disabledAt);
  expectError(
    await call(t, bearer(session.token), 'GET', '/api/v1/me'),
    401,
    'HYG_UNAUTHENTICATED',
    'account-disabled',
  );
  assert.equal(await loginStatus('dr.durand'), 401);
  expectError(
    await call(t, 'admin', 'POST', `/api/v1/users/${created.id}/disable`, {}),
    409,
    'HYG_CONFLICT',
  );
  expectStatus(await call(t, 'admin', 'POST', `/api/v1/users/${created.id}/enable`, {}), 200);
  expectStatus(await call(t, bearer(session.token), 'GET', '/api/v1/me'), 200);
});

test('the last administrator keeps the admin role and cannot be disabled', async () => {
  expectError(
    await call(t, 'admin', 'PUT', `/api/v1/users/${t.users.admin.id}/roles`, {
      roles: ['researcher'],
    }),
    409,
    'HYG_CONFLICT',
    'last-admin',
  );
  expectError(
    await call(t, 'admin', 'POST', `/api/v1/users/${t.users.admin.id}/disable`, {}),
    409,
    'HYG_CONFLICT',
    'last-admin',
  );
});

test('an administrator unlocks a locked account and resets a password', async () => {
  const attempts = t.store.settings.maxFailedLogins;
  for (let i = 0; i < attempts; i++) await loginStatus('auditor', 'not the password at all');
  assert.equal(await loginStatus('auditor'), 423);
  const locked = expectStatus<UserBody>(
    await call(t, 'admin', 'GET', `/api/v1/users/${t.users.auditor.id}`),
    200,
  );
  assert.ok(locked.lockedUntil);
  const unlocked = expectStatus<UserBody>(
    await call(t, 'admin', 'POST', `/api/v1/users/${t.users.auditor.id}/unlock`, {}),
    200,
  );
  assert.equal(unlocked.lockedUntil, null);
  assert.equal(unlocked.failedAttempts, 0);
  assert.equal(await loginStatus('auditor'), 200);

  expectStatus(
    await call(t, 'admin', 'POST', `/api/v1/users/${t.users.analyst.id}/password`, {
      password: 'a reset passphrase, long',
    }),
    204,
  );
  assert.equal(await loginStatus('analyst'), 401);
  assert.equal(await loginStatus('analyst', 'a reset passphrase, long'), 200);
});

test("an administrator lists and revokes another account's tokens", async () => {
  const path = `/api/v1/users/${t.users.output_checker.id}/tokens`;
  const tokens = expectStatus<{ id: string; label: string }[]>(
    await call(t, 'admin', 'GET', path),
    200,
  );
  assert.equal(tokens.length, 1);
  const [only] = tokens;
  assert.ok(only);
  // The path names the account: another account's token id does not match it.
  const adminToken = (await t.store.users.listTokens(t.users.admin.id))[0];
  assert.ok(adminToken);
  expectError(await call(t, 'admin', 'DELETE', `${path}/${adminToken.id}`), 404, 'HYG_NOT_FOUND');
  expectStatus(await call(t, 'admin', 'DELETE', `${path}/${only.id}`), 200);
  expectError(await call(t, 'output_checker', 'GET', '/api/v1/me'), 401, 'HYG_UNAUTHENTICATED');
});

test('OpenID Connect identities are linked, listed and unlinked by an administrator', async () => {
  const base = `/api/v1/users/${t.users.researcher.id}/oidc-identities`;
  const identity = { issuer: 'https://id.example.test', subject: 'sub-42' };
  const linked = expectStatus<{ issuer: string; userId: string }>(
    await call(t, 'admin', 'POST', base, identity),
    201,
  );
  assert.equal(linked.userId, t.users.researcher.id);
  expectError(
    await call(t, 'admin', 'POST', base, identity),
    409,
    'HYG_CONFLICT',
    'already-linked',
  );
  const list = expectStatus<unknown[]>(await call(t, 'admin', 'GET', base), 200);
  assert.equal(list.length, 1);
  const query = `issuer=${encodeURIComponent(identity.issuer)}&subject=${identity.subject}`;
  // Another account's path does not unlink it.
  expectError(
    await call(
      t,
      'admin',
      'DELETE',
      `/api/v1/users/${t.users.reviewer.id}/oidc-identities?${query}`,
    ),
    404,
    'HYG_NOT_FOUND',
  );
  expectStatus(await call(t, 'admin', 'DELETE', `${base}?${query}`), 204);
  assert.deepEqual(expectStatus(await call(t, 'admin', 'GET', base), 200), []);
  expectError(await call(t, 'admin', 'DELETE', base), 400, 'HYG_INVALID_ARGUMENT');
});
