/**
 * `hygie ingest` and `hygie keys rotate` as real processes: a small extract ingested with a key
 * file, the summary table, the no-op on re-ingestion, a rotation, and clear errors.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/hygie.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hygie-ingest-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function hygie(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('ingest a synthetic extract, re-ingest it (no-op), rotate the key, ingest FHIR under the new key', () => {
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
  const rotate = hygie('keys', 'rotate', '--key-file', key, '--data-dir', data);
  assert.equal(rotate.status, 0, rotate.stderr);
  assert.match(rotate.stdout, /version 1 → 2/);
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
