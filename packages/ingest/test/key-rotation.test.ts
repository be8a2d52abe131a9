/**
 * Key rotation: every person id moves to the next platform key version in one transaction, no
 * link is lost (later sources still find their persons), and keys of the old version are refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KeyLabels,
  NIR_KIND,
  deriveKey,
  isHygieError,
  platformIdentity,
  sourcePseudonym,
} from '@hygie/core';
import type { WarehouseEngine } from '@hygie/warehouse';
import {
  createFhirConnector,
  createSndsConnector,
  rotatePersonIds,
  runBatch,
  warehouseKeyVersion,
} from '../src/index.js';
import {
  TEST_MASTER,
  cdmCounts,
  freshWarehouse,
  syntheticExtract,
  testKeys,
} from './ingest-helpers.js';

let engine: WarehouseEngine;
let extract: { dir: string; cleanup: () => void };
before(async () => {
  engine = await freshWarehouse();
  extract = await syntheticExtract({ persons: 300, format: 'both', seed: 'rotation' });
  const r = await runBatch(engine, testKeys(1), {
    connector: createSndsConnector(),
    paths: [join(extract.dir, 'snds')],
  });
  assert.equal(r.status, 'published');
});
after(async () => {
  await engine.close();
  extract.cleanup();
});

function personIdOf(nir: string, version: number): bigint {
  const p1 = sourcePseudonym(deriveKey(TEST_MASTER, KeyLabels.sourceNir), nir.slice(0, 13));
  const keys = Array.from({ length: version }, (_, i) =>
    deriveKey(TEST_MASTER, KeyLabels.platform(i + 1)),
  );
  return platformIdentity(keys, NIR_KIND, p1).personId;
}

test('rotation moves every person id to the next key version, in every table, atomically', async () => {
  const nir =
    (readFileSync(join(extract.dir, 'snds', 'IR_BEN_R.csv'), 'utf8').split('\n')[1] ?? '').split(
      ';',
    )[0] ?? '';
  const has = async (id: bigint): Promise<boolean> =>
    (await engine.query('SELECT 1 FROM person WHERE person_id = $1', [id])).length === 1;
  assert.ok(await has(personIdOf(nir, 1)));
  const before = await cdmCounts(engine);
  assert.equal(await warehouseKeyVersion(engine), 1);
  const r = await rotatePersonIds(
    engine,
    testKeys().keyId,
    2,
    deriveKey(TEST_MASTER, KeyLabels.platform(2)),
  );
  assert.equal(r.persons, before.person);
  assert.deepEqual(await cdmCounts(engine), before);
  assert.equal(await warehouseKeyVersion(engine), 2);
  assert.ok(!(await has(personIdOf(nir, 1))), 'the old id is gone');
  assert.ok(
    await has(personIdOf(nir, 2)),
    'the id under version 2 is the chain of the documented derivation',
  );
  // No event was left pointing at an old id.
  for (const t of [
    'visit_occurrence',
    'drug_exposure',
    'condition_occurrence',
    'death',
    'observation_period',
    'hygie_person_identity',
  ]) {
    const [o] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM ${t} WHERE person_id NOT IN (SELECT person_id FROM person)`,
    );
    assert.equal(Number(o?.n), 0, t);
  }
});

test('after rotation, keys of the old version are refused and the new version still links sources', async () => {
  await assert.rejects(
    runBatch(engine, testKeys(1), {
      connector: createFhirConnector(),
      paths: [join(extract.dir, 'fhir')],
    }),
    (e) => isHygieError(e, 'HYG_KEY_ERROR'),
  );
  const persons = (await cdmCounts(engine)).person;
  const r = await runBatch(engine, testKeys(2), {
    connector: createFhirConnector(),
    paths: [join(extract.dir, 'fhir')],
  });
  assert.equal(r.status, 'published');
  assert.equal(
    (await cdmCounts(engine)).person,
    persons,
    'FHIR patients found their SNDS persons under the new key',
  );
});
