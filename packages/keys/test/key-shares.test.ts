/**
 * Trustee shares: a 3-of-5 split recombines from any 3 shares to the same key, never from 2, and a
 * tampered, duplicated or foreign share is detected instead of producing another key.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHygieError } from '@hygie/core';
import {
  combineShares,
  createKeyFile,
  loadKeyRing,
  readKeyFile,
  splitKeyFile,
  type KeyRing,
  type SplitResult,
} from '../src/index.js';
import { modeOf, tempDir } from './helpers.js';

const tmp = tempDir('shares');
after(() => tmp.cleanup());

let ring: KeyRing;
let split: SplitResult;
const keyFile = join(tmp.dir, 'keys', 'master.key');

before(async () => {
  createKeyFile(keyFile);
  ring = readKeyFile(keyFile);
  split = await splitKeyFile(keyFile, { shares: 5, threshold: 3, outDir: join(tmp.dir, 'shares') });
});

function subsets<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  return items.flatMap((x, i) => subsets(items.slice(i + 1), k - 1).map((s) => [x, ...s]));
}

/** A copy of a share file with one field changed, written 0600. */
function altered(
  file: string,
  name: string,
  change: (json: Record<string, unknown>) => void,
): string {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(json);
  const dir = join(tmp.dir, 'altered');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, name);
  writeFileSync(out, JSON.stringify(json), { mode: 0o600 });
  chmodSync(out, 0o600);
  return out;
}

test('split writes five 0600 share files describing the split', () => {
  assert.equal(split.keyId, ring.keyId);
  assert.equal(split.files.length, 5);
  assert.equal(modeOf(join(tmp.dir, 'shares')), 0o700);
  split.files.forEach((f, i) => {
    assert.equal(modeOf(f), 0o600);
    const json = JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>;
    assert.equal(json.format, 'hygie-key-share');
    assert.equal(json.version, 1);
    assert.equal(json.keyId, ring.keyId);
    assert.equal(json.index, i + 1);
    assert.equal(json.threshold, 3);
    assert.equal(json.shares, 5);
    assert.equal(json.splitId, split.splitId);
    assert.equal(Buffer.from(json.share as string, 'base64').length, 33);
  });
});

test('any 3 of the 5 shares give back the same key; so do 4 and 5', async () => {
  const sets = [...subsets(split.files, 3), ...subsets(split.files, 4), split.files];
  assert.equal(sets.length, 10 + 5 + 1);
  for (const set of sets) {
    const r = await combineShares(set);
    assert.equal(r.keyId, ring.keyId);
    assert.equal(r.platformKeyVersion, ring.platformKeyVersion);
    assert.equal(r.createdAt, ring.createdAt);
    assert.deepEqual(r.platformKeys(), ring.platformKeys());
  }
  // In any order.
  const r = await combineShares([...(split.files.slice(1, 4) as string[])].reverse());
  assert.equal(r.keyId, ring.keyId);
});

test('any 2 shares are refused as too few', async () => {
  for (const set of subsets(split.files, 2)) {
    await assert.rejects(
      combineShares(set),
      (e) =>
        isHygieError(e, 'HYG_KEY_ERROR') &&
        e.details.reason === 'too-few' &&
        /needs 3/.test(e.message),
    );
  }
  await assert.rejects(combineShares([]), (e) => isHygieError(e, 'HYG_KEY_ERROR'));
});

test('a tampered share is detected, not turned into another key', async () => {
  const [a, b, c] = split.files as [string, string, string];
  // One byte of the share's y values flipped.
  const flipped = altered(c, 'flipped.json', (j) => {
    const bytes = Buffer.from(j.share as string, 'base64');
    bytes[5] = (bytes[5] as number) ^ 0x01;
    j.share = bytes.toString('base64');
  });
  await assert.rejects(
    combineShares([a, b, flipped]),
    (e) => isHygieError(e, 'HYG_KEY_ERROR') && e.details.reason === 'key-id-mismatch',
  );
  // Its x coordinate changed.
  const moved = altered(c, 'moved.json', (j) => {
    const bytes = Buffer.from(j.share as string, 'base64');
    bytes[32] = (bytes[32] as number) ^ 0x80;
    j.share = bytes.toString('base64');
  });
  await assert.rejects(combineShares([a, b, moved]), (e) => isHygieError(e, 'HYG_KEY_ERROR'));
  // A lowered threshold does not let two shares through.
  const lowered = [a, b].map((f, i) =>
    altered(f, `lowered-${i}.json`, (j) => {
      j.threshold = 2;
    }),
  );
  await assert.rejects(
    combineShares(lowered),
    (e) => isHygieError(e, 'HYG_KEY_ERROR') && e.details.reason === 'key-id-mismatch',
  );
  // A share given twice, or a copy under another index.
  await assert.rejects(
    combineShares([a, b, b]),
    (e) => isHygieError(e, 'HYG_KEY_ERROR') && e.details.reason === 'duplicate-share',
  );
  const copy = altered(b, 'copy.json', (j) => {
    j.index = 3;
  });
  await assert.rejects(combineShares([a, b, copy]), (e) => isHygieError(e, 'HYG_KEY_ERROR'));
  // A readable share is refused like a readable key file.
  const loose = altered(c, 'loose.json', () => undefined);
  chmodSync(loose, 0o644);
  await assert.rejects(
    combineShares([a, b, loose]),
    (e) => isHygieError(e, 'HYG_KEY_ERROR') && e.message.includes('chmod 600'),
  );
});

