import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPTY_ROOT,
  HygieError,
  consistencyProof,
  consistencyProofSync,
  inclusionProof,
  inclusionProofSync,
  largestPowerOfTwoBelow,
  leafHash,
  merkleRoot,
  nodeHash,
  subtreeRoot,
  subtreeRootSync,
  verifyConsistency,
  verifyInclusion,
} from '../src/index.js';
import {
  L,
  N,
  datum,
  flip,
  leaves,
  memorySource,
  mth,
  path,
  sha256,
  subproof,
} from './transparency-helpers.js';

const hex = (b: Buffer): string => b.toString('hex');

/** Which side each sibling of PATH(m, D[n]) is on, bottom-up (RFC recursion). */
function sides(m: number, n: number): string[] {
  if (n <= 1) return [];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return m < k ? [...sides(m, k), 'R'] : [...sides(m - k, n - k), 'L'];
}

test('leaf and node hashes carry the RFC 9162 domain prefixes; the empty root is SHA-256("")', () => {
  assert.equal(
    hex(leafHash(Buffer.from('abc'))),
    hex(sha256(Buffer.from([0]), Buffer.from('abc'))),
  );
  const a = L(datum(0));
  const b = L(datum(1));
  assert.equal(hex(nodeHash(a, b)), hex(sha256(Buffer.from([1]), a, b)));
  assert.equal(hex(EMPTY_ROOT), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(hex(merkleRoot([])), hex(EMPTY_ROOT));
});

test('largestPowerOfTwoBelow is k with k < n ≤ 2k', () => {
  const expected: Record<number, number> = { 2: 1, 3: 2, 4: 2, 5: 4, 8: 4, 9: 8, 16: 8, 17: 16 };
  for (const [n, k] of Object.entries(expected)) assert.equal(largestPowerOfTwoBelow(Number(n)), k);
  assert.equal(largestPowerOfTwoBelow(2 ** 40 + 1), 2 ** 40);
  assert.throws(() => largestPowerOfTwoBelow(1), HygieError);
  assert.throws(() => largestPowerOfTwoBelow(0), HygieError);
});

test('merkleRoot matches trees composed by hand for 1..8 leaves', () => {
  const [h0, h1, h2, h3, h4, h5, h6, h7] = leaves(8) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  const expected = [
    h0,
    N(h0, h1),
    N(N(h0, h1), h2),
    N(N(h0, h1), N(h2, h3)),
    N(N(N(h0, h1), N(h2, h3)), h4),
    N(N(N(h0, h1), N(h2, h3)), N(h4, h5)),
    N(N(N(h0, h1), N(h2, h3)), N(N(h4, h5), h6)),
    N(N(N(h0, h1), N(h2, h3)), N(N(h4, h5), N(h6, h7))),
  ];
  const hs = leaves(8);
  expected.forEach((root, i) =>
    assert.equal(hex(merkleRoot(hs.slice(0, i + 1))), hex(root), `size ${i + 1}`),
  );
});

test('merkleRoot reproduces the Certificate Transparency reference test vectors', () => {
  // The 8 leaves and roots of the RFC 6962 reference implementations' Merkle tests.
  const data = [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ];
  const roots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];
  const hs = data.map((d) => leafHash(Buffer.from(d, 'hex')));
  roots.forEach((r, i) => assert.equal(hex(merkleRoot(hs.slice(0, i + 1))), r, `size ${i + 1}`));
});

test('subtreeRoot computes any range from perfect aligned pieces, O(log n) of them when aligned', async () => {
  const hs = leaves(37);
  for (let start = 0; start < 37; start++) {
    for (let end = start + 1; end <= 37; end++) {
      const src = memorySource(hs);
      const expected = hex(mth(hs.slice(start, end)));
      assert.equal(hex(subtreeRootSync(src, start, end)), expected, `[${start},${end})`);
      assert.equal(hex(await subtreeRoot(src, start, end)), expected);
    }
  }
  const src = memorySource(leaves(1000));
  subtreeRootSync(src, 0, 1000);
  assert.equal(src.calls, 6); // 1000 = 512 + 256 + 128 + 64 + 32 + 8
  assert.throws(() => subtreeRootSync(src, 3, 3), HygieError);
  assert.throws(() => subtreeRootSync(src, -1, 3), HygieError);
});

