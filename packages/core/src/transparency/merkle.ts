/**
 * The Merkle tree of the transparency log, as RFC 9162 (Certificate Transparency v2) §2.1 defines
 * it: leaf and node hashes with distinct prefixes (a leaf can never pass for a node), the Merkle
 * Tree Hash (MTH) of any number of leaves, audit paths (inclusion proofs) and consistency proofs,
 * and their verification by the iterative algorithms of §2.1.3.2 and §2.1.4.2.
 *
 * Proofs are generated from a `SubtreeSource` that returns hashes of *perfect aligned* subtrees
 * (2^level leaves starting at a multiple of 2^level). Every subtree a proof needs is a left-aligned
 * piece of such a decomposition, so a store that keeps those nodes serves a proof in O(log n)
 * lookups, without reading leaves.
 *
 * Sizes and indexes are JavaScript numbers; arithmetic avoids 32-bit bit operators so any safe
 * integer works.
 */
import { createHash } from 'node:crypto';
import { HygieError } from '../errors.js';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256(0x00 ‖ entry): the hash of a leaf (RFC 9162 §2.1.1). */
export function leafHash(entry: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

/** SHA-256(0x01 ‖ left ‖ right): the hash of an interior node (RFC 9162 §2.1.1). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}) = SHA-256 of the empty string: the root of the empty tree. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** Largest power of two strictly below `n` (the split point k of RFC 9162, k < n ≤ 2k); n ≥ 2. */
export function largestPowerOfTwoBelow(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'largestPowerOfTwoBelow needs an integer n ≥ 2', {
      argument: 'n',
    });
  }
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The Merkle Tree Hash of a list of leaf hashes, straight from the recursive definition of
 * RFC 9162 §2.1.1. O(n); the reference against which the incremental and stored forms are tested.
 */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Buffer {
  if (leafHashes.length === 0) return Buffer.from(EMPTY_ROOT);
  return mth(leafHashes, 0, leafHashes.length);
}

function mth(leaves: readonly Uint8Array[], start: number, end: number): Buffer {
  const n = end - start;
  if (n === 1) return Buffer.from(leaves[start] as Uint8Array);
  const k = largestPowerOfTwoBelow(n);
  return nodeHash(mth(leaves, start, start + k), mth(leaves, start + k, end));
}

/**
 * Where proofs get subtree hashes: `perfect(level, index)` is the hash of the perfect aligned
 * subtree over leaves [index·2^level, (index+1)·2^level); level 0 is the leaf hash itself.
 */
export interface SubtreeSource {
  perfect(level: number, index: number): Buffer | Promise<Buffer>;
}

/** A `SubtreeSource` that answers synchronously (a synchronous store, an in-memory tree). */
export interface SyncSubtreeSource {
  perfect(level: number, index: number): Buffer;
}

/**
 * How to compute MTH(D[start:end]) from perfect aligned subtrees: either one perfect node, or the
 * node hash of two sub-plans. Built by the RFC's own recursion, so it is correct for any range;
 * for the ranges proofs need (start aligned to the range's power-of-two ceiling) it is a right
 * comb of at most log2(n) + 1 perfect nodes.
 */
type Plan = { level: number; index: number } | readonly [Plan, Plan];

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

function log2Exact(n: number): number {
  let level = 0;
  for (let k = 1; k < n; k *= 2) level++;
  return level;
}

function plan(start: number, end: number): Plan {
  const n = end - start;
  if (isPowerOfTwo(n) && start % n === 0) return { level: log2Exact(n), index: start / n };
  const k = largestPowerOfTwoBelow(n);
  return [plan(start, start + k), plan(start + k, end)];
}

async function evaluate(src: SubtreeSource, p: Plan): Promise<Buffer> {
  if (!Array.isArray(p)) {
    const node = p as { level: number; index: number };
    return src.perfect(node.level, node.index);
  }
  const [l, r] = p as readonly [Plan, Plan];
  return nodeHash(await evaluate(src, l), await evaluate(src, r));
}

function evaluateSync(src: SyncSubtreeSource, p: Plan): Buffer {
  if (!Array.isArray(p)) {
    const node = p as { level: number; index: number };
    return src.perfect(node.level, node.index);
  }
  const [l, r] = p as readonly [Plan, Plan];
  return nodeHash(evaluateSync(src, l), evaluateSync(src, r));
}

function checkRange(start: number, end: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'subtree range must satisfy 0 ≤ start < end', {
      argument: 'range',
    });
  }
}

/** MTH of leaves [start, end) from perfect aligned pieces (O(log n) `perfect` calls when aligned). */
export async function subtreeRoot(src: SubtreeSource, start: number, end: number): Promise<Buffer> {
  checkRange(start, end);
  return evaluate(src, plan(start, end));
}

/** Synchronous `subtreeRoot`. */
export function subtreeRootSync(src: SyncSubtreeSource, start: number, end: number): Buffer {
  checkRange(start, end);
  return evaluateSync(src, plan(start, end));
}

/** A subtree [start, end) a proof carries the MTH of. */
type Range = readonly [start: number, end: number];

/**
 * The subtrees of the audit path PATH(index, D[0:treeSize]) of RFC 9162 §2.1.3.1, in proof order
 * (deepest first). Pure: a store resolves each range with `subtreeRoot`.
 */
