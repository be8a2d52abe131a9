import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HygieError,
  KeyLabels,
  NIR_KIND,
  SYSTEM_ACTOR,
  buildNir,
  deriveKey,
  platformIdentity,
  rotatePersonId,
  sourcePseudonym,
} from '@hygie/core';
import { KeyRing } from '@hygie/keys';
import { citizenPersonId, openGovernanceStore } from '../src/index.js';
import { memoryStore } from './helpers.js';

const master = randomBytes(32);
const ring = new KeyRing(master);
const nir = buildNir({
  sex: 2,
  birthYear: 1987,
  birthMonth: 3,
  placeDept: '75',
  placeCommune: '115',
  order: 42,
});

test('citizenPersonId is the warehouse person_id of the NIR (same two keyed levels as ingestion)', () => {
  const expected = platformIdentity(
    [deriveKey(master, KeyLabels.platform(1))],
    NIR_KIND,
    sourcePseudonym(deriveKey(master, KeyLabels.sourceNir), nir.slice(0, 13)),
  ).personId;
  assert.equal(citizenPersonId(ring, nir), expected);
  // With or without key, with separators.
  assert.equal(citizenPersonId(ring, nir.slice(0, 13)), expected);
  assert.equal(
    citizenPersonId(ring, `${nir.slice(0, 1)} ${nir.slice(1, 3)} ${nir.slice(3)}`),
    expected,
  );
  // After a rotation, the id follows the chain.
  const v2 = ring.withPlatformKeyVersion(2);
  assert.equal(citizenPersonId(v2, nir), rotatePersonId(v2.platformKey(2), expected));
});

test('an invalid NIR is refused without being echoed', () => {
  const bad = nir.slice(0, 13) + '00';
  assert.throws(
    () => citizenPersonId(ring, bad),
    (e: unknown) =>
      e instanceof HygieError && e.code === 'HYG_INVALID_NIR' && !e.message.includes(bad),
  );
});

test('the store file holds the person id only, never the NIR', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hygie-gov-'));
  try {
    const store = await openGovernanceStore({
      kind: 'sqlite',
      file: join(dir, 'governance.sqlite'),
    });
    await store.migrate();
    const personId = citizenPersonId(ring, nir);
    await store.optOuts.optOut({ userId: null, roles: ['citizen'] }, personId);
    assert.deepEqual(await store.optOuts.listActivePersonIds(), [personId]);
    await store.close();
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, name));
      assert.ok(!bytes.includes(Buffer.from(nir.slice(0, 13))), `NIR in ${name}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('key rotation moves the stored person ids one version on, once', async () => {
  const { store } = await memoryStore();
  try {
    const id1 = citizenPersonId(ring, nir);
    await store.optOuts.optOut(SYSTEM_ACTOR, id1);
    assert.equal(await store.optOuts.platformKeyVersion(), 1);
    const v2 = ring.withPlatformKeyVersion(2);
    await assert.rejects(
      store.optOuts.rotatePersonIds(SYSTEM_ACTOR, v2.platformKey(2), 3),
      (e: unknown) => e instanceof HygieError && e.details.reason === 'key-version-mismatch',
    );
    await assert.rejects(
      store.optOuts.rotatePersonIds({ userId: 'x', roles: ['researcher'] }, v2.platformKey(2), 2),
      (e: unknown) => e instanceof HygieError && e.code === 'HYG_FORBIDDEN',
    );
    assert.equal(await store.optOuts.rotatePersonIds(SYSTEM_ACTOR, v2.platformKey(2), 2), 1);
    assert.equal(await store.optOuts.platformKeyVersion(), 2);
    assert.equal(await store.optOuts.isOptedOut(citizenPersonId(v2, nir)), true);
    assert.equal(await store.optOuts.isOptedOut(id1), false);
  } finally {
    await store.close();
  }
});
