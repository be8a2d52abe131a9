/**
 * `hygie keys`, run as a real process: init → status → split → combine → status of the recombined
 * key shows the same key id; a key file inside the data directory is refused; no secret is ever
 * printed.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/hygie.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hygie-keys-cli-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `hygie` with the temporary directory as working directory (so defaults land there). */
function hygie(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function secretOf(file: string, field: string): string {
  return (JSON.parse(readFileSync(join(tmp, file), 'utf8')) as Record<string, string>)[field] ?? '';
}

test('init, status, split, combine and status again give the same key id; nothing secret printed', () => {
  const init = hygie('keys', 'init');
  assert.equal(init.status, 0, init.stderr);
  const keyId = /Master key ([0-9a-f]{16}) written to (\S+)/.exec(init.stdout);
  assert.ok(keyId, init.stdout);
  assert.equal(keyId[2], './hygie-keys/master.key');
  assert.match(init.stdout, /outside the data directory/);
  assert.equal(statSync(join(tmp, 'hygie-keys', 'master.key')).mode & 0o777, 0o600);
  const id = keyId[1] as string;
  const printed: string[] = [init.stdout, init.stderr];

  const status = hygie('keys', 'status', '--key-file', 'hygie-keys/master.key');
  assert.equal(status.status, 0, status.stderr);
  assert.match(status.stdout, new RegExp(`Key id\\s+${id}`));
  assert.match(status.stdout, /Platform key version\s+1/);
  assert.match(status.stdout, /Created\s+\d{4}-\d\d-\d\dT/);
  printed.push(status.stdout);

  const split = hygie(
    'keys',
    'split',
    '--key-file',
    'hygie-keys/master.key',
    '--shares',
    '5',
    '--threshold',
    '3',
    '--out',
    'trustees',
  );
  assert.equal(split.status, 0, split.stderr);
  printed.push(split.stdout);
  for (let i = 1; i <= 5; i++) assert.ok(existsSync(join(tmp, 'trustees', `share-${i}-of-5.json`)));

  const shares = [
    'trustees/share-2-of-5.json',
    'trustees/share-4-of-5.json',
    'trustees/share-5-of-5.json',
  ];
  const fromShares = hygie('keys', 'status', '--key-shares', shares.join(','));
  assert.equal(fromShares.status, 0, fromShares.stderr);
  assert.match(fromShares.stdout, new RegExp(`Key id\\s+${id}`));

  const combine = hygie(
    'keys',
    'combine',
    '--shares',
    shares.join(','),
    '--out',
    'restored/master.key',
  );
  assert.equal(combine.status, 0, combine.stderr);
  assert.match(combine.stdout, new RegExp(id));
  printed.push(combine.stdout);
  assert.equal(statSync(join(tmp, 'restored', 'master.key')).mode & 0o777, 0o600);

  const again = hygie('keys', 'status', '--key-file', 'restored/master.key', '--json');
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(
    JSON.parse(again.stdout),
    JSON.parse(hygie('keys', 'status', '--key-file', 'hygie-keys/master.key', '--json').stdout),
  );
  assert.equal((JSON.parse(again.stdout) as { keyId: string }).keyId, id);

  const tooFew = hygie(
    'keys',
    'combine',
    '--shares',
    shares.slice(0, 2).join(','),
    '--out',
    'x.key',
  );
  assert.notEqual(tooFew.status, 0);
  assert.match(tooFew.stderr, /needs 3/);

  const exported = hygie('keys', 'export-source-key', '--out', 'producer/source.key');
  assert.equal(exported.status, 0, exported.stderr);
  printed.push(exported.stdout);

  const secrets = [
    secretOf('hygie-keys/master.key', 'secret'),
    secretOf('producer/source.key', 'secret'),
    ...[1, 2, 3, 4, 5].map((i) => secretOf(`trustees/share-${i}-of-5.json`, 'share')),
  ];
  for (const s of secrets) {
    assert.ok(s.length >= 44);
    const hex = Buffer.from(s, 'base64').toString('hex');
    for (const text of printed) {
      assert.ok(!text.includes(s) && !text.includes(hex), 'a secret was printed');
    }
  }
});

test('a key file inside the data directory is refused with a non-zero exit naming the problem', () => {
  for (const args of [
    ['--key-file', 'hygie-data/master.key'],
    ['--key-file', 'hygie-data/../hygie-data/keys/master.key'],
    ['--key-file', 'data/master.key', '--data-dir', './data'],
  ]) {
    const r = hygie('keys', 'init', ...args);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.match(r.stderr, /inside the data directory/);
    assert.match(r.stderr, /HYG_KEY_ERROR/);
  }
  assert.ok(!existsSync(join(tmp, 'hygie-data', 'master.key')));
  assert.ok(!existsSync(join(tmp, 'data')));
});

test('status needs exactly one of --key-file and --key-shares, and refuses a readable key file', () => {
  const neither = hygie('keys', 'status');
  assert.equal(neither.status, 2);
  assert.match(neither.stderr, /--key-file or --key-shares/);
  const init = hygie('keys', 'init', '--key-file', 'loose/master.key');
  assert.equal(init.status, 0, init.stderr);
  chmodSync(join(tmp, 'loose', 'master.key'), 0o644);
  const loose = hygie('keys', 'status', '--key-file', 'loose/master.key');
  assert.notEqual(loose.status, 0);
  assert.match(loose.stderr, /chmod 600/);
  const missing = hygie('keys', 'status', '--key-file', 'nowhere.key');
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /not found/);
});
