import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HygieError, MerkleFrontier, merkleRoot } from '../src/index.js';
import { leaves, mth } from './transparency-helpers.js';

const hex = (b: Buffer): string => b.toString('hex');

function popcount(n: number): number {
  let c = 0;
  for (let x = n; x > 0; x = Math.floor(x / 2)) c += x % 2;
  return c;
}

test('frontier roots equal the Merkle Tree Hash for 0..70 leaves; completed nodes are exact', () => {
  const hs = leaves(70);
  const f = new MerkleFrontier();
  assert.equal(hex(f.root()), hex(mth([])));
  let nodes = 0;
  for (let n = 1; n <= 70; n++) {
    const completed = f.append(hs[n - 1] as Buffer);
    assert.deepEqual(completed[0], { level: 0, index: n - 1, hash: hs[n - 1] });
    for (const node of completed) {
      const width = 2 ** node.level;
      assert.equal(
        hex(node.hash),
        hex(mth(hs.slice(node.index * width, (node.index + 1) * width))),
        `node ${node.level}/${node.index}`,
      );
      assert.ok((node.index + 1) * width <= n, 'completed nodes lie inside the tree');
    }
    nodes += completed.length;
    assert.equal(f.size, n);
    assert.equal(hex(f.root()), hex(mth(hs.slice(0, n))), `size ${n}`);
    assert.equal(hex(f.root()), hex(merkleRoot(hs.slice(0, n))));
    // One peak per set bit; 2n − popcount(n) perfect nodes in all.
    assert.equal(f.peaks().length, popcount(n));
    assert.equal(nodes, 2 * n - popcount(n));
  }
});

test('a frontier resumes from stored nodes and goes on as if never stopped', () => {
  const hs = leaves(70);
  const stored = new Map<string, Buffer>();
  const f = new MerkleFrontier();
  const roots: string[] = [hex(f.root())];
  for (const h of hs) {
    for (const node of f.append(h)) stored.set(`${node.level}/${node.index}`, node.hash);
    roots.push(hex(f.root()));
  }
  for (let size = 0; size <= 70; size++) {
    let lookups = 0;
    const resumed = MerkleFrontier.fromNodes(size, (level, index) => {
      lookups++;
      const h = stored.get(`${level}/${index}`);
      assert.ok(h, `asked for ${level}/${index}`);
      return h;
    });
    assert.equal(lookups, popcount(size));
    assert.equal(resumed.size, size);
    assert.equal(hex(resumed.root()), roots[size]);
    for (let i = size; i < Math.min(size + 5, 70); i++) {
      resumed.append(hs[i] as Buffer);
      assert.equal(hex(resumed.root()), roots[i + 1], `resume at ${size}, size ${i + 1}`);
    }
  }
  assert.throws(() => MerkleFrontier.fromNodes(-1, () => Buffer.alloc(32)), HygieError);
  assert.throws(() => MerkleFrontier.fromNodes(3, () => Buffer.alloc(3)), HygieError);
});

test('clone is independent; append refuses what is not a 32-byte hash', () => {
  const hs = leaves(5);
  const f = new MerkleFrontier();
  hs.slice(0, 3).forEach((h) => f.append(h));
  const c = f.clone();
  f.append(hs[3] as Buffer);
  assert.equal(c.size, 3);
  assert.equal(hex(c.root()), hex(mth(hs.slice(0, 3))));
  assert.throws(() => f.append(Buffer.alloc(31)), HygieError);
});
