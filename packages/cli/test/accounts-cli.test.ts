/** `hygie accounts`: the first administrator of a new platform, created from the shell. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { governanceSqliteFile, openGovernanceStore } from '@hygie/governance';

const BIN = fileURLToPath(new URL('../../bin/hygie.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hygie-accounts-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function hygie(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('accounts create prints a one-time password that logs in; list shows no secret', async () => {
  const data = join(tmp, 'data');
  const created = hygie(
    'accounts',
    'create',
    '--login',
    'operatrice',
    '--name',
    'Opératrice',
    '--roles',
    'admin',
    '--data-dir',
    data,
  );
  assert.equal(created.status, 0, created.stderr);
  const password = /Password \(shown once[^)]*\): (\S+)/.exec(created.stdout)?.[1];
  assert.ok(password);
  const store = await openGovernanceStore({ kind: 'sqlite', file: governanceSqliteFile(data) });
  const user = await store.users.verifyPassword('operatrice', password);
  assert.deepEqual(user.roles, ['admin']);
  await store.close();

  const listed = hygie('accounts', 'list', '--data-dir', data);
  assert.equal(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /^operatrice\tadmin\tactive\t[0-9a-f-]{36}$/m);
  assert.ok(!listed.stdout.includes(password));

  const dup = hygie(
    'accounts',
    'create',
    '--login',
    'operatrice',
    '--name',
    'X',
    '--roles',
    'admin',
    '--data-dir',
    data,
  );
  assert.notEqual(dup.status, 0);
  assert.match(dup.stderr, /HYG_CONFLICT/);
  const bad = hygie(
    'accounts',
    'create',
    '--login',
    'x',
    '--name',
    'X',
    '--roles',
    'superuser',
    '--data-dir',
    data,
  );
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /unknown role superuser/);
});
