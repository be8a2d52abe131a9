/**
 * The master key file on disk: mode 0600 in a 0700 directory, never overwritten by accident,
 * never inside the data directory (even through `..` or a symbolic link), refused when other users
 * can read it, and its platform key version bumped atomically.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { isHygieError } from '@hygie/core';
import {
  assertOutsideDataDir,
  bumpPlatformKeyVersion,
  createKeyFile,
  readKeyFile,
  writeKeyFile,
} from '../src/index.js';
import { leakedIn, modeOf, secretForms, tempDir } from './helpers.js';

const tmp = tempDir('file');
after(() => tmp.cleanup());

test('keys init writes a 0600 key file in a 0700 directory, which reads back', () => {
  const file = join(tmp.dir, 'new-dir', 'master.key');
  const ring = createKeyFile(file);
  assert.equal(modeOf(file), 0o600);
  assert.equal(modeOf(join(tmp.dir, 'new-dir')), 0o700);
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  assert.equal(json.format, 'hygie-master-key');
  assert.equal(json.version, 1);
  assert.equal(json.keyId, ring.keyId);
  assert.equal(json.platformKeyVersion, 1);
  assert.equal(Buffer.from(json.secret as string, 'base64').length, 32);
  assert.ok(!Number.isNaN(Date.parse(json.createdAt as string)));
  const back = readKeyFile(file);
  assert.equal(back.keyId, ring.keyId);
  assert.equal(back.createdAt, ring.createdAt);
  assert.deepEqual(back.platformKeys(), ring.platformKeys());
  // Two keys are different keys.
  assert.notEqual(createKeyFile(join(tmp.dir, 'new-dir', 'other.key')).keyId, ring.keyId);
});

test('an existing key file is never overwritten unless forced; forced replacement stays 0600', () => {
  const file = join(tmp.dir, 'overwrite', 'master.key');
  const first = createKeyFile(file);
  const before = readFileSync(file, 'utf8');
  assert.throws(
    () => createKeyFile(file),
    (e) => isHygieError(e, 'HYG_CONFLICT') && /already exists/.test(e.message),
  );
  assert.equal(readFileSync(file, 'utf8'), before);
  // A forced replacement over a file someone loosened is 0600 again, with no temporary left.
  chmodSync(file, 0o644);
  const second = createKeyFile(file, { force: true });
  assert.notEqual(second.keyId, first.keyId);
  assert.equal(modeOf(file), 0o600);
  assert.deepEqual(readdirSync(join(tmp.dir, 'overwrite')), ['master.key']);
  // A symbolic link where the key file should be is not followed.
  const link = join(tmp.dir, 'overwrite', 'link.key');
  symlinkSync(join(tmp.dir, 'overwrite', 'target.key'), link);
  assert.throws(
    () => createKeyFile(link),
    (e) => isHygieError(e, 'HYG_CONFLICT'),
  );
  assert.deepEqual(readdirSync(join(tmp.dir, 'overwrite')).sort(), ['link.key', 'master.key']);
});

test('a key file inside the data directory is refused, however the path is written', () => {
  const data = join(tmp.dir, 'hygie-data');
  mkdirSync(data);
  const refused = (file: string, dataDir = data): void =>
    assert.throws(
      () => createKeyFile(file, { dataDir }),
      (e) =>
        isHygieError(e, 'HYG_KEY_ERROR') &&
        e.details.reason === 'inside-data-dir' &&
        /inside the data directory/.test(e.message),
      file,
    );
  refused(join(data, 'master.key'));
  refused(join(data, 'keys', 'deeper', 'master.key'));
  refused(`${data}/../hygie-data/master.key`);
  refused(`${tmp.dir}/elsewhere/../hygie-data/master.key`);
  // The data directory given through `..` too, and not created yet.
  refused(join(tmp.dir, 'future-data', 'k.key'), `${tmp.dir}/x/../future-data`);
  // A symbolic link pointing into the data directory.
  const link = join(tmp.dir, 'innocent-looking');
  symlinkSync(data, link);
  refused(join(link, 'master.key'));
  // A data directory given as a symbolic link.
  refused(join(data, 'master.key'), link);
  // `link/..` is the link target's parent physically (not tmp.dir): still checked correctly.
  const nested = join(data, 'sub');
  mkdirSync(nested);
  const link2 = join(tmp.dir, 'to-sub');
  symlinkSync(nested, link2);
  refused(`${link2}/../master.key`);
  // Nothing was written by the refused attempts.
  assert.deepEqual(readdirSync(data), ['sub']);
  assert.deepEqual(readdirSync(nested), []);
  // Beside the data directory (even with a name sharing its prefix) is fine.
  createKeyFile(join(tmp.dir, 'hygie-data-keys', 'master.key'), { dataDir: data });
  createKeyFile(join(tmp.dir, 'hygie-keys', 'master.key'), { dataDir: data });
  assert.doesNotThrow(() => assertOutsideDataDir(join(tmp.dir, 'k.key'), data));
});

test('a key file other users can read is refused with the command that fixes it', () => {
  const file = join(tmp.dir, 'perm', 'master.key');
  const ring = createKeyFile(file);
  const forms = secretForms(ring);
  for (const mode of [0o644, 0o640, 0o604, 0o660]) {
    chmodSync(file, mode);
    assert.throws(
      () => readKeyFile(file),
      (e) =>
        isHygieError(e, 'HYG_KEY_ERROR') &&
        e.message.includes(`chmod 600 ${file}`) &&
        e.details.reason === 'insecure-permissions' &&
        leakedIn(e.message, forms).length === 0,
      mode.toString(8),
    );
  }
  chmodSync(file, 0o600);
  assert.equal(readKeyFile(file).keyId, ring.keyId);
  chmodSync(file, 0o400);
  assert.equal(readKeyFile(file).keyId, ring.keyId);
});

test('malformed key files get a clear error that never quotes the secret', () => {
  const file = join(tmp.dir, 'bad', 'master.key');
  const ring = createKeyFile(file);
  const good = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const forms = [...secretForms(ring), good.secret as string];
  const write = (text: string): void => {
    writeFileSync(file, text, { mode: 0o600 });
    chmodSync(file, 0o600);
  };
  const cases: [string, RegExp][] = [
    [`{"format":"hygie-master-key","secret":"${good.secret as string}"`, /not valid JSON/],
    [JSON.stringify({ ...good, format: 'something' }), /not a Hygie key file/],
    [JSON.stringify({ ...good, secret: (good.secret as string).slice(4) }), /field secret/],
    [JSON.stringify({ ...good, secret: `${good.secret as string}!` }), /field secret/],
    [JSON.stringify({ ...good, platformKeyVersion: 0 }), /field platformKeyVersion/],
    [JSON.stringify({ ...good, extra: good.secret }), /unknown fields/],
    [JSON.stringify({ ...good, keyId: '0123456789abcdef' }), /does not match its key id/],
  ];
  for (const [text, message] of cases) {
    write(text);
    assert.throws(
      () => readKeyFile(file),
      (e) =>
        isHygieError(e, 'HYG_KEY_ERROR') &&
        message.test(e.message) &&
        leakedIn(`${e.message} ${JSON.stringify(e)} ${e.stack ?? ''}`, forms).length === 0 &&
        e.cause === undefined,
      text.slice(0, 40),
    );
  }
  assert.throws(
    () => readKeyFile(join(tmp.dir, 'missing.key')),
    (e) => isHygieError(e, 'HYG_KEY_NOT_FOUND'),
  );
});

test('bumping the platform key version keeps the secret and key id, atomically, 0600', () => {
  const dir = join(tmp.dir, 'bump');
  const file = join(dir, 'master.key');
  const ring = createKeyFile(file);
  const v2 = bumpPlatformKeyVersion(file);
  assert.equal(v2.platformKeyVersion, 2);
  assert.equal(v2.keyId, ring.keyId);
  assert.equal(v2.createdAt, ring.createdAt);
  const v3 = bumpPlatformKeyVersion(file);
  const back = readKeyFile(file);
  assert.equal(back.platformKeyVersion, 3);
  assert.equal(back.keyId, ring.keyId);
  assert.equal(modeOf(file), 0o600);
  assert.deepEqual(readdirSync(dir), ['master.key']);
  // Earlier versions' keys are unchanged; the new version adds one key.
  const keys = back.platformKeys();
  assert.equal(keys.length, 3);
  assert.deepEqual(keys.slice(0, 1), ring.platformKeys());
  assert.deepEqual(keys, v3.platformKeys());
  assert.deepEqual(back.sourceNirKey(), ring.sourceNirKey());
  // writeKeyFile of a ring read back reproduces the same key.
  const copy = join(tmp.dir, 'copy', 'master.key');
  writeKeyFile(back, copy);
  assert.equal(readKeyFile(copy).keyId, ring.keyId);
  assert.equal(readKeyFile(copy).platformKeyVersion, 3);
});
