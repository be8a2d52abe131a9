/**
 * Incremental Merkle tree: the "compact range" [0, size) of a log. A tree of n leaves is the
 * sequence of perfect aligned subtrees given by the binary digits of n (largest first); appending
 * a leaf adds a level-0 subtree and merges equal-sized neighbours, like a binary counter carries.
 * So an append costs O(log n) hashes and memory stays O(log n), whatever the size of the log.
 */
import { HygieError } from '../errors.js';
import { EMPTY_ROOT, nodeHash } from './merkle.js';

/** A perfect aligned subtree: 2^level leaves starting at leaf index·2^level. */
export interface PerfectNode {
  level: number;
  index: number;
  hash: Buffer;
}

/** The roots of the perfect subtrees of a growing tree; appends and roots in O(log n). */
export class MerkleFrontier {
  // Largest subtree first; levels strictly decreasing (one per set bit of the size).
  #peaks: PerfectNode[] = [];
  #size = 0;

  /** Number of leaves. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends a leaf hash. Returns every perfect aligned node this append completes, the leaf
   * itself (level 0) first, so that a store can persist them and serve proofs from them.
   */
  append(leafHash: Uint8Array): PerfectNode[] {
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== 32) {
      throw new HygieError('HYG_INVALID_ARGUMENT', 'a leaf hash is 32 bytes', {
        argument: 'leafHash',
      });
    }
    let node: PerfectNode = { level: 0, index: this.#size, hash: Buffer.from(leafHash) };
    const completed: PerfectNode[] = [node];
    for (;;) {
      const last = this.#peaks[this.#peaks.length - 1];
      if (last === undefined || last.level !== node.level) break;
      this.#peaks.pop();
      node = { level: node.level + 1, index: last.index / 2, hash: nodeHash(last.hash, node.hash) };
      completed.push(node);
    }
    this.#peaks.push(node);
    this.#size += 1;
    return completed;
  }

  /** The Merkle Tree Hash of the current tree (EMPTY_ROOT when empty). */
  root(): Buffer {
    // MTH splits at the largest power of two, which is exactly the first peak; the remainder
    // splits the same way, so the root is the right fold of the peaks.
    let r: Buffer | undefined;
    for (let i = this.#peaks.length - 1; i >= 0; i--) {
      const p = this.#peaks[i] as PerfectNode;
      r = r === undefined ? p.hash : nodeHash(p.hash, r);
    }
    return Buffer.from(r ?? EMPTY_ROOT);
  }

  /** The current peaks, largest first (copies). */
  peaks(): PerfectNode[] {
    return this.#peaks.map((p) => ({ ...p, hash: Buffer.from(p.hash) }));
  }

  /** An independent copy (to roll back a failed batch). */
  clone(): MerkleFrontier {
    const c = new MerkleFrontier();
    c.#peaks = this.peaks();
    c.#size = this.#size;
    return c;
  }

  /**
   * Resumes a frontier of `size` leaves from stored perfect nodes: asks `perfect(level, index)`
   * for the O(log n) peaks only.
   */
  static fromNodes(
    size: number,
    perfect: (level: number, index: number) => Buffer,
  ): MerkleFrontier {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new HygieError('HYG_INVALID_ARGUMENT', 'a tree size is an integer ≥ 0', {
        argument: 'size',
      });
    }
    const f = new MerkleFrontier();
    let top = 0;
    let width = 1;
    while (width * 2 <= size) {
      width *= 2;
      top++;
    }
    let offset = 0;
    for (let level = top; size > 0 && level >= 0; level--, width /= 2) {
      if (size - offset >= width) {
        const index = offset / width;
        const hash = perfect(level, index);
        if (!(hash instanceof Uint8Array) || hash.length !== 32) {
          throw new HygieError('HYG_INTERNAL', 'a stored tree node is missing or malformed', {
            level,
            index,
          });
        }
        f.#peaks.push({ level, index, hash: Buffer.from(hash) });
        offset += width;
      }
    }
    f.#size = size;
    return f;
  }
}