test('every inclusion proof for sizes 1..16 is the RFC PATH and verifies; tampering fails', async () => {
  for (let n = 1; n <= 16; n++) {
    const hs = leaves(n);
    const root = mth(hs);
    for (let m = 0; m < n; m++) {
      const leaf = hs[m] as Buffer;
      const proof = inclusionProofSync(memorySource(hs), m, n);
      assert.deepEqual(proof.map(hex), path(m, hs).map(hex), `PATH(${m}, ${n})`);
      assert.deepEqual((await inclusionProof(memorySource(hs), m, n)).map(hex), proof.map(hex));
      assert.ok(verifyInclusion(leaf, m, n, proof, root), `verify ${m}/${n}`);

      assert.ok(!verifyInclusion(flip(leaf), m, n, proof, root), 'tampered leaf');
      assert.ok(!verifyInclusion(leaf, m, n, proof, flip(root)), 'tampered root');
      for (let i = 0; i < proof.length; i++) {
        const bad = proof.slice();
        bad[i] = flip(bad[i] as Buffer);
        assert.ok(!verifyInclusion(leaf, m, n, bad, root), `tampered proof[${i}] ${m}/${n}`);
      }
      for (let other = 0; other < n; other++) {
        if (other !== m) assert.ok(!verifyInclusion(leaf, other, n, proof, root), `index ${other}`);
      }
      // Another size fails unless its audit path has exactly the same shape (sibling sides):
      // the hashes alone cannot tell those sizes apart, which is why a tree head signs its size.
      for (let size = m + 1; size <= 32; size++) {
        if (size === n) continue;
        const same = sides(m, size).join() === sides(m, n).join();
        assert.equal(
          verifyInclusion(leaf, m, size, proof, root),
          same,
          `size ${size} for ${m}/${n}`,
        );
      }
      assert.ok(!verifyInclusion(leaf, m, n, [...proof, leaf], root), 'proof too long');
      if (proof.length > 0)
        assert.ok(!verifyInclusion(leaf, m, n, proof.slice(1), root), 'too short');
      assert.ok(!verifyInclusion(leaf, -1, n, proof, root));
      assert.ok(!verifyInclusion(leaf, n, n, proof, root));
    }
  }
  assert.throws(() => inclusionProofSync(memorySource(leaves(4)), 4, 4), HygieError);
});

test('every consistency proof for 1 ≤ m ≤ n ≤ 16 is the RFC PROOF and verifies; forks fail', async () => {
  // A second history that differs from the first at every leaf: same sizes, other roots.
  const forked = leaves(16, (i) => Buffer.from(`forked ${i}`));
  for (let n = 1; n <= 16; n++) {
    const hs = leaves(n);
    const newRoot = mth(hs);
    for (let m = 1; m <= n; m++) {
      const oldRoot = mth(hs.slice(0, m));
      const proof = consistencyProofSync(memorySource(hs), m, n);
      assert.deepEqual(proof.map(hex), subproof(m, hs, true).map(hex), `PROOF(${m}, ${n})`);
      assert.deepEqual((await consistencyProof(memorySource(hs), m, n)).map(hex), proof.map(hex));
      assert.ok(verifyConsistency(m, n, oldRoot, newRoot, proof), `verify ${m}→${n}`);

      // A fork: the same size m, a different root.
      const forkRoot = mth([...forked.slice(0, m - 1), L(Buffer.from('other'))]);
      assert.ok(!verifyConsistency(m, n, forkRoot, newRoot, proof), `fork ${m}→${n}`);
      assert.ok(!verifyConsistency(m, n, oldRoot, flip(newRoot), proof), `new root ${m}→${n}`);
      for (let i = 0; i < proof.length; i++) {
        const bad = proof.slice();
        bad[i] = flip(bad[i] as Buffer);
        assert.ok(!verifyConsistency(m, n, oldRoot, newRoot, bad), `proof[${i}] ${m}→${n}`);
      }
      if (m < n) {
        assert.ok(!verifyConsistency(m, n, oldRoot, newRoot, []), 'empty proof');
        assert.ok(!verifyConsistency(m, n, oldRoot, newRoot, [...proof, oldRoot]), 'too long');
        assert.ok(!verifyConsistency(m, n, oldRoot, newRoot, proof.slice(0, -1)), 'too short');
        for (let size = m + 1; size <= 32; size++) {
          if (size !== n && subproof(m, leaves(size), true).length !== proof.length) {
            assert.ok(!verifyConsistency(m, size, oldRoot, newRoot, proof), `size ${size}`);
          }
        }
      }
      // m > n never holds, whatever the proof.
      assert.ok(!verifyConsistency(n + 1, m, newRoot, oldRoot, proof), `${n + 1}→${m}`);
    }
  }
  assert.throws(() => consistencyProofSync(memorySource(leaves(4)), 5, 4), HygieError);
  assert.throws(() => consistencyProofSync(memorySource(leaves(4)), 0, 4), HygieError);
  assert.ok(verifyConsistency(0, 4, EMPTY_ROOT, mth(leaves(4)), []));
  assert.ok(!verifyConsistency(0, 4, mth(leaves(1)), mth(leaves(4)), []));
});

test('proofs come from O(log n) subtree lookups', () => {
  const hs = leaves(1000);
  const src = memorySource(hs);
  const root = mth(hs);
  for (const m of [0, 1, 511, 512, 777, 999]) {
    src.calls = 0;
    const proof = inclusionProofSync(src, m, 1000);
    assert.ok(src.calls <= 2 * 10, `${src.calls} lookups`);
    assert.ok(verifyInclusion(hs[m] as Buffer, m, 1000, proof, root));
  }
  src.calls = 0;
  const proof = consistencyProofSync(src, 300, 1000);
  assert.ok(src.calls <= 2 * 10, `${src.calls} lookups`);
  assert.ok(verifyConsistency(300, 1000, mth(hs.slice(0, 300)), root, proof));
});
