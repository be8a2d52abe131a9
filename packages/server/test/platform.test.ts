/**
 * The running platform over real files and real HTTP: `startPlatform` opens the key, the embedded
 * governance store and the warehouse of a data directory, listens, and on close lets the request
 * in flight finish before the stores close.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { HygieError } from '@hygie/core';
import { createKeyFile } from '@hygie/keys';
import { defaultServerConfig, openConfiguredGovernanceStore, startPlatform } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'hygie-platform-'));
after(() => rmSync(root, { recursive: true, force: true }));

function setup(name: string) {
  const dataDir = join(root, name, 'data');
  const keyFile = join(root, name, 'keys', 'master.key');
  createKeyFile(keyFile, { dataDir }).destroy();
  const config = defaultServerConfig({ dataDir, port: 0, logLevel: 'silent' });
  return { dataDir, keyFile, config };
}

test('the platform listens over HTTP, answers, and closes gracefully', async () => {
  const { keyFile, config, dataDir } = setup('a');
  const p = await startPlatform({ config, keySource: { keyFile } });
  assert.match(p.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(statSync(join(dataDir, 'governance.sqlite')).mode & 0o777, 0o600);
  const ready = await fetch(`${p.url}/readyz`);
  assert.equal(ready.status, 200);
  assert.deepEqual(await ready.json(), { status: 'ready' });
  // The transparency log is opened in the data directory and fed at start.
  assert.ok(statSync(join(dataDir, 'transparency.sqlite')).isFile());
  const head1 = await fetch(`${p.url}/api/v1/transparency/head`);
  assert.equal(head1.status, 200);
  const h1 = (await head1.json()) as { logId: string; head: { treeSize: number } };
  // A request in flight when close() is called still gets its answer: its headers and half its
  // body are sent, the platform is told to close, then the rest of the body follows.
  const body = JSON.stringify({ login: 'nobody', password: 'not the password at all' });
  const { port } = new URL(p.url);
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(port),
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10));
    setTimeout(() => {
      closing = p.close();
      setTimeout(() => req.end(body.slice(10)), 100);
    }, 100);
  });
  let closing: Promise<void> | undefined;
  const res = await answer;
  assert.equal(res.status, 401, res.body);
  assert.equal((JSON.parse(res.body) as { code: string }).code, 'HYG_UNAUTHENTICATED');
  await closing;
  await assert.rejects(fetch(`${p.url}/healthz`));
  // The stores are closed: the warehouse file can be opened again by another process.
  const again = await startPlatform({ config, keySource: { keyFile } });
  // Same log, fed at start with the refused login.
  const h2 = (await (await fetch(`${again.url}/api/v1/transparency/head`)).json()) as typeof h1;
  assert.equal(h2.logId, h1.logId);
  assert.ok(h2.head.treeSize > h1.head.treeSize);
  await again.close();
  await again.close();
});

test('the platform refuses a key file inside the data directory', async () => {
  const { config } = setup('b');
  const inside = join(config.dataDir, 'master.key');
  await assert.rejects(
    startPlatform({ config, keySource: { keyFile: inside } }),
    (e: unknown) => e instanceof HygieError && /data director/i.test(e.message),
  );
});

test('the platform refuses to start when opt-outs are under another platform key version', async () => {
  const { keyFile, config } = setup('c');
  const store = await openConfiguredGovernanceStore(config);
  const { KeyRing } = await import('@hygie/keys');
  const { SYSTEM_ACTOR } = await import('@hygie/core');
  const ring = new KeyRing(Buffer.alloc(32, 1));
  await store.optOuts.rotatePersonIds(
    SYSTEM_ACTOR,
    ring.withPlatformKeyVersion(2).platformKey(2),
    2,
  );
  await store.close();
  await assert.rejects(
    startPlatform({ config, keySource: { keyFile } }),
    (e: unknown) => e instanceof HygieError && e.details.reason === 'opt-out-key-version',
  );
});