test('shares of another key, or of another split of the same key, are refused', async () => {
  const otherFile = join(tmp.dir, 'other', 'master.key');
  const other = createKeyFile(otherFile);
  const otherSplit = await splitKeyFile(otherFile, {
    shares: 5,
    threshold: 3,
    outDir: join(tmp.dir, 'other-shares'),
  });
  const [a, b] = split.files as [string, string];
  await assert.rejects(
    combineShares([a, b, otherSplit.files[2] as string]),
    (e) =>
      isHygieError(e, 'HYG_KEY_ERROR') &&
      e.details.reason === 'mixed-keys' &&
      e.message.includes(other.keyId) &&
      e.message.includes(ring.keyId),
  );
  // The other key's share relabelled as ours: caught by the key id check.
  const relabelled = altered(otherSplit.files[2] as string, 'relabelled.json', (j) => {
    j.keyId = ring.keyId;
    j.splitId = split.splitId;
    j.keyCreatedAt = ring.createdAt;
  });
  await assert.rejects(
    combineShares([a, b, relabelled]),
    (e) => isHygieError(e, 'HYG_KEY_ERROR') && e.details.reason === 'key-id-mismatch',
  );
  // A second split of the same key.
  const again = await splitKeyFile(keyFile, {
    shares: 5,
    threshold: 3,
    outDir: join(tmp.dir, 'again'),
  });
  await assert.rejects(
    combineShares([a, b, again.files[2] as string]),
    (e) => isHygieError(e, 'HYG_KEY_ERROR') && e.details.reason === 'mixed-splits',
  );
  assert.equal((await combineShares(again.files.slice(2))).keyId, ring.keyId);
});

test('split checks its counts and never overwrites shares unless forced', async () => {
  const out = join(tmp.dir, 'counts');
  for (const [shares, threshold] of [
    [1, 1],
    [5, 1],
    [3, 4],
    [256, 3],
    [2.5, 2],
  ] as const) {
    await assert.rejects(
      splitKeyFile(keyFile, { shares, threshold, outDir: out }),
      (e) => isHygieError(e, 'HYG_INVALID_ARGUMENT'),
      `${shares}/${threshold}`,
    );
  }
  await assert.rejects(
    splitKeyFile(keyFile, { shares: 5, threshold: 3, outDir: join(tmp.dir, 'shares') }),
    (e) => isHygieError(e, 'HYG_CONFLICT'),
  );
  const forced = await splitKeyFile(keyFile, {
    shares: 5,
    threshold: 3,
    outDir: join(tmp.dir, 'shares'),
    force: true,
  });
  assert.notEqual(forced.splitId, split.splitId);
  assert.equal(readdirSync(join(tmp.dir, 'shares')).length, 5);
  // 2-of-2 and 255-of-255 are the bounds.
  const two = await splitKeyFile(keyFile, {
    shares: 2,
    threshold: 2,
    outDir: join(tmp.dir, 'two'),
  });
  assert.equal((await combineShares(two.files)).keyId, ring.keyId);
  // Refused inside the data directory, like the key file.
  await assert.rejects(
    splitKeyFile(keyFile, {
      shares: 3,
      threshold: 2,
      outDir: join(tmp.dir, 'data', 'shares'),
      dataDir: join(tmp.dir, 'data'),
    }),
    (e) => isHygieError(e, 'HYG_KEY_ERROR') && e.details.reason === 'inside-data-dir',
  );
});

test('the platform starts from a key file or from k shares', async () => {
  assert.equal((await loadKeyRing({ keyFile })).keyId, ring.keyId);
  const fresh = await splitKeyFile(keyFile, {
    shares: 5,
    threshold: 3,
    outDir: join(tmp.dir, 'load'),
  });
  const fromShares = await loadKeyRing({ shareFiles: fresh.files.slice(0, 3) });
  assert.equal(fromShares.keyId, ring.keyId);
  assert.deepEqual(fromShares.sourceNirKey(), ring.sourceNirKey());
  await assert.rejects(
    loadKeyRing({ keyFile, dataDir: join(tmp.dir, 'keys') }),
    (e) => isHygieError(e, 'HYG_KEY_ERROR') && e.details.reason === 'inside-data-dir',
  );
  await assert.rejects(loadKeyRing({ shareFiles: [] }), (e) =>
    isHygieError(e, 'HYG_INVALID_ARGUMENT'),
  );
});
