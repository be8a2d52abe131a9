/**
 * `hygie demo` and `hygie serve` as real processes: the demo builds a small population, ingests
 * it, seeds the platform and serves it; a demo account logs in over HTTP with the printed
 * password, sees the approved project's permit, and SIGTERM stops the server gracefully. Then
 * `hygie serve` reopens the same data directory.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/hygie.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hygie-demo-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Running {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Waits until the output matches `re` (or the process exits, or 3 minutes pass). */
async function waitFor(r: Running, re: RegExp): Promise<RegExpMatchArray> {
  const deadline = Date.now() + 180_000;
  let exited = false;
  void r.exited.then(() => (exited = true));
  for (;;) {
    const m = re.exec(r.output());
    if (m) return m;
    if (exited || Date.now() > deadline) assert.fail(`never printed ${re}:\n${r.output()}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

test('hygie demo serves a seeded platform; a demo researcher logs in; SIGTERM stops it; hygie serve reopens it', async () => {
  const dir = join(tmp, 'demo');
  const demo = run([
    'demo',
    '--dir',
    dir,
    '--persons',
    '400',
    '--from',
    '2023',
    '--to',
    '2024',
    '--port',
    '0',
    '-q',
  ]);
  const url = (await waitFor(demo, /Hygie is running at (http:\/\/[0-9.:]+)/))[1] ?? '';
  const out = demo.output();
  const password = /chercheuse\s+(\S+)\s+researcher/.exec(out)?.[1];
  assert.ok(password, out);
  const permitId = /with permit ([0-9a-f-]{36})/.exec(out)?.[1];
  assert.ok(permitId);
  assert.match(out, /NIR \d{15}, born \d{4}-\d{2}-\d{2}/);

  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'chercheuse', password }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const { token } = (await login.json()) as { token: string };
  const permit = await fetch(`${url}/api/v1/permits/${permitId}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(permit.status, 200);
  const directory = await fetch(`${url}/api/v1/directory/projects`);
  assert.equal(directory.status, 200);
  assert.match(await directory.text(), /Diabète de type 2/);

  demo.child.kill('SIGTERM');
  assert.equal(await demo.exited, 0, demo.output());
  assert.match(demo.output(), /SIGTERM: finishing requests in flight[\s\S]*Stopped\./);

  const serve = run([
    'serve',
    '--data-dir',
    join(dir, 'data'),
    '--key-file',
    join(dir, 'keys', 'master.key'),
    '--port',
    '0',
    '--log-level',
    'silent',
  ]);
  const url2 = (await waitFor(serve, /listening on (http:\/\/[0-9.:]+)/))[1] ?? '';
  const ready = await fetch(`${url2}/readyz`);
  assert.equal(ready.status, 200);
  // The session of the demo run is still valid: sessions live in the governance store.
  const again = await fetch(`${url2}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(again.status, 200);
  serve.child.kill('SIGINT');
  assert.equal(await serve.exited, 0, serve.output());
});
