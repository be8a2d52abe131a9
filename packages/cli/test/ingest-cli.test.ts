/**
 * `hygie ingest` and `hygie keys rotate` as real processes: a small extract ingested with a key
 * file, the summary table, the no-op on re-ingestion, a rotation, and clear errors.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_ACTOR } from '@hygie/core';
import { citizenPersonId, governanceSqliteFile, openGovernanceStore } from '@hygie/governance';
import { readKeyFile } from '@hygie/keys';
import { openDuckDbWarehouse } from '@hygie/warehouse';

const BIN = fileURLToPath(new URL('../../bin/hygie.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hygie-ingest-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function hygie(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The NIR of the first patient of a synthetic FHIR export. */
function firstNir(fhirDir: string): string {
  const line = readFileSync(join(fhirDir, 'Patient.ndjson'), 'utf8').split('\n')[0] ?? '';
  const p = JSON.parse(line) as { identifier: { value: string }[] };
  const nir = p.identifier[0]?.value;
  assert.ok(nir);
  return nir;
}

/** Whether the warehouse of `dataDir` has a person with this id. */
async function personExists(dataDir: string, personId: bigint): Promise<boolean> {
  const engine = await openDuckDbWarehouse({ dataDir, readOnly: true });
  try {
    const rows = await engine.query('SELECT count(*) AS n FROM person WHERE person_id = $1', [
      personId,
    ]);
    return Number(rows[0]?.['n']) === 1;
  } finally {
    await engine.close();
  }
}

test('ingest a synthetic extract, re-ingest it (no-op), rotate the key with the opt-outs, ingest FHIR under the new key', async () => {
  const src = join(tmp, 'src');
  const data = join(tmp, 'data');
  const key = join(tmp, 'keys', 'master.key');
  assert.equal(
    hygie(
      'synth',
      '--persons',
      '300',
      '--from',
      '2023',
      '--to',
      '2024',
      '--format',
      'both',
      '--out',
      src,
      '-q',
    ).status,
    0,
  );
  assert.equal(hygie('keys', 'init', '--key-file', key, '--data-dir', data).status, 0);
  const first = hygie(
    'ingest',
    '--format',
    'snds',
    join(src, 'snds'),
    '--data-dir',
    data,
    '--key-file',
    key,
    '-q',
  );
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /PUBLISHED/);
  assert.match(first.stdout, /IR_BEN_R\s+3\d\d\s+3\d\d\s+0/);
  const again = hygie(
    'ingest',
    '--format',
    'snds',
    join(src, 'snds'),
    '--data-dir',
    data,
    '--key-file',
    key,
    '-q',
  );
  assert.equal(again.status, 0);
  assert.match(again.stdout, /Already ingested/);
  // Residence is resolved: the reference locations were loaded with the schema.
  {
    const engine = await openDuckDbWarehouse({ dataDir: data, readOnly: true });
    try {
      const [r] = await engine.query<{ n: number; located: number }>(
        `SELECT count(*) AS n, count(l.county) AS located
         FROM person p LEFT JOIN location l ON l.location_id = p.location_id`,
      );
      assert.ok(Number(r?.n) > 0);
      assert.ok(
        Number(r?.located) >= 0.95 * Number(r?.n),
        `${String(r?.located)} of ${String(r?.n)} located`,
      );
    } finally {
      await engine.close();
    }
  }
  // A citizen of the extract opts out before the rotation.
  const nir = firstNir(join(src, 'fhir'));
  const v1 = citizenPersonId(readKeyFile(key), nir);
  assert.ok(await personExists(data, v1));
  const store = await openGovernanceStore({ kind: 'sqlite', file: governanceSqliteFile(data) });
  await store.migrate();
  await store.optOuts.optOut(SYSTEM_ACTOR, v1);
  await store.close();
  const rotate = hygie('keys', 'rotate', '--key-file', key, '--data-dir', data);
  assert.equal(rotate.status, 0, rotate.stderr);
  assert.match(rotate.stdout, /version 1 → 2/);
  assert.match(rotate.stdout, /Opt-outs re-pseudonymised: 1 records/);
  // After the rotation the opt-out still names the same warehouse person, under its new id.
  const v2 = citizenPersonId(readKeyFile(key), nir);
  assert.notEqual(v2, v1);
  assert.ok(await personExists(data, v2));
  const after2 = await openGovernanceStore({ kind: 'sqlite', file: governanceSqliteFile(data) });
  assert.deepEqual(await after2.optOuts.listActivePersonIds('research'), [v2]);
  assert.equal(await after2.optOuts.platformKeyVersion(), 2);
  // The rotation is in the audit trail (and so in the transparency log), by the operator.
  const [rotation] = await after2.audit.list({ action: 'key.rotate' });
  assert.equal(rotation?.decision, 'allow');
  assert.equal(rotation?.actorRole, 'operator');
  assert.equal(rotation?.details['platformKeyVersion'], 2);
  await after2.close();
  // A failed key operation is recorded too: rotating with a key of another platform.
  const stranger = join(tmp, 'stranger.key');
  assert.equal(hygie('keys', 'init', '--key-file', stranger, '--data-dir', data).status, 0);
  assert.notEqual(hygie('keys', 'rotate', '--key-file', stranger, '--data-dir', data).status, 0);
  const after3 = await openGovernanceStore({ kind: 'sqlite', file: governanceSqliteFile(data) });
  assert.deepEqual(
    (await after3.audit.list({ actionPrefix: 'key.' })).map((e) => `${e.action}:${e.decision}`),
    ['key.rotate:allow', 'key.init:allow', 'key.rotate:error'],
  );
  await after3.close();
  const fhir = hygie(
    'ingest',
    '--format',
    'fhir',
    join(src, 'fhir'),
    '--data-dir',
    data,
    '--key-file',
    key,
    '-q',
  );
  assert.equal(fhir.status, 0, fhir.stderr);
  assert.match(fhir.stdout, /person 0,/, 'FHIR patients linked to the persons of the SNDS extract');
  // A batch with a quarantined row and no tolerance is rejected: nothing published, exit 1.
  const bad = join(tmp, 'bad-snds');
  cpSync(join(src, 'snds'), bad, { recursive: true });
  const beneficiaries = join(bad, 'IR_BEN_R.csv');
  const lines = readFileSync(beneficiaries, 'utf8').trimEnd().split('\n');
  appendFileSync(beneficiaries, `${(lines.at(-1) ?? '').replace(/[0-9]{4}/g, 'abcd')}\n`);
  const rejected = hygie(
    'ingest',
    '--format',
    'snds',
    bad,
    '--data-dir',
    data,
    '--key-file',
    key,
    '--max-reject-rate',
    '0',
    '-q',
  );
  assert.equal(rejected.status, 1, rejected.stderr);
  assert.match(rejected.stdout, /REJECTED/);
});

test('bad invocations fail with a message naming the problem', () => {
  const none = hygie(
    'ingest',
    '--format',
    'snds',
    join(tmp, 'nowhere'),
    '--data-dir',
    join(tmp, 'd2'),
    '--key-file',
    join(tmp, 'nokey'),
  );
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /HYG_KEY_NOT_FOUND|no such file/);
  const fmt = hygie('ingest', '--format', 'csv', tmp);
  assert.notEqual(fmt.status, 0);
  assert.match(fmt.stderr, /--format/);
});
