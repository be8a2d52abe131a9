/**
 * `hygie surveillance` as a real process on a fresh warehouse: a run computes every series (zero
 * cases), alerts and series read back what it stored, and bad arguments are named.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { governanceSqliteFile, openGovernanceStore } from '@hygie/governance';

const BIN = fileURLToPath(new URL('../../bin/hygie.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hygie-surveillance-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function hygie(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The `surveillance.run` events of the data directory's audit trail, oldest first. */
async function runEvents(
  data: string,
): Promise<
  { actorRole: string | null; decision: string; reason: string | null; targetId: string | null }[]
> {
  const store = await openGovernanceStore({ kind: 'sqlite', file: governanceSqliteFile(data) });
  try {
    return await store.audit.list({ action: 'surveillance.run' });
  } finally {
    await store.close();
  }
}

test('surveillance run, alerts and series on a data directory', async () => {
  const data = join(tmp, 'data');
  const init = hygie('warehouse', 'init', '--data-dir', data);
  assert.equal(init.status, 0, init.stderr);
  const none = hygie('surveillance', 'alerts', '--data-dir', data);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no completed surveillance run/);

  const run = hygie(
    'surveillance',
    'run',
    '--data-dir',
    data,
    '--from',
    '2023-01-02',
    '--to',
    '2024-12-29',
    '--syndromes',
    'influenza',
    '-q',
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /48 series, .* values, .* detection results, 0 alarms/);
  // The run is in the audit trail (and so the transparency log), as the operator's.
  const runId = /Run ([0-9a-f-]+):/.exec(run.stdout)?.[1];
  const recorded = await runEvents(data);
  assert.equal(recorded.length, 1);
  assert.equal(recorded[0]?.actorRole, 'operator');
  assert.equal(recorded[0]?.decision, 'allow');
  assert.equal(recorded[0]?.targetId, runId);

  const alerts = hygie('surveillance', 'alerts', '--data-dir', data, '--all', '--json');
  assert.equal(alerts.status, 0, alerts.stderr);
  const parsed = JSON.parse(alerts.stdout) as {
    run: { status: string };
    alerts: { alarm: boolean }[];
  };
  assert.equal(parsed.run.status, 'completed');
  assert.ok(parsed.alerts.every((a) => !a.alarm));

  const series = hygie(
    'surveillance',
    'series',
    '--data-dir',
    data,
    '--indicator',
    'influenza',
    '--from',
    '2024-W51',
    '--json',
  );
  assert.equal(series.status, 0, series.stderr);
  const values = JSON.parse(series.stdout) as { area: string; period: string; cases: number }[];
  assert.deepEqual(
    values.map((v) => [v.area, v.period, v.cases]),
    [
      ['FR', '2024-W51', 0],
      ['FR', '2024-W52', 0],
    ],
  );

  const bad = hygie(
    'surveillance',
    'run',
    '--data-dir',
    data,
    '--from',
    '2024/01/01',
    '--to',
    '2024-12-29',
  );
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /YYYY-MM-DD/);

  // A run that fails is recorded too, with its error code.
  const unknown = hygie(
    'surveillance',
    'run',
    '--data-dir',
    data,
    '--from',
    '2024-01-01',
    '--to',
    '2024-12-29',
    '--syndromes',
    'plague',
    '-q',
  );
  assert.equal(unknown.status, 2, 'an invalid argument');
  assert.match(unknown.stderr, /unknown syndrome plague/);
  const after2 = await runEvents(data);
  assert.equal(after2.length, 2);
  assert.equal(after2[1]?.decision, 'error');
  assert.equal(after2[1]?.reason, 'HYG_INVALID_ARGUMENT');
});
