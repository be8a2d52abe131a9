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

test('surveillance run, alerts and series on a data directory', () => {
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
  assert.match(run.stdout, /21 series, .* values, .* detection results, 0 alarms/);

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
});
