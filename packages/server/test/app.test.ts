/** The app factory: probes, OpenAPI, local docs, error shape, deny by default, log redaction. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import { HygieError } from '@hygie/core';
import { loadServerConfig } from '../src/index.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(async () => {
  await t.close();
});

test('/healthz and /readyz answer; /readyz fails when a store is closed', async () => {
  assert.deepEqual((await t.app.inject('/healthz')).json(), { status: 'ok' });
  assert.deepEqual((await t.app.inject('/readyz')).json(), { status: 'ready' });
  const other = await testApp();
  await other.store.close();
  const res = await other.app.inject('/readyz');
  assert.equal(res.statusCode, 503);
  assert.deepEqual(res.json(), { status: 'not ready' });
  await other.warehouse.close();
});

test('/openapi.json is an OpenAPI 3 document listing the API routes', async () => {
  const res = await t.app.inject('/openapi.json');
  assert.equal(res.statusCode, 200);
  const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
  assert.match(doc.openapi, /^3\./);
  assert.ok('/api/v1/me' in doc.paths);
  assert.ok('/healthz' in doc.paths);
});

test('the documentation page is served locally and loads nothing from elsewhere', async () => {
  const res = await t.app.inject('/docs');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /swagger-ui/);
  const external = [...res.body.matchAll(/(?:src|href)="(https?:)?\/\/[^"]*"/g)].map((m) => m[0]);
  assert.deepEqual(external, []);
  const init = await t.app.inject('/docs/static/swagger-initializer.js');
  assert.equal(init.statusCode, 200);
  // Code (comments aside) names no remote address; the spec validator (a remote service) is off.
  const code = init.body.replace(/\/\/ .*$/gm, '');
  assert.doesNotMatch(code, /https?:\/\//i);
  assert.match(code, /validatorUrl: null/);
});

test('an unknown route and a bad token get stable error codes', async () => {
  const res = await t.app.inject('/api/v1/nowhere');
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().code, 'HYG_NOT_FOUND');
  const bad = await t.app.inject({
    url: '/api/v1/me',
    headers: { authorization: 'Bearer hyg_notatoken' },
  });
  assert.equal(bad.statusCode, 401);
  assert.equal(bad.json().code, 'HYG_UNAUTHENTICATED');
  const basic = await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Basic abc' } });
  assert.equal(basic.statusCode, 401);
  // A public route still answers a caller whose token is stale.
  const pub = await t.app.inject({
    url: '/healthz',
    headers: { authorization: 'Bearer hyg_stale' },
  });
  assert.equal(pub.statusCode, 200);
});

test('a valid token reaches /api/v1/me with its roles', async () => {
  const res = await t.app.inject({ url: '/api/v1/me', headers: t.as('reviewer') });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    userId: t.users.reviewer.id,
    roles: ['reviewer'],
    via: 'api-token',
  });
});

test('a route that declares no access cannot be registered (deny by default)', async () => {
  const other = await testApp();
  try {
    await assert.rejects(
      async () => {
        other.app.get(
          '/api/v1/undeclared',
          { schema: { response: { 200: z.object({}) } } },
          async () => ({}),
        );
      },
      (err: unknown) =>
        err instanceof HygieError || /declares no access|already started|ready/i.test(String(err)),
    );
  } finally {
    await other.close();
  }
});

test('logs never show the Authorization header or a password', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  const other = await testApp({ config: { logLevel: 'info' } });
  await other.close();
  const { buildApp } = await import('../src/index.js');
  const logged = await testApp();
  const built = await buildApp({
    config: logged.deps.config,
    warehouse: logged.warehouse,
    governance: logged.store,
    logger: { level: 'trace', stream },
  });
  const token = logged.tokens.admin;
  await built.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  await built.app.inject({
    method: 'POST',
    url: '/api/v1/me',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: { password: 'hunter2-secret-password' },
  });
  await built.app.close();
  await logged.close();
  const all = lines.join('');
  assert.ok(all.length > 0, 'something was logged');
  assert.ok(!all.includes(token), 'the token is not in the logs');
  assert.ok(!all.includes(token.slice(4, 20)), 'no part of the token is in the logs');
  assert.ok(!all.includes('hunter2-secret-password'));
});

test('configuration: environment booleans parse as words, bad values name the setting', () => {
  assert.equal(
    loadServerConfig({ env: { HYGIE_SURVEILLANCE_EXEMPT: 'false' } }).surveillanceExemptFromOptOut,
    false,
  );
  assert.equal(
    loadServerConfig({ env: { HYGIE_SURVEILLANCE_EXEMPT: 'true' } }).surveillanceExemptFromOptOut,
    true,
  );
  assert.equal(loadServerConfig({ env: {} }).requiredApprovals, 2);
  assert.throws(
    () => loadServerConfig({ env: { HYGIE_PORT: 'eighty' } }),
    (e: unknown) =>
      e instanceof HygieError && e.code === 'HYG_INVALID_CONFIG' && e.details?.setting === 'port',
  );
  assert.throws(
    () => loadServerConfig({ env: { HYGIE_OIDC_ISSUER: 'https://id.example.fr' } }),
    (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_CONFIG',
  );
});
