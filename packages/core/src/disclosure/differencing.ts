/**
 * The differencing defence. Two released cells whose populations differ by a few persons give
 * those persons away: release count(A), then count(A minus the target), and the difference says
 * whether the target is in A — has the diagnosis, took the drug. Each cell passes primary
 * suppression; the pair does not. So before a cell is released, its population is compared with
 * every cell the same permit released before (and with the cells of this release), and the cell
 * is withheld (or the release refused) when |A Δ B| is below k.
 *
 * The size of a symmetric difference needs the populations, which live in the warehouse: it comes
 * from an injected {@link OverlapOracle} — exact in SQL (`count(*)` over a FULL OUTER JOIN of the
 * two person lists), or an estimate with error bounds from a sketch per cell (MinHash, HyperLogLog).
 * The decision itself is pure ({@link classifyDifference}) and conservative: a cell is safe only
 * when the difference is certainly at least k, or certainly zero for the same question asked
 * again.
 *
 * Why zero is not always safe: in the attack above, if the target is *not* in A the two
 * populations are identical. Allowing identical populations while refusing a difference of one
 * would make the decision itself the answer (refused ⇒ in A, allowed ⇒ not in A). So an
 * identical population is accepted only for the same question asked again (equal `definition`,
 * the compiler's canonical form of the cell's cohort, period and stratum), where nothing new can
 * be learned; two different questions with identical or near populations are refused alike, and
 * the refusal no longer depends on the target. (`identicalPopulations: 'allow'` restores the
 * plain rule Δ in 1..k−1.) Any threshold rule still leaks to an attacker who knows k−1 other
 * persons exactly — the same limit as small-cell suppression; noise (DP) is the defence then.
 */

/** What the oracle and the decision need to know of a cell's population. */
export interface PopulationRef {
  /** Opaque id: a cell key (`cellKey`) for this release, a stored id for earlier ones. */
  readonly id: string;
  /** Number of distinct persons in the population. */
  readonly persons: number;
  /**
   * Digest of the population (e.g. SHA-256 of its sorted project pseudonyms): equal digests mean
   * identical populations, without asking the oracle.
   */
  readonly fingerprint?: string;
  /**
   * Canonical definition of the cell (cohort, period, stratum, as the compiler normalises them).
   * Equal definitions are the same question asked again.
   */
  readonly definition?: string;
  /**
   * Cells with the same group are disjoint by construction (one grouping set of one table), so
   * |A Δ B| = |A| + |B| without asking the oracle.
   */
  readonly disjointGroup?: string;
}

/** Size of a symmetric difference: exact, or bounds from an approximate sketch. */
export type SymmetricDifference = number | { readonly low: number; readonly high: number };

/** Computes |A Δ B| where the populations are (the storage layer, or a test). */
export interface OverlapOracle {
  symmetricDifference(current: PopulationRef, earlier: PopulationRef): Promise<SymmetricDifference>;
  /**
   * Optional batch form: the differences of many pairs, in order, in one round trip. When
   * present, `checkDifferencing` asks it once for every pair it might need (a superset: pairs
   * with a cell that turns out withheld are asked too) instead of one call per pair — a release
   * of a thousand cells compared with earlier runs is thousands of pairs, one query each
   * otherwise.
   */
  symmetricDifferences?(
    pairs: readonly (readonly [PopulationRef, PopulationRef])[],
  ): Promise<SymmetricDifference[]>;
}

/** Options of the defence. */
export interface DifferencingOptions {
  /** k: populations differing by fewer persons are too close (the permit's minimum cell size). */
  readonly threshold: number;
  /**
   * Identical populations: accepted only for the same definition (default), or always (the
   * plain rule, which lets the decision itself leak; see the module comment).
   */
  readonly identicalPopulations?: 'same-definition' | 'allow';
}

/** The decision for one current cell. */
export type DifferencingDecision =
  | { readonly id: string; readonly decision: 'allow' }
  | {
      readonly id: string;
      readonly decision: 'too-close';
      /** The id of a released (or earlier in this release) cell it is too close to. */
      readonly conflictsWith: string;
    };

function bounds(d: SymmetricDifference): { low: number; high: number } {
  return typeof d === 'number' ? { low: d, high: d } : { low: d.low, high: d.high };
}

/**
 * Pure decision for one pair: `safe` when the difference is certainly ≥ threshold, or certainly
 * zero and identical populations are acceptable here; `too-close` otherwise (an uncertain
 * estimate counts as too close).
 */
