/**
 * The `hygie` command, run as a real process: help, argument errors named and non-zero, a small
 * synthetic run, warehouse init and status.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS } from '@hygie/warehouse';

const BIN = fileURLToPath(new URL('../../bin/hygie.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hygie-cli-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function hygie(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--help lists the commands', () => {
  const r = hygie('--help');
  assert.equal(r.status, 0);
  for (const c of ['demo', 'synth', 'warehouse']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
  assert.match(hygie('synth', '--help').stdout, /--persons <n>/);
});

test('bad arguments get a message naming the argument and a non-zero exit', () => {
  const a = hygie('synth', '--persons', 'many', '--out', join(tmp, 'x'));
  assert.notEqual(a.status, 0);
  assert.match(a.stderr, /--persons/);
  const b = hygie('synth', '--format', 'xml', '--out', join(tmp, 'x'));
  assert.notEqual(b.status, 0);
  assert.match(b.stderr, /--format/);
  const c = hygie(
    'synth',
    '--persons',
    '10',
    '--from',
    '2024',
    '--to',
    '2020',
    '--out',
    join(tmp, 'x'),
  );
  assert.notEqual(c.status, 0);
  assert.match(c.stderr, /--to/);
  const d = hygie('synth', '--persons', '10');
  assert.notEqual(d.status, 0);
  assert.match(d.stderr, /--out/);
  assert.notEqual(hygie('frobnicate').status, 0);
});

test('synth writes the extract and its ground truth', () => {
  const out = join(tmp, 'synth');
  const r = hygie(
    'synth',
    '--persons',
    '300',
    '--format',
    'both',
    '--seed',
    'cli',
    '--out',
    out,
    '--quiet',
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /persons 3\d\d/);
  for (const f of [
    'snds/IR_BEN_R.csv',
    'snds/ER_PRS_F.csv',
    'snds/T_MCO24B.csv',
    'fhir/Patient.ndjson',
    'ground-truth.json',
    'manifest.json',
  ]) {
    assert.ok(existsSync(join(out, f)), f);
  }
});

test('warehouse init creates the schema and loads the vocabularies; status reports counts', () => {
  const dataDir = join(tmp, 'data');
  const init = hygie('warehouse', 'init', '--data-dir', dataDir);
  assert.equal(init.status, 0, init.stderr);
  assert.match(init.stdout, new RegExp(`schema version ${MIGRATIONS.length}`));
  const status = hygie('warehouse', 'status', '--data-dir', dataDir, '--json');
  assert.equal(status.status, 0, status.stderr);
  const s = JSON.parse(status.stdout) as {
    schemaVersion: number;
    tables: { table: string; rows: number }[];
  };
  assert.equal(s.schemaVersion, MIGRATIONS.length);
  assert.ok((s.tables.find((t) => t.table === 'concept')?.rows ?? 0) > 30_000);
  assert.ok((s.tables.find((t) => t.table === 'concept_ancestor')?.rows ?? 0) > 100_000);
  // A second init is a no-op on the schema and keeps the vocabulary.
  const again = hygie('warehouse', 'init', '--data-dir', dataDir);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /0 migration\(s\) applied/);
});
