import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HygieError, SYSTEM_ACTOR } from '@hygie/core';
import type { ErrorCode } from '@hygie/core';
import { API_TOKEN_RE, actorOf, openGovernanceStore } from '../src/index.js';
import { verifyPasswordHash } from '../src/password-hash.js';
import { DAY, MINUTE, PASSWORD, TestClock, memoryStore, seedAccount, seedUser } from './helpers.js';

function isError(code: ErrorCode, reason?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof HygieError, String(e));
    assert.equal(e.code, code);
    if (reason !== undefined) assert.equal(e.details.reason, reason);
    return true;
  };
}

test('passwords are stored as salted scrypt hashes, never in clear', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hygie-gov-'));
  const file = join(dir, 'governance.sqlite');
  try {
    const store = await openGovernanceStore({ kind: 'sqlite', file });
    await store.migrate();
    await seedUser(store, 'alice', ['researcher']);
    await seedUser(store, 'bob', ['researcher']);
    await store.close();
    const raw = new Database(file, { readonly: true });
    const rows = raw.prepare('SELECT password_hash FROM gov_users ORDER BY login').all() as {
      password_hash: string;
    }[];
    raw.close();
    assert.equal(rows.length, 2);
    for (const r of rows)
      assert.match(r.password_hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    // Same password, different salts, different hashes.
    assert.notEqual(rows[0]?.password_hash, rows[1]?.password_hash);
    assert.ok(await verifyPasswordHash(PASSWORD, rows[0]?.password_hash ?? ''));
    for (const name of readdirSync(dir)) {
      assert.ok(
        !readFileSync(join(dir, name)).includes(Buffer.from(PASSWORD)),
        `clear password in ${name}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed or weak stored hash never verifies', async () => {
  assert.equal(await verifyPasswordHash(PASSWORD, 'plain'), false);
  assert.equal(
    await verifyPasswordHash(
      PASSWORD,
      'scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ),
    false,
  );
});

test('the password policy refuses short passwords', async () => {
  const { store } = await memoryStore();
  try {
    await assert.rejects(
      store.users.create(SYSTEM_ACTOR, {
        login: 'short',
        displayName: 'S',
        roles: ['researcher'],
        password: 'short',
      }),
      isError('HYG_INVALID_ARGUMENT', 'password-policy'),
    );
    assert.equal(await store.users.findByLogin('short'), null);
  } finally {
    await store.close();
  }
});

test('right password accepted; wrong password and unknown login refused alike', async () => {
  const { store } = await memoryStore();
  try {
    const { user } = await seedUser(store, 'alice', ['researcher']);
    assert.equal((await store.users.verifyPassword('Alice', PASSWORD)).id, user.id);
    await assert.rejects(
      store.users.verifyPassword('alice', 'wrong password here'),
      isError('HYG_UNAUTHENTICATED', 'bad-credentials'),
    );
    await assert.rejects(
      store.users.verifyPassword('nobody', PASSWORD),
      isError('HYG_UNAUTHENTICATED', 'bad-credentials'),
    );
    const denied = await store.audit.list({ action: 'auth.password', decision: 'deny' });
    assert.equal(denied.length, 2);
    // The unknown login is not written anywhere in the trail.
    assert.doesNotMatch(JSON.stringify(await store.audit.list()), /nobody/);
  } finally {
    await store.close();
  }
});

test('lockout after 5 failures for 15 minutes, then unlock (injected clock, no sleep)', async () => {
  const { store, clock } = await memoryStore(new TestClock());
  try {
    await seedUser(store, 'alice', ['researcher']);
    for (let i = 1; i <= 4; i++) {
      await assert.rejects(
        store.users.verifyPassword('alice', `wrong password ${i}`),
        isError('HYG_UNAUTHENTICATED'),
      );
    }
    await assert.rejects(
      store.users.verifyPassword('alice', 'wrong password 5'),
      isError('HYG_ACCOUNT_LOCKED', 'too-many-failures'),
    );
    // Locked: even the right password is refused.
    await assert.rejects(
      store.users.verifyPassword('alice', PASSWORD),
      isError('HYG_ACCOUNT_LOCKED', 'account-locked'),
    );
    clock.advance(15 * MINUTE - 1);
    await assert.rejects(
      store.users.verifyPassword('alice', PASSWORD),
      isError('HYG_ACCOUNT_LOCKED', 'account-locked'),
    );
    clock.advance(1);
    const u = await store.users.verifyPassword('alice', PASSWORD);
    assert.equal(u.failedAttempts, 0);
    assert.equal(u.lockedUntil, null);
  } finally {
    await store.close();
  }
});

test('an unknown login locks exactly like an account: a lockout does not tell logins apart', async () => {
  const { store, clock } = await memoryStore(new TestClock());
  try {
    await seedUser(store, 'alice', ['researcher']);
    const answers = async (login: string) => {
      const out: string[] = [];
      for (let i = 1; i <= 6; i++) {
        const e = await store.users.verifyPassword(login, `wrong password ${i}`).then(
          () => null,
          (err: unknown) => err as HygieError,
        );
        assert.ok(e);
        out.push(`${e.code} ${e.message} ${String(e.details.reason)}`);
      }
      return out;
    };
    const real = await answers('alice');
    const unknown = await answers('nobody-here');
    assert.deepEqual(unknown, real);
    assert.match(real[4] ?? '', /HYG_ACCOUNT_LOCKED .* too-many-failures/);
    assert.match(real[5] ?? '', /HYG_ACCOUNT_LOCKED .* account-locked/);
    // The window passes for both alike.
    clock.advance(15 * MINUTE);
    await assert.rejects(
      store.users.verifyPassword('nobody-here', 'x'.repeat(12)),
      isError('HYG_UNAUTHENTICATED'),
    );
    // The table of attempts holds a hash, never the login.
    const file = JSON.stringify(await store.audit.list({}));
    assert.ok(!file.includes('nobody-here'));
  } finally {
    await store.close();
  }
});

test('after a lockout runs out, failures count from zero again; a success resets the count', async () => {
  const { store, clock } = await memoryStore(new TestClock(), {
    maxFailedLogins: 3,
    lockoutMs: 10 * MINUTE,
  });
  try {
    await seedUser(store, 'alice', ['researcher']);
    for (let i = 0; i < 2; i++)
      await assert.rejects(store.users.verifyPassword('alice', 'wrong password xx'));
    await assert.rejects(
      store.users.verifyPassword('alice', 'wrong password xx'),
      isError('HYG_ACCOUNT_LOCKED'),
    );
    clock.advance(10 * MINUTE);
    // One failure after the lock ran out is the first of a new count, not an immediate relock.
    await assert.rejects(
      store.users.verifyPassword('alice', 'wrong password xx'),
      isError('HYG_UNAUTHENTICATED'),
    );
    assert.equal((await store.users.findByLogin('alice'))?.failedAttempts, 1);
    await store.users.verifyPassword('alice', PASSWORD);
    assert.equal((await store.users.findByLogin('alice'))?.failedAttempts, 0);
  } finally {
    await store.close();
  }
});

test('an administrator can unlock an account', async () => {
  const { store } = await memoryStore(new TestClock(), { maxFailedLogins: 1 });
  try {
    const { actor: admin } = await seedAccount(store, 'root', ['admin']);
    const { user } = await seedUser(store, 'alice', ['researcher']);
    await assert.rejects(
      store.users.verifyPassword('alice', 'wrong password xx'),
      isError('HYG_ACCOUNT_LOCKED'),
    );
    await store.users.unlock(admin, user.id);
    await store.users.verifyPassword('alice', PASSWORD);
  } finally {
    await store.close();
  }
});

test('a disabled account cannot log in and its tokens stop working', async () => {
  const { store } = await memoryStore();
  try {
    const { actor: admin } = await seedAccount(store, 'root', ['admin']);
    const { user, actor } = await seedUser(store, 'alice', ['researcher']);
    const t = await store.users.createApiToken(actor, user.id, { label: 'laptop' });
    await store.users.disable(admin, user.id);
    await assert.rejects(
      store.users.verifyPassword('alice', PASSWORD),
      isError('HYG_UNAUTHENTICATED', 'account-disabled'),
    );
    await assert.rejects(
      store.users.authenticateToken(t.token),
      isError('HYG_UNAUTHENTICATED', 'account-disabled'),
    );
    await store.users.enable(admin, user.id);
    assert.equal((await store.users.authenticateToken(t.token)).user.id, user.id);
  } finally {
    await store.close();
  }
});

test('only administrators manage accounts; the last administrator stays one', async () => {
  const { store } = await memoryStore();
  try {
    const { user: root, actor: admin } = await seedAccount(store, 'root', ['admin']);
    const { user, actor } = await seedAccount(store, 'alice', ['researcher']);
    await assert.rejects(
      store.users.create(actor, { login: 'eve', displayName: 'Eve', roles: ['admin'] }),
      isError('HYG_FORBIDDEN'),
    );
    await assert.rejects(store.users.setRoles(actor, user.id, ['admin']), isError('HYG_FORBIDDEN'));
    await assert.rejects(
      store.users.setRoles(admin, root.id, ['researcher']),
      isError('HYG_CONFLICT', 'last-admin'),
    );
    await assert.rejects(
      store.users.disable(admin, root.id),
      isError('HYG_CONFLICT', 'last-admin'),
    );
    const promoted = await store.users.setRoles(admin, user.id, ['researcher', 'admin']);
    assert.deepEqual(promoted.roles, ['admin', 'researcher']);
    await store.users.setRoles(admin, root.id, ['auditor']);
    assert.deepEqual((await store.users.get(root.id)).roles, ['auditor']);
    await assert.rejects(
      store.users.create(admin, { login: 'alice', displayName: 'Another', roles: ['citizen'] }),
      isError('HYG_CONFLICT', 'login-taken'),
    );
    await assert.rejects(
      store.users.create(admin, { login: 'x', displayName: 'X', roles: ['wizard' as 'admin'] }),
      isError('HYG_INVALID_ARGUMENT'),
    );
  } finally {
    await store.close();
  }
});

test('API tokens: shown once, stored as SHA-256, authenticated, revoked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hygie-gov-'));
  const file = join(dir, 'governance.sqlite');
  try {
    const store = await openGovernanceStore({ kind: 'sqlite', file });
    await store.migrate();
    const { user, actor } = await seedAccount(store, 'alice', ['researcher']);
    const created = await store.users.createApiToken(actor, user.id, { label: 'notebook' });
    assert.match(created.token, API_TOKEN_RE);
    assert.match(created.token, /^hyg_/);
    // Later reads never show the token again.
    const listed = await store.users.listTokens(user.id);
    assert.equal(listed.length, 1);
    assert.ok(!JSON.stringify(listed).includes(created.token));
    assert.ok(!('token' in (listed[0] as object)));

    const auth = await store.users.authenticateToken(created.token);
    assert.equal(auth.user.id, user.id);
    assert.equal(auth.tokenId, created.id);
    assert.equal(auth.kind, 'api');
    assert.ok((await store.users.listTokens(user.id))[0]?.lastUsedAt);

    await store.users.revokeToken(actor, created.id);
    await assert.rejects(
      store.users.authenticateToken(created.token),
      isError('HYG_UNAUTHENTICATED', 'token-revoked'),
    );
    await assert.rejects(
      store.users.revokeToken(actor, created.id),
      isError('HYG_CONFLICT', 'already-revoked'),
    );
    await store.close();

    // Only the hash is on disk.
    const raw = new Database(file, { readonly: true });
    const row = raw.prepare('SELECT token_hash FROM gov_api_tokens').get() as {
      token_hash: string;
    };
    raw.close();
    assert.match(row.token_hash, /^[0-9a-f]{64}$/);
    for (const name of readdirSync(dir)) {
      assert.ok(
        !readFileSync(join(dir, name)).includes(Buffer.from(created.token)),
        `clear token in ${name}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad tokens are refused with a reason and audited without the token', async () => {
  const { store } = await memoryStore();
  try {
    const { user, actor } = await seedAccount(store, 'alice', ['researcher']);
    const good = await store.users.createApiToken(actor, user.id, { label: 'x' });
    const forged = `hyg_${'A'.repeat(43)}`;
    await assert.rejects(
      store.users.authenticateToken('Bearer nonsense'),
      isError('HYG_UNAUTHENTICATED', 'malformed-token'),
    );
    await assert.rejects(
      store.users.authenticateToken(forged),
      isError('HYG_UNAUTHENTICATED', 'unknown-token'),
    );
    const trail = JSON.stringify(await store.audit.list());
    assert.ok(!trail.includes(forged) && !trail.includes(good.token));
    assert.equal(await store.audit.count({ action: 'auth.token', decision: 'deny' }), 2);
    // Successful token authentication is not audited (the request it authorises is).
    await store.users.authenticateToken(good.token);
    assert.equal(await store.audit.count({ action: 'auth.token' }), 2);
  } finally {
    await store.close();
  }
});

test('session tokens expire; only the owner or an administrator creates and revokes tokens', async () => {
  const { store, clock } = await memoryStore();
  try {
    const { user, actor } = await seedAccount(store, 'alice', ['researcher']);
    const { actor: bob } = await seedAccount(store, 'bob', ['researcher']);
    const { actor: admin } = await seedAccount(store, 'root', ['admin']);
    await assert.rejects(
      store.users.createApiToken(actor, user.id, { label: 's', kind: 'session' }),
      isError('HYG_INVALID_ARGUMENT'),
    );
    const session = await store.users.createApiToken(actor, user.id, {
      label: 'login',
      kind: 'session',
      expiresAt: new Date(clock.now().getTime() + 12 * 60 * MINUTE),
    });
    assert.equal((await store.users.authenticateToken(session.token)).kind, 'session');
    clock.advance(DAY);
    await assert.rejects(
      store.users.authenticateToken(session.token),
      isError('HYG_UNAUTHENTICATED', 'token-expired'),
    );
    await assert.rejects(
      store.users.createApiToken(bob, user.id, { label: 'steal' }),
      isError('HYG_FORBIDDEN'),
    );
    const t = await store.users.createApiToken(admin, user.id, { label: 'by admin' });
    await assert.rejects(store.users.revokeToken(bob, t.id), isError('HYG_FORBIDDEN'));
    await store.users.revokeToken(admin, t.id);
    await assert.rejects(
      store.users.createApiToken(actor, user.id, {
        label: 'past',
        expiresAt: new Date(clock.now().getTime() - 1),
      }),
      isError('HYG_INVALID_ARGUMENT'),
    );
  } finally {
    await store.close();
  }
});

test('setPassword: by the user or an administrator; the new password works and the old one does not', async () => {
  const { store } = await memoryStore();
  try {
    const { user, actor } = await seedUser(store, 'alice', ['researcher']);
    const { actor: bob } = await seedAccount(store, 'bob', ['researcher']);
    await assert.rejects(
      store.users.setPassword(bob, user.id, 'another long password'),
      isError('HYG_FORBIDDEN'),
    );
    await store.users.setPassword(actor, user.id, 'another long password');
    await assert.rejects(
      store.users.verifyPassword('alice', PASSWORD),
      isError('HYG_UNAUTHENTICATED'),
    );
    assert.equal((await store.users.verifyPassword('alice', 'another long password')).id, user.id);
    assert.deepEqual(actorOf(user), { userId: user.id, roles: ['researcher'] });
  } finally {
    await store.close();
  }
});