export function inclusionProofRanges(index: number, treeSize: number): Range[] {
  if (
    !Number.isSafeInteger(index) ||
    !Number.isSafeInteger(treeSize) ||
    index < 0 ||
    index >= treeSize
  ) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'an inclusion proof needs 0 ≤ index < treeSize', {
      argument: 'index',
      index: Number.isFinite(index) ? index : null,
      treeSize: Number.isFinite(treeSize) ? treeSize : null,
    });
  }
  const out: Range[] = [];
  // PATH(m, D[start:end]) = PATH(m, D[start:start+k]) : MTH(D[start+k:end])   if m < k
  //                       = PATH(m−k, D[start+k:end]) : MTH(D[start:start+k])  otherwise;
  // iterating from the root down collects the path root-first, so it is reversed at the end.
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (index < start + k) {
      out.push([start + k, end]);
      end = start + k;
    } else {
      out.push([start, start + k]);
      start += k;
    }
  }
  return out.reverse();
}

/**
 * The subtrees of the consistency proof PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1, in proof
 * order. Needs 0 < first ≤ second; first = second gives the empty proof.
 */
export function consistencyProofRanges(first: number, second: number): Range[] {
  if (
    !Number.isSafeInteger(first) ||
    !Number.isSafeInteger(second) ||
    first < 1 ||
    first > second
  ) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'a consistency proof needs 0 < first ≤ second', {
      argument: 'first',
      first: Number.isFinite(first) ? first : null,
      second: Number.isFinite(second) ? second : null,
    });
  }
  const out: Range[] = [];
  // SUBPROOF(m, D[start:end], b): m == n → {} if b, else {MTH(D[start:end])};
  // m ≤ k → SUBPROOF(m, D[start:start+k], b) : MTH(D[start+k:end]);
  // m > k → SUBPROOF(m−k, D[start+k:end], false) : MTH(D[start:start+k]).
  // Collected root-first, reversed at the end.
  let m = first;
  let start = 0;
  let end = second;
  let b = true;
  while (m !== end - start) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m <= k) {
      out.push([start + k, end]);
      end = start + k;
    } else {
      out.push([start, start + k]);
      m -= k;
      start += k;
      b = false;
    }
  }
  if (!b) out.push([start, end]);
  return out.reverse();
}

/** The audit path of leaf `index` in the tree of `treeSize` leaves (RFC 9162 §2.1.3.1). */
export async function inclusionProof(
  src: SubtreeSource,
  index: number,
  treeSize: number,
): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const [s, e] of inclusionProofRanges(index, treeSize)) {
    out.push(await evaluate(src, plan(s, e)));
  }
  return out;
}

/** Synchronous `inclusionProof`. */
export function inclusionProofSync(
  src: SyncSubtreeSource,
  index: number,
  treeSize: number,
): Buffer[] {
  return inclusionProofRanges(index, treeSize).map(([s, e]) => evaluateSync(src, plan(s, e)));
}

/** The consistency proof between the trees of `first` and `second` leaves (RFC 9162 §2.1.4.1). */
export async function consistencyProof(
  src: SubtreeSource,
  first: number,
  second: number,
): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const [s, e] of consistencyProofRanges(first, second)) {
    out.push(await evaluate(src, plan(s, e)));
  }
  return out;
}

/** Synchronous `consistencyProof`. */
export function consistencyProofSync(
  src: SyncSubtreeSource,
  first: number,
  second: number,
): Buffer[] {
  return consistencyProofRanges(first, second).map(([s, e]) => evaluateSync(src, plan(s, e)));
}

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

function validHashes(...hs: readonly Uint8Array[]): boolean {
  return hs.every((h) => h instanceof Uint8Array && h.length === 32);
}

/**
 * Verifies an audit path (RFC 9162 §2.1.3.2): true when `proof` proves that `leafHash` is leaf
 * `index` of the tree of `treeSize` leaves whose root is `root`. Never throws on bad input.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize)) return false;
  if (index < 0 || index >= treeSize) return false;
  if (!validHashes(leafHash, root, ...proof)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && sameHash(r, root);
}

/**
 * Verifies a consistency proof (RFC 9162 §2.1.4.2): true when `proof` proves that the tree of
 * `first` leaves with root `firstRoot` is a prefix of the tree of `second` leaves with root
 * `secondRoot`. first = second holds with the empty proof and equal roots; first = 0 (the empty
 * tree, a prefix of every tree) holds with the empty proof and `firstRoot` = EMPTY_ROOT; first >
 * second never holds. Never throws on bad input.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second)) return false;
  if (first < 0 || first > second) return false;
  if (!validHashes(firstRoot, secondRoot, ...proof)) return false;
  if (first === 0) return proof.length === 0 && sameHash(firstRoot, EMPTY_ROOT);
  if (first === second) return proof.length === 0 && sameHash(firstRoot, secondRoot);
  // 1. An empty path proves nothing between two different sizes.
  if (proof.length === 0) return false;
  // 2. When first is a power of two, the old root is itself a node of the new tree and the
  //    proof omits it: put it back in front.
  const path: readonly Uint8Array[] = isPowerOfTwo(first) ? [firstRoot, ...proof] : proof;
  // 3–4.
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  let fr: Uint8Array = path[0] as Uint8Array;
  let sr: Uint8Array = fr;
  // 6.
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 7.
  return sameHash(fr, firstRoot) && sameHash(sr, secondRoot) && sn === 0;
}
