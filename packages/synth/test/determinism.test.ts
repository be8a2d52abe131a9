import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generate, sha256 } from './helpers.js';

test('the same arguments give byte-identical files, whatever the threads and work-unit size', async () => {
  const a = await generate({ persons: 1500, workers: 0, chunkSize: 1000 });
  const b = await generate({ persons: 1500, workers: 2, chunkSize: 170 });
  const c = await generate({ persons: 1500, workers: 2, seed: 'another seed' });
  try {
    const files = [...a.summary.files.map((f) => f.path), 'ground-truth.json', 'manifest.json'];
    assert.ok(files.length > 20);
    for (const f of files)
      assert.equal(sha256(join(a.dir, f)), sha256(join(b.dir, f)), `${f} differs`);
    assert.notEqual(
      sha256(join(a.dir, 'snds/IR_BEN_R.csv')),
      sha256(join(c.dir, 'snds/IR_BEN_R.csv')),
    );
    assert.equal(a.summary.persons, b.summary.persons);
  } finally {
    a.cleanup();
    b.cleanup();
    c.cleanup();
  }
});
