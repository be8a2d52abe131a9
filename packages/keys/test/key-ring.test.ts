/**
 * The key ring derives the keys of `@hygie/core` and never shows a secret: not in JSON, not in
 * `util.inspect` / `console.log`, not in template strings, not in error messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { format, inspect } from 'node:util';
import { KeyLabels, deriveKey, isHygieError, masterKeyId, platformIdentity } from '@hygie/core';
import { KeyRing } from '../src/index.js';
import { leakedIn, secretForms } from './helpers.js';

const master = randomBytes(32);
const ring = new KeyRing(master, { platformKeyVersion: 3, createdAt: '2026-01-02T03:04:05.000Z' });

test('derived keys are the HKDF outputs of core under their labels, all distinct', () => {
  assert.equal(ring.keyId, masterKeyId(master));
  assert.deepEqual(ring.sourceNirKey(), deriveKey(master, KeyLabels.sourceNir));
  assert.deepEqual(
    ring.sourceNamespaceKey('h1'),
    deriveKey(master, KeyLabels.sourceNamespace('h1')),
  );
  assert.deepEqual(
    ring.platformKeys(),
    [1, 2, 3].map((v) => deriveKey(master, KeyLabels.platform(v))),
  );
  assert.deepEqual(ring.providerKey(), deriveKey(master, KeyLabels.provider));
  assert.deepEqual(ring.projectKey('p1'), deriveKey(master, KeyLabels.project('p1')));
  assert.deepEqual(ring.logSigningSeed(), deriveKey(master, KeyLabels.logSigning));
  assert.deepEqual(ring.logActorKey(), deriveKey(master, KeyLabels.logActor));
  const all = [
    master,
    ring.sourceNirKey(),
    ring.sourceNamespaceKey('h1'),
    ring.sourceNamespaceKey('h2'),
    ...ring.platformKeys(),
    ring.providerKey(),
    ring.projectKey('p1'),
    ring.projectKey('p2'),
    ring.logSigningSeed(),
    ring.logActorKey(),
  ].map((k) => k.toString('hex'));
  assert.equal(new Set(all).size, all.length);
  // platformKeys() is what platformIdentity takes.
  const id = platformIdentity(ring.platformKeys(), 'nir', '0123456789ABCDEF0');
  assert.ok(id.personId > 0n);
  assert.throws(
    () => ring.platformKey(4),
    (e) => isHygieError(e, 'HYG_KEY_ERROR'),
  );
  assert.throws(
    () => ring.platformKey(0),
    (e) => isHygieError(e, 'HYG_KEY_ERROR'),
  );
});

test('the ring keeps its own copy of the secret', () => {
  const m = randomBytes(32);
  const r = new KeyRing(m);
  const before = r.sourceNirKey();
  m.fill(1);
  assert.deepEqual(r.sourceNirKey(), before);
  assert.equal(r.platformKeyVersion, 1);
  assert.throws(
    () => new KeyRing(randomBytes(16)),
    (e) => isHygieError(e, 'HYG_KEY_ERROR'),
  );
  assert.throws(
    () => new KeyRing(randomBytes(32), { platformKeyVersion: 0 }),
    (e) => isHygieError(e, 'HYG_KEY_ERROR'),
  );
});

test('a key ring never shows its secrets however it is printed', () => {
  const forms = secretForms(ring);
  const shown = [
    JSON.stringify(ring),
    JSON.stringify({ ring }),
    JSON.stringify({ ...ring }),
    inspect(ring),
    inspect(ring, { showHidden: true, depth: Infinity }),
    inspect({ nested: { ring } }, { depth: Infinity }),
    format('%o %O %s %j', ring, ring, ring, ring),
    `${ring}`,
    String(ring),
    'ring: ' + ring,
    Object.keys(ring).join(','),
    JSON.stringify(Object.getOwnPropertyDescriptors(ring)),
  ];
  for (const text of shown) {
    assert.deepEqual(leakedIn(text, forms), [], text);
    assert.ok(text.includes(ring.keyId) || text === Object.keys(ring).join(','), text);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(ring)), {
    keyId: ring.keyId,
    platformKeyVersion: 3,
    createdAt: '2026-01-02T03:04:05.000Z',
  });
  // Errors raised by the ring carry no secret either.
  const errors: unknown[] = [];
  for (const f of [
    () => ring.platformKey(99),
    () => ring.projectKey(''),
    () => ring.sourceNamespaceKey(''),
  ]) {
    try {
      f();
    } catch (e) {
      errors.push(e);
    }
  }
  assert.equal(errors.length, 3);
  for (const e of errors) {
    const err = e as Error;
    assert.deepEqual(
      leakedIn(`${err.message} ${err.stack ?? ''} ${JSON.stringify(err)} ${inspect(err)}`, forms),
      [],
    );
  }
});

test('destroy() wipes the secret', () => {
  const r = new KeyRing(randomBytes(32));
  const before = r.logSigningSeed();
  r.destroy();
  assert.notDeepEqual(r.logSigningSeed(), before);
  assert.deepEqual(r.logSigningSeed(), deriveKey(Buffer.alloc(32), KeyLabels.logSigning));
});
