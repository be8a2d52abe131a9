/**
 * Dominance rules for magnitude cells (sums, and means, which are sums divided by persons): a cell
 * of 50 persons whose total cost is mostly one patient's tells that patient's cost, to anyone and
 * above all to the second largest contributor. Two standard rules (Hundepool et al., *Statistical
 * Disclosure Control*, Wiley 2012, ch. 4 on magnitude tables; the τ-ARGUS manual):
 *
 * - the **(n, k) rule**: a cell is sensitive when its n largest contributors account for more
 *   than k % of its total: `x1 + … + xn > k/100 · T`;
 * - the **p % rule**: a cell is sensitive when the second largest contributor could estimate the
 *   largest to within p %: `T − x1 − x2 < p/100 · x1`.
 *
 * Default: the (2, 85) rule alone, a common setting of the (n, k) rule. The p % rule
 * (e.g. p = 10) is the one the handbook prefers for its sharper reasoning about the second
 * contributor; it can be added to the policy (several rules: a cell sensitive under any is
 * withheld). Only the top two contributions are needed, so n is 1 or 2.
 */
import { HygieError } from '../errors.js';
import type { AggregateTable, Contributions } from './aggregate-table.js';
import { indexPositions } from './table-positions.js';

/** A dominance rule: (n, k) with k in percent, or p % with p in percent. */
export type DominanceRule =
  | { readonly kind: 'nk'; readonly n: 1 | 2; readonly k: number }
  | { readonly kind: 'p-percent'; readonly p: number };

/** Default rules: (2, 85). */
export const DEFAULT_DOMINANCE_RULES: readonly DominanceRule[] = [{ kind: 'nk', n: 2, k: 85 }];

/** True when `contributions` are sensitive under `rule` (contributions are never released). */
export function isDominated(contributions: Contributions, rule: DominanceRule): boolean {
  const { top, total } = contributions;
  // A total of zero (everybody contributed nothing) discloses nothing about anyone.
  if (total <= 0) return false;
  const x1 = top[0] ?? 0;
  const x2 = top[1] ?? 0;
  if (rule.kind === 'nk') {
    const largest = rule.n === 1 ? x1 : x1 + x2;
    return largest > (rule.k / 100) * total;
  }
  return total - x1 - x2 < (rule.p / 100) * x1;
}

/**
 * The positions of `table` with a magnitude cell sensitive under any of `rules`, in canonical
 * order. Every `sum` of at least one person must carry its contributions (the query compiler
 * computes the top two per-person contributions); a `mean` is checked when it carries them.
 * Throws `HYG_INVALID_ARGUMENT` for a sum without them: an unchecked sum must not pass silently.
 */
export function dominanceSensitivePositions(
  table: AggregateTable,
  rules: readonly DominanceRule[],
): string[] {
  if (rules.length === 0) return [];
  const statistic = new Map(table.measures.map((m) => [m.name, m.statistic]));
  const out: string[] = [];
  for (const position of indexPositions(table).positions) {
    const sensitive = position.cells.some((cell) => {
      const kind = statistic.get(cell.measure);
      if (kind !== 'sum' && kind !== 'mean') return false;
      if (cell.contributions === undefined) {
        if (kind === 'sum' && cell.persons > 0) {
          throw new HygieError(
            'HYG_INVALID_ARGUMENT',
            `aggregate table: the sum ${cell.measure} lacks the contributions the dominance rule needs`,
            { argument: 'contributions', measure: cell.measure, what: 'aggregate table' },
          );
        }
        return false;
      }
      const c = cell.contributions;
      return rules.some((rule) => isDominated(c, rule));
    });
    if (sensitive) out.push(position.key);
  }
  return out;
}
