import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { isHygieError } from '@hygie/core';
import { openDuckDbWarehouse } from '../src/index.js';
import { WAREHOUSE_INDEX_URL, tempDir } from './warehouse-test-helpers.js';

const tmp = tempDir('hygie-lock-');
after(() => tmp.cleanup());

/** A child process that opens the warehouse read-write and holds it until its stdin closes. */
const HOLDER = `
import { openDuckDbWarehouse } from ${JSON.stringify(WAREHOUSE_INDEX_URL)};
const engine = await openDuckDbWarehouse({ dataDir: process.env.WAREHOUSE_DIR });
await engine.execute('CREATE TABLE IF NOT EXISTS held (x INTEGER)');
process.stdout.write('READY\\n');
process.stdin.resume();
process.stdin.on('end', async () => { await engine.close(); process.exit(0); });
`;

test('a second read-write open from another process gets HYG_WAREHOUSE_LOCKED', async () => {
  const dataDir = join(tmp.dir, 'data');
  const child = spawn(process.execPath, ['--input-type=module', '-e', HOLDER], {
    env: { ...process.env, WAREHOUSE_DIR: dataDir },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: string) => {
        out += d;
        if (out.includes('READY')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`holder exited early (${String(code)})`)));
    });

    await assert.rejects(openDuckDbWarehouse({ dataDir }), (e) => {
      assert.ok(isHygieError(e, 'HYG_WAREHOUSE_LOCKED'), String(e));
      assert.equal(e.status, 409);
      assert.equal(e.details['pid'], child.pid);
      assert.match(e.message, /locked by another process \(PID \d+\)/);
      assert.match(e.message, /server owns the warehouse/);
      assert.match(e.message, /through its API, or open the warehouse read-only/);
      return true;
    });
    // DuckDB gives a writer exclusive access: even a reader is turned away, with advice to match.
    await assert.rejects(
      openDuckDbWarehouse({ dataDir, readOnly: true }),
      (e) => isHygieError(e, 'HYG_WAREHOUSE_LOCKED') && /go through its API/.test(e.message),
    );
  } finally {
    child.stdin.end();
    if (child.exitCode === null) await once(child, 'exit');
  }

  // Once the holder is gone, the warehouse opens and holds what it wrote.
  const engine = await openDuckDbWarehouse({ dataDir });
  assert.deepEqual(await engine.query('SELECT count(*) AS n FROM held'), [{ n: 0 }]);
  await engine.close();
});
