/**
 * The web console served by the app: files of the build, the page for any other address (deep
 * links), never the page for the server's own addresses, no file outside the build, caching and
 * the Content-Security-Policy.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'hygie-console-'));

before(async () => {
  mkdirSync(join(dir, 'web', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><title>Hygie</title>');
  writeFileSync(join(dir, 'web', 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'web', '.env'), 'SECRET=1');
  writeFileSync(join(dir, 'outside.txt'), 'not served');
  t = await testApp({ consoleDir: join(dir, 'web') });
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the page at / and at any deep link, with its security headers', async () => {
  for (const url of ['/', '/veille', '/recherche/projets/42?x=1']) {
    const res = await t.app.inject({ url });
    assert.equal(res.statusCode, 200, url);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.match(res.body, /<title>Hygie<\/title>/);
    assert.match(res.headers['content-security-policy'] as string, /default-src 'self'/);
    assert.match(res.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  }
});

test('build assets are served and cached for good', async () => {
  const res = await t.app.inject({ url: '/assets/index-abc123.js' });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /javascript/);
  assert.match(res.headers['cache-control'] as string, /immutable/);
});

test('the server’s own addresses are never answered with the page', async () => {
  const api = await t.app.inject({ url: '/api/v1/nope' });
  assert.equal(api.statusCode, 404);
  assert.equal(api.json().code, 'HYG_NOT_FOUND');
  const health = await t.app.inject({ url: '/healthz' });
  assert.equal(health.statusCode, 200);
  assert.doesNotMatch(health.body, /<title>/);
});

test('no file outside the build, no dotfile', async () => {
  for (const url of [
    '/../outside.txt',
    '/%2e%2e/outside.txt',
    '/assets/../../outside.txt',
    '/.env',
  ]) {
    const res = await t.app.inject({ url });
    assert.doesNotMatch(res.body, /not served|SECRET/, url);
  }
});
