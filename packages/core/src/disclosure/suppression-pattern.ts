/**
 * A suppression pattern: which positions of a table are withheld, and by which rule. The first
 * rule to withhold a position is its reason; later rules do not overwrite it.
 */

/** Why a position is withheld, in the order the rules run. */
export const SUPPRESSION_REASONS = ['primary', 'dominance', 'differencing', 'secondary'] as const;

/**
 * Why a position is withheld: `primary` (too few persons), `dominance` (a sum dominated by one or
 * two persons), `differencing` (its population is too close to one released before),
 * `secondary` (complementary: withheld so that another withheld position cannot be recomputed).
 */
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Withheld positions (by position key) and their reason. */
export type SuppressionPattern = ReadonlyMap<string, SuppressionReason>;

/** Adds `keys` to a copy of `pattern` with `reason`, keeping the reason of positions already in. */
export function withSuppressed(
  pattern: SuppressionPattern,
  keys: Iterable<string>,
  reason: SuppressionReason,
): SuppressionPattern {
  const out = new Map(pattern);
  for (const key of keys) if (!out.has(key)) out.set(key, reason);
  return out;
}