export function classifyDifference(
  difference: SymmetricDifference,
  threshold: number,
  identicalAcceptable: boolean,
): 'safe' | 'too-close' {
  const { low, high } = bounds(difference);
  if (low >= threshold) return 'safe';
  if (high === 0 && identicalAcceptable) return 'safe';
  return 'too-close';
}

/**
 * Decides a pair without the oracle when the sizes suffice: |A Δ B| ≥ ||A| − |B||, equal
 * fingerprints mean identical, one disjoint group means |A| + |B|. Null when the oracle must say.
 */
function knownDifference(a: PopulationRef, b: PopulationRef, threshold: number): number | null {
  if (Math.abs(a.persons - b.persons) >= threshold) return Math.abs(a.persons - b.persons);
  if (a.fingerprint !== undefined && a.fingerprint === b.fingerprint) return 0;
  if (a.disjointGroup !== undefined && a.disjointGroup === b.disjointGroup) {
    return a.persons + b.persons;
  }
  return null;
}

/**
 * Decides every current cell against the earlier releases and the current cells before it.
 * Cells with 1..k−1 persons are skipped (`allow`): primary suppression withholds them anyway,
 * and they are not compared with. Only cells actually released belong in `earlier`; the caller
 * may pass only those of sizes within k of the current ones (others are safe by size). Oracle
 * calls run one at a time, in order, so that a test oracle sees a deterministic sequence — or,
 * with a batch oracle, all at once up front (`askedInBatch`).
 */
export async function checkDifferencing(
  current: readonly PopulationRef[],
  earlier: readonly PopulationRef[],
  oracle: OverlapOracle,
  options: DifferencingOptions,
): Promise<DifferencingDecision[]> {
  const k = options.threshold;
  const plainRule = options.identicalPopulations === 'allow';
  const asked = await askedInBatch(current, earlier, oracle, k);
  const comparedWith: PopulationRef[] = [...earlier];
  const decisions: DifferencingDecision[] = [];
  for (const cell of current) {
    if (cell.persons > 0 && cell.persons < k) {
      decisions.push({ id: cell.id, decision: 'allow' });
      continue;
    }
    let conflict: string | null = null;
    for (const other of comparedWith) {
      // Two empty populations: nobody to learn about, whatever the questions.
      if (cell.persons === 0 && other.persons === 0) continue;
      const identicalAcceptable =
        plainRule || (cell.definition !== undefined && cell.definition === other.definition);
      const difference =
        knownDifference(cell, other, k) ??
        asked?.get(pairKey(cell, other)) ??
        (await oracle.symmetricDifference(cell, other));
      if (classifyDifference(difference, k, identicalAcceptable) === 'too-close') {
        conflict = other.id;
        break;
      }
    }
    if (conflict === null) {
      decisions.push({ id: cell.id, decision: 'allow' });
      comparedWith.push(cell);
    } else {
      decisions.push({ id: cell.id, decision: 'too-close', conflictsWith: conflict });
    }
  }
  return decisions;
}

function pairKey(a: PopulationRef, b: PopulationRef): string {
  return JSON.stringify([a.id, b.id]);
}

/**
 * With a batch oracle: the differences of every pair the decision loop could ask about (each
 * current cell that is not small against every earlier cell and every current cell before it,
 * where the sizes do not decide), in one call. Null without a batch oracle.
 */
async function askedInBatch(
  current: readonly PopulationRef[],
  earlier: readonly PopulationRef[],
  oracle: OverlapOracle,
  k: number,
): Promise<Map<string, SymmetricDifference> | null> {
  if (oracle.symmetricDifferences === undefined) return null;
  const pairs: (readonly [PopulationRef, PopulationRef])[] = [];
  const candidates: PopulationRef[] = [...earlier];
  for (const cell of current) {
    if (cell.persons > 0 && cell.persons < k) continue;
    for (const other of candidates) {
      if (cell.persons === 0 && other.persons === 0) continue;
      if (knownDifference(cell, other, k) === null) pairs.push([cell, other]);
    }
    candidates.push(cell);
  }
  const asked = new Map<string, SymmetricDifference>();
  if (pairs.length === 0) return asked;
  const differences = await oracle.symmetricDifferences(pairs);
  pairs.forEach(([a, b], i) => {
    const d = differences[i];
    if (d !== undefined) asked.set(pairKey(a, b), d);
  });
  return asked;
}
