/**
 * Makes every synthetic NIR unique. NIRs are drawn independently per person, so two people born
 * the same month in the same commune can draw the same order number; real NIRs never collide, and
 * a collision would wrongly link two people at ingestion. Given every person's NIR key, this
 * finds duplicates and assigns later duplicates the next free order number of their cell.
 * Memory: one sorted copy of the keys (8 bytes a person).
 */
import { HygieError } from '@hygie/core';
import { withOrder } from './identity.js';

function contains(sorted: Float64Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid] as number;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Returns person index → replacement order number for every duplicate but the first. */
export function resolveNirCollisions(keys: Float64Array): Map<number, number> {
  const sorted = keys.slice().sort();
  const dup = new Set<number>();
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i] === sorted[i - 1]) dup.add(sorted[i] as number);
  const overrides = new Map<number, number>();
  if (dup.size === 0) return overrides;
  const seen = new Set<number>();
  const assigned = new Set<number>();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number;
    if (!dup.has(key)) continue;
    if (!seen.has(key)) {
      seen.add(key);
      continue;
    }
    const order = key % 1000;
    let found = -1;
    for (let step = 1; step < 999; step++) {
      const candidate = ((order - 1 + step) % 999) + 1;
      const k = withOrder(key, candidate);
      if (!contains(sorted, k) && !assigned.has(k)) {
        found = candidate;
        assigned.add(k);
        break;
      }
    }
    if (found < 0)
      throw new HygieError('HYG_INTERNAL', 'no free NIR order number left in a birth cell');
    overrides.set(i, found);
  }
  return overrides;
}
