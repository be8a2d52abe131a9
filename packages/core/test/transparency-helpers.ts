/**
 * Independent transcriptions of the RFC 9162 definitions for the transparency tests: hashes with
 * node:crypto directly and the recursive MTH, PATH and SUBPROOF over arrays, never the code under
 * test.
 */
import { createHash } from 'node:crypto';

/** SHA-256 of the concatenation. */
export function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Leaf hash by the RFC: SHA-256(0x00 ‖ d). */
export const L = (d: Uint8Array): Buffer => sha256(Buffer.from([0]), d);
/** Node hash by the RFC: SHA-256(0x01 ‖ a ‖ b). */
export const N = (a: Uint8Array, b: Uint8Array): Buffer => sha256(Buffer.from([1]), a, b);

/** The test data of leaf i. */
export const datum = (i: number): Buffer => Buffer.from(`hygie leaf ${i}`, 'utf8');

/** Leaf hashes of leaves 0..n−1. */
export function leaves(n: number, data: (i: number) => Buffer = datum): Buffer[] {
  return Array.from({ length: n }, (_, i) => L(data(i)));
}

function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

/** MTH of leaf hashes by the recursive definition. */
export function mth(hs: readonly Buffer[]): Buffer {
  if (hs.length === 0) return sha256();
  if (hs.length === 1) return hs[0] as Buffer;
  const s = k(hs.length);
  return N(mth(hs.slice(0, s)), mth(hs.slice(s)));
}

/** PATH(m, D[n]) by the recursive definition. */
export function path(m: number, hs: readonly Buffer[]): Buffer[] {
  if (hs.length <= 1) return [];
  const s = k(hs.length);
  return m < s
    ? [...path(m, hs.slice(0, s)), mth(hs.slice(s))]
    : [...path(m - s, hs.slice(s)), mth(hs.slice(0, s))];
}

/** SUBPROOF(m, D[n], b) by the recursive definition. */
export function subproof(m: number, hs: readonly Buffer[], b: boolean): Buffer[] {
  const n = hs.length;
  if (m === n) return b ? [] : [mth(hs)];
  const s = k(n);
  return m <= s
    ? [...subproof(m, hs.slice(0, s), b), mth(hs.slice(s))]
    : [...subproof(m - s, hs.slice(s), false), mth(hs.slice(0, s))];
}

/** A synchronous subtree source over leaf hashes (asserts it is asked for perfect aligned ones). */
export function memorySource(hs: readonly Buffer[]): {
  perfect(level: number, index: number): Buffer;
  calls: number;
} {
  const src = {
    calls: 0,
    perfect(level: number, index: number): Buffer {
      src.calls++;
      const width = 2 ** level;
      const slice = hs.slice(index * width, (index + 1) * width);
      if (slice.length !== width) throw new Error(`not a full subtree: ${level}/${index}`);
      return mth(slice);
    },
  };
  return src;
}

/** A copy of `b` with one bit flipped. */
export function flip(b: Buffer): Buffer {
  const c = Buffer.from(b);
  c[0] = (c[0] as number) ^ 1;
  return c;
}
