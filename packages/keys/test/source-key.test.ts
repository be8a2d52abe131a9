/**
 * The source key handed to a data producer: written 0600, read back equal, the NIR source key and
 * nothing else — it differs from every platform key and cannot stand in for the master.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { KeyLabels, deriveKey, isHygieError, sourcePseudonym } from '@hygie/core';
import { createKeyFile, exportSourceKey, readKeyFile, readSourceKey } from '../src/index.js';
import { leakedIn, modeOf, printableForms, secretForms, tempDir } from './helpers.js';

const tmp = tempDir('source');
after(() => tmp.cleanup());

test('export then read gives back the source NIR key, in a 0600 file', () => {
  const ring = createKeyFile(join(tmp.dir, 'keys', 'master.key'));
  const file = join(tmp.dir, 'producer', 'source.key');
  exportSourceKey(ring, file);
  assert.equal(modeOf(file), 0o600);
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json).sort(), ['format', 'keyId', 'secret', 'version']);
  assert.equal(json.format, 'hygie-source-key');
  assert.equal(json.keyId, ring.keyId);
  const key = readSourceKey(file);
  assert.equal(key.keyId, ring.keyId);
  assert.deepEqual(key.nirKey(), ring.sourceNirKey());
  assert.equal(
    sourcePseudonym(key.nirKey(), '1850775123456'),
    sourcePseudonym(ring.sourceNirKey(), '1850775123456'),
  );
  // Printing it shows the key id only.
  const forms = printableForms(key.nirKey());
  for (const text of [JSON.stringify(key), inspect(key), `${key}`]) {
    assert.deepEqual(leakedIn(text, forms), []);
  }
  assert.throws(
    () => exportSourceKey(ring, file),
    (e) => isHygieError(e, 'HYG_CONFLICT'),
  );
  chmodSync(file, 0o644);
  assert.throws(
    () => readSourceKey(file),
    (e) => isHygieError(e, 'HYG_KEY_ERROR'),
  );
});

test('the source key file holds no master or platform secret and cannot derive one', () => {
  const keyFile = join(tmp.dir, 'keys2', 'master.key');
  createKeyFile(keyFile);
  const ring = readKeyFile(keyFile);
  // Bump to several platform versions: the source key differs from all of them.
  const r3 = ring.withPlatformKeyVersion(3);
  const file = join(tmp.dir, 'producer2', 'source.key');
  exportSourceKey(r3, file);
  const text = readFileSync(file, 'utf8');
  const source = readSourceKey(file).nirKey();
  const others = secretForms(r3).filter((f) => !printableForms(r3.sourceNirKey()).includes(f));
  assert.deepEqual(leakedIn(text, others), []);
  for (const p of r3.platformKeys()) assert.notDeepEqual(source, p);
  // Taking the source key for a master gives nothing of the real key ring.
  for (let v = 1; v <= 3; v++) {
    assert.notDeepEqual(deriveKey(source, KeyLabels.platform(v)), r3.platformKey(v));
  }
  assert.notDeepEqual(deriveKey(source, KeyLabels.sourceNir), source);
  // And a source key file is not a key file.
  assert.throws(
    () => readKeyFile(file),
    (e) => isHygieError(e, 'HYG_KEY_ERROR') && /not a Hygie key file/.test(e.message),
  );
});
