/**
 * `hygie audit`, run as a real process: `head` and `export` read the transparency log of a data
 * directory with the key ring; `verify` checks an export with the public key alone and exits 0 on
 * a good export, 1 on an edited one.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { LogEntry, SignedTreeHead } from '@hygie/core';
import { TRANSPARENCY_SQLITE_FILE, openTransparencyLog } from '@hygie/governance';
import { createKeyFile } from '@hygie/keys';

const BIN = fileURLToPath(new URL('../../bin/hygie.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hygie-audit-cli-test-'));
const dataDir = join(tmp, 'data');
const keyFile = join(tmp, 'keys', 'master.key');
after(() => rmSync(tmp, { recursive: true, force: true }));

function hygie(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function entry(seq: number, decision: LogEntry['decision']): LogEntry {
  return {
    v: 1,
    seq,
    at: '2026-03-02T09:00:00.000Z',
    actorRole: 'researcher',
    actorId: 'ab'.repeat(16),
    action: 'data.access',
    decision,
  };
}

let publicKeyPem = '';
let latest: SignedTreeHead;

before(() => {
  mkdirSync(dataDir, { recursive: true });
  const ring = createKeyFile(keyFile, { dataDir });
  const log = openTransparencyLog(
    { file: join(dataDir, TRANSPARENCY_SQLITE_FILE) },
    { signingSeed: ring.logSigningSeed() },
  );
  ring.destroy();
  try {
    log.append([entry(1, 'allow'), entry(2, 'deny'), entry(4, 'allow')]);
    log.sign();
    log.append([entry(7, 'error')]);
    latest = log.sign();
    publicKeyPem = log.publicKeyPem;
  } finally {
    log.close();
  }
  writeFileSync(join(tmp, 'log.pem'), publicKeyPem);
});

test('audit head prints the latest signed tree head', () => {
  const r = hygie('audit', 'head', '--data-dir', dataDir, '--key-file', keyFile);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), latest);
});

test('audit export, then verify: 0 on the export, 1 on an edited one — no key, no database', () => {
  const out = join(tmp, 'export.jsonl');
  const e = hygie('audit', 'export', '--data-dir', dataDir, '--key-file', keyFile, '--out', out);
  assert.equal(e.status, 0, e.stderr);
  assert.match(e.stdout, /Exported 4 entries and 2 signed heads/);

  const ok = hygie('audit', 'verify', '--log', out, '--pubkey', join(tmp, 'log.pem'));
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^OK: 4 entries, 2 signed heads, latest head size 4/);

  writeFileSync(join(tmp, 'since.json'), JSON.stringify({ head: latest }));
  const since = hygie(
    'audit',
    'verify',
    '--log',
    out,
    '--pubkey',
    join(tmp, 'log.pem'),
    '--since',
    join(tmp, 'since.json'),
  );
  assert.equal(since.status, 0, since.stdout + since.stderr);

  const edited = join(tmp, 'edited.jsonl');
  const text = readFileSync(out, 'utf8');
  writeFileSync(edited, text.replace('"decision":"deny"', '"decision":"allow"'));
  assert.notEqual(readFileSync(edited, 'utf8'), text);
  const bad = hygie('audit', 'verify', '--log', edited, '--pubkey', join(tmp, 'log.pem'));
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, /PROBLEM: /);
  assert.match(bad.stdout, /FAILED: /);
});

test('audit head without a log names the problem', () => {
  const r = hygie('audit', 'head', '--data-dir', join(tmp, 'nowhere'), '--key-file', keyFile);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no transparency log at .*\[HYG_NOT_FOUND\]/);
});

test('audit prove, then check-proof offline: inclusion and consistency; a forged proof fails', () => {
  const pem = join(tmp, 'log.pem');
  const inclusion = hygie(
    'audit',
    'prove',
    '--data-dir',
    dataDir,
    '--key-file',
    keyFile,
    '--index',
    '1',
  );
  assert.equal(inclusion.status, 0, inclusion.stderr);
  const proved = JSON.parse(inclusion.stdout) as { entry: LogEntry; head: SignedTreeHead };
  assert.equal(proved.entry.decision, 'deny');
  assert.deepEqual(proved.head, latest);
  writeFileSync(join(tmp, 'inclusion.json'), inclusion.stdout);
  const ok = hygie('audit', 'check-proof', '--proof', join(tmp, 'inclusion.json'), '--pubkey', pem);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^OK: entry 1 is in the log of size 4/);

  // The entry says "allow" now: the proof no longer holds.
  writeFileSync(
    join(tmp, 'forged.json'),
    inclusion.stdout.replace('"decision": "deny"', '"decision": "allow"'),
  );
  const forged = hygie(
    'audit',
    'check-proof',
    '--proof',
    join(tmp, 'forged.json'),
    '--pubkey',
    pem,
  );
  assert.equal(forged.status, 1, forged.stdout + forged.stderr);
  assert.match(forged.stdout, /FAILED: entry 1 is not proved/);

  // Today's log (4 entries) extends yesterday's (3 entries, the first head).
  const consistency = hygie(
    'audit',
    'prove',
    '--data-dir',
    dataDir,
    '--key-file',
    keyFile,
    '--from',
    '3',
  );
  assert.equal(consistency.status, 0, consistency.stderr);
  writeFileSync(join(tmp, 'consistency.json'), consistency.stdout);
  const extends_ = hygie(
    'audit',
    'check-proof',
    '--proof',
    join(tmp, 'consistency.json'),
    '--pubkey',
    pem,
  );
  assert.equal(extends_.status, 0, extends_.stdout + extends_.stderr);
  assert.match(extends_.stdout, /^OK: the log of size 3 is a prefix of the log of size 4/);
  // A fork: another root for size 3 is not a prefix.
  const fork = JSON.parse(consistency.stdout) as { firstRootHash: string };
  fork.firstRootHash = 'ab'.repeat(32);
  writeFileSync(join(tmp, 'fork.json'), JSON.stringify(fork));
  const refused = hygie('audit', 'check-proof', '--proof', join(tmp, 'fork.json'), '--pubkey', pem);
  assert.equal(refused.status, 1, refused.stdout + refused.stderr);
});
