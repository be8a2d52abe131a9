import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, cumulative } from '../src/index.js';

test('Rng is deterministic per labels and differs across labels', () => {
  const a = Rng.from('seed', 1);
  const b = Rng.from('seed', 1);
  const c = Rng.from('seed', 2);
  const sa = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(
    sa,
    Array.from({ length: 5 }, () => b.next()),
  );
  assert.notDeepEqual(
    sa,
    Array.from({ length: 5 }, () => c.next()),
  );
});

test('Rng draws have the expected moments', () => {
  const r = Rng.from('moments');
  const n = 200_000;
  let s = 0;
  let s2 = 0;
  let p = 0;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    s += x;
    s2 += x * x;
    p += r.poisson(3.5);
  }
  assert.ok(Math.abs(s / n) < 0.01);
  assert.ok(Math.abs(s2 / n - 1) < 0.02);
  assert.ok(Math.abs(p / n - 3.5) < 0.03);
  const cum = cumulative([1, 0, 3]);
  const counts = [0, 0, 0];
  for (let i = 0; i < 40_000; i++) counts[r.weightedIndex(cum)]! += 1;
  assert.equal(counts[1], 0);
  assert.ok(Math.abs((counts[2] as number) / 40_000 - 0.75) < 0.01);
});
