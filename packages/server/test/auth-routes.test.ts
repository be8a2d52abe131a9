/**
 * Sessions and the caller's own account over HTTP: password login and lockout, logout, session
 * expiry, API tokens shown once, password change, OpenID Connect login against a JWKS file the
 * test generates.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWTPayload } from 'jose';
import { HygieError } from '@hygie/core';
import { buildApp } from '../src/index.js';
import { bearer, call, expectError, expectStatus, extraAccount } from './governance-fixtures.js';
import { TEST_PASSWORD, testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

const MINUTE = 60_000;

interface Session {
  token: string;
  expiresAt: string;
  user: { id: string; displayName: string; roles: string[] };
}

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => {
  await t.close();
});

async function login(app: TestApp, who: string, password = TEST_PASSWORD): Promise<Session> {
  return expectStatus<Session>(
    await call(app, null, 'POST', '/api/v1/auth/login', { login: who, password }),
    200,
  );
}

test('login opens a session that reaches /me; the answer holds no credential but the token', async () => {
  const res = await call(t, null, 'POST', '/api/v1/auth/login', {
    login: 'Researcher', // logins are case-insensitive
    password: TEST_PASSWORD,
  });
  const s = expectStatus<Session>(res, 200);
  assert.match(s.token, /^hyg_/);
  assert.equal(
    s.expiresAt,
    new Date(t.clock.t + t.deps.config.sessionMinutes * MINUTE).toISOString(),
  );
  assert.deepEqual(s.user, {
    id: t.users.researcher.id,
    displayName: 'Test researcher',
    roles: ['researcher'],
  });
  assert.deepEqual(Object.keys(s).sort(), ['expiresAt', 'token', 'user']);
  assert.ok(!res.body.includes('scrypt$') && !res.body.includes(TEST_PASSWORD));
  const me = expectStatus(await call(t, bearer(s.token), 'GET', '/api/v1/me'), 200);
  assert.deepEqual(me, { userId: t.users.researcher.id, roles: ['researcher'], via: 'session' });
});

test('an unknown login and a wrong password get the same answer', async () => {
  const unknown = await call(t, null, 'POST', '/api/v1/auth/login', {
    login: 'nobody-here',
    password: 'wrong password, long enough',
  });
  const wrong = await call(t, null, 'POST', '/api/v1/auth/login', {
    login: 'reviewer',
    password: 'wrong password, long enough',
  });
  expectError(unknown, 401, 'HYG_UNAUTHENTICATED', 'bad-credentials');
  assert.equal(wrong.statusCode, unknown.statusCode);
  assert.equal(wrong.body, unknown.body);
  expectError(await call(t, null, 'POST', '/api/v1/auth/login', {}), 400, 'HYG_INVALID_ARGUMENT');
});

test('the account locks after lockoutAttempts failures (423), even for the right password, then unlocks with time', async () => {
  const { lockoutAttempts, lockoutMinutes } = t.deps.config;
  // The test app's store keeps its defaults; they must be the configuration's for this test.
  assert.equal(t.store.settings.maxFailedLogins, lockoutAttempts);
  assert.equal(t.store.settings.lockoutMs, lockoutMinutes * MINUTE);
  await extraAccount(t, 'locked-out', ['analyst'], TEST_PASSWORD);
  const attempt = (password: string) =>
    call(t, null, 'POST', '/api/v1/auth/login', { login: 'locked-out', password });
  for (let i = 1; i < lockoutAttempts; i++) {
    expectError(await attempt('not the password at all'), 401, 'HYG_UNAUTHENTICATED');
  }
  expectError(await attempt('not the password at all'), 423, 'HYG_ACCOUNT_LOCKED');
  expectError(await attempt(TEST_PASSWORD), 423, 'HYG_ACCOUNT_LOCKED', 'account-locked');
  t.clock.advance(lockoutMinutes * MINUTE + 1000);
  await login(t, 'locked-out');
});

test('logout ends the session: the next call with it is refused', async () => {
  const s = await login(t, 'auditor');
  const res = await call(t, bearer(s.token), 'POST', '/api/v1/auth/logout');
  expectStatus(res, 204);
  assert.equal(res.body, '');
  expectError(
    await call(t, bearer(s.token), 'GET', '/api/v1/me'),
    401,
    'HYG_UNAUTHENTICATED',
    'token-revoked',
  );
  // An API token is not a session: logout does not revoke it.
  expectError(
    await call(t, 'auditor', 'POST', '/api/v1/auth/logout'),
    400,
    'HYG_INVALID_ARGUMENT',
    'not-a-session',
  );
  expectStatus(await call(t, 'auditor', 'GET', '/api/v1/me'), 200);
});

test('a session expires after sessionMinutes', async () => {
  const s = await login(t, 'output-checker');
  t.clock.advance(t.deps.config.sessionMinutes * MINUTE - 1000);
  expectStatus(await call(t, bearer(s.token), 'GET', '/api/v1/me'), 200);
  t.clock.advance(2000);
  expectError(
    await call(t, bearer(s.token), 'GET', '/api/v1/me'),
    401,
    'HYG_UNAUTHENTICATED',
    'token-expired',
  );
});

test('an API token is shown once, listed without its secret, and stops working when revoked', async () => {
  const created = expectStatus<{ id: string; token: string; kind: string; label: string }>(
    await call(t, 'analyst', 'POST', '/api/v1/me/tokens', { label: 'nightly script' }),
    201,
  );
  assert.match(created.token, /^hyg_/);
  assert.equal(created.kind, 'api');
  const me = expectStatus(await call(t, bearer(created.token), 'GET', '/api/v1/me'), 200);
  assert.equal(me.via, 'api-token');

  const listRes = await call(t, 'analyst', 'GET', '/api/v1/me/tokens');
  const list = expectStatus<{ id: string; label: string }[]>(listRes, 200);
  assert.ok(list.some((x) => x.id === created.id && x.label === 'nightly script'));
  assert.ok(!listRes.body.includes(created.token), 'the list never shows a token');
  assert.ok(!listRes.body.includes(created.token.slice(4, 20)));
  assert.ok(!/hash/i.test(listRes.body));
  for (const x of list) assert.ok(!('token' in x));

  // Another user's token is out of reach under /me, even for an administrator.
  expectError(
    await call(t, 'admin', 'DELETE', `/api/v1/me/tokens/${created.id}`),
    404,
    'HYG_NOT_FOUND',
  );
  const revoked = expectStatus<{ revokedAt: string | null }>(
    await call(t, 'analyst', 'DELETE', `/api/v1/me/tokens/${created.id}`),
    200,
  );
  assert.equal(revoked.revokedAt, t.clock.now().toISOString());
  expectError(
    await call(t, bearer(created.token), 'GET', '/api/v1/me'),
    401,
    'HYG_UNAUTHENTICATED',
  );
  expectError(
    await call(t, 'analyst', 'DELETE', `/api/v1/me/tokens/${created.id}`),
    409,
    'HYG_CONFLICT',
    'already-revoked',
  );

  // An expiry in the past is refused; a future one is kept.
  expectError(
    await call(t, 'analyst', 'POST', '/api/v1/me/tokens', {
      label: 'late',
      expiresAt: new Date(t.clock.t - MINUTE).toISOString(),
    }),
    400,
    'HYG_INVALID_ARGUMENT',
  );
  const expiring = expectStatus<{ expiresAt: string }>(
    await call(t, 'analyst', 'POST', '/api/v1/me/tokens', {
      label: 'one day',
      expiresAt: new Date(t.clock.t + 24 * 60 * MINUTE).toISOString(),
    }),
    201,
  );
  assert.equal(expiring.expiresAt, new Date(t.clock.t + 24 * 60 * MINUTE).toISOString());
});

test('a password change needs the current password and ends the other sessions', async () => {
  await extraAccount(t, 'changing', ['researcher'], TEST_PASSWORD);
  const current = await login(t, 'changing');
  const other = await login(t, 'changing');
  const headers = bearer(current.token);
  const newPassword = 'a brand new passphrase';
  expectError(
    await call(t, headers, 'POST', '/api/v1/me/password', {
      currentPassword: 'not my password at all',
      newPassword,
    }),
    403,
    'HYG_FORBIDDEN',
    'current-password-incorrect',
  );
  expectError(
    await call(t, headers, 'POST', '/api/v1/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    }),
    400,
    'HYG_INVALID_ARGUMENT',
  );
  expectStatus(
    await call(t, headers, 'POST', '/api/v1/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword,
    }),
    204,
  );
  expectError(
    await call(t, null, 'POST', '/api/v1/auth/login', {
      login: 'changing',
      password: TEST_PASSWORD,
    }),
    401,
    'HYG_UNAUTHENTICATED',
  );
  await login(t, 'changing', newPassword);
  expectStatus(await call(t, headers, 'GET', '/api/v1/me'), 200);
  expectError(await call(t, bearer(other.token), 'GET', '/api/v1/me'), 401, 'HYG_UNAUTHENTICATED');
});

test('OpenID Connect is unavailable unless configured', async () => {
  expectError(
    await call(t, null, 'POST', '/api/v1/auth/oidc', { idToken: 'a.b.c' }),
    503,
    'HYG_UNAVAILABLE',
    'oidc-not-configured',
  );
});

test('OpenID Connect: a linked identity gets a session; wrong issuer, audience, key or subject are refused', async () => {
  const ISSUER = 'https://keycloak.hopital.test/realms/hygie';
  const AUDIENCE = 'hygie-console';
  const dir = mkdtempSync(join(tmpdir(), 'hygie-oidc-'));
  const jwksFile = join(dir, 'jwks.json');
  const issuerKeys = await generateKeyPair('ES256', { extractable: true });
  const impostorKeys = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(issuerKeys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  const o = await testApp({
    config: { oidcIssuer: ISSUER, oidcAudience: AUDIENCE, oidcJwksFile: jwksFile },
  });
  try {
    const nowSec = Math.floor(o.clock.t / 1000);
    const idToken = (claims: JWTPayload = {}, key = issuerKeys.privateKey) =>
      new SignJWT({ sub: 'f:1234-abcd', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(typeof claims.iss === 'string' ? claims.iss : ISSUER)
        .setAudience(claims.aud ?? AUDIENCE)
        .setIssuedAt(nowSec - 60)
        .setExpirationTime(nowSec + 300)
        .sign(key);
    const exchange = async (token: string) =>
      call(o, null, 'POST', '/api/v1/auth/oidc', { idToken: token });

    // Not linked yet: refused.
    expectError(await exchange(await idToken()), 401, 'HYG_UNAUTHENTICATED', 'identity-not-linked');
    expectStatus(
      await call(o, 'admin', 'POST', `/api/v1/users/${o.users.researcher.id}/oidc-identities`, {
        issuer: ISSUER,
        subject: 'f:1234-abcd',
      }),
      201,
    );
    const s = expectStatus<Session>(await exchange(await idToken()), 200);
    assert.equal(s.user.id, o.users.researcher.id);
    const me = expectStatus(await call(o, bearer(s.token), 'GET', '/api/v1/me'), 200);
    assert.equal(me.via, 'session');

    expectError(
      await exchange(await idToken({ iss: 'https://evil.test' })),
      401,
      'HYG_UNAUTHENTICATED',
      'claim-iss',
    );
    expectError(
      await exchange(await idToken({ aud: 'another-client' })),
      401,
      'HYG_UNAUTHENTICATED',
      'claim-aud',
    );
    expectError(
      await exchange(await idToken({}, impostorKeys.privateKey)),
      401,
      'HYG_UNAUTHENTICATED',
      'bad-signature',
    );
    expectError(await exchange('not.a.jwt'), 401, 'HYG_UNAUTHENTICATED', 'malformed-token');
    assert.equal(await o.store.audit.count({ action: 'auth.oidc', decision: 'allow' }), 1);
    assert.equal(await o.store.audit.count({ action: 'auth.oidc', decision: 'deny' }), 5);
  } finally {
    await o.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a configured JWKS file that cannot be read stops the server at start', async () => {
  await assert.rejects(
    buildApp({
      config: {
        ...t.deps.config,
        oidcIssuer: 'https://id.example.test',
        oidcAudience: 'hygie',
        oidcJwksFile: join(tmpdir(), 'no-such-dir-hygie', 'jwks.json'),
      },
      warehouse: t.warehouse,
      governance: t.store,
      logger: false,
    }),
    (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_CONFIG',
  );
});
