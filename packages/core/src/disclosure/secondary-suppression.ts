/**
 * Secondary (complementary) suppression: once some positions are withheld, withhold others so
 * that none of them can be recomputed from the margins. The heuristic is the classic one: in every
 * line (a total and the cells it adds up; see `table-lines.ts`) with exactly one withheld
 * position, also withhold the released position of that line that costs least; repeat until no
 * line has exactly one. It works for 1-D, 2-D and N-D tables alike, since a line is any total
 * with the cells one finer grouping set puts under it, and for totals published elsewhere.
 *
 * The line rule is necessary, not sufficient (see `linear-audit.ts`), so its result is audited
 * exactly: while some withheld position is still determined by the equations, one more position
 * is withheld in one of its lines and the line rule runs again.
 *
 * Choice of the complement, in order: a cell of the line rather than its total (totals are what
 * users read most); a non-empty position rather than an empty one (withholding a known zero
 * protects little: the attacker's bounds are then the true value); the position that leaves the
 * fewest lines to repair — its other lines with no withheld position count +1 (they would now
 * have exactly one), those with exactly one count −1 (they would be repaired) — so that the
 * cascade stays short (in a 2×3 table, the four corners of a rectangle rather than all six cells,
 * as smallest-value-first gives when columns are visited first); then the smallest value (the
 * first additive measure of the table, else the persons), to lose the least information; then the
 * canonical order of positions, so that the result is deterministic.
 *
 * This is a heuristic, not an optimal pattern (τ-ARGUS solves that with linear programming), and
 * it guarantees no exact recomputation, not a protection interval: an attacker may still bound a
 * withheld value from the margins and non-negativity.
 */
import type { AggregateTable } from './aggregate-table.js';
import { ADDITIVE_STATISTICS } from './aggregate-table.js';
import { DEFAULT_AUDIT_COMPONENT_LIMIT, auditLinearSystem } from './linear-audit.js';
import type { LinearEquation } from './linear-audit.js';
import type { SuppressionPattern } from './suppression-pattern.js';
import { indexPositions } from './table-positions.js';
import type { TablePosition } from './table-positions.js';
import { tableLines } from './table-lines.js';
import type { TableLine } from './table-lines.js';

/** Options of secondary suppression. */
export interface SecondarySuppressionOptions {
  /** Audit the result exactly and complete it (default true). */
  readonly exactAudit?: boolean;
  /** Largest component of withheld positions audited (default 1,500). */
  readonly auditComponentLimit?: number;
}

/** The outcome of secondary suppression. */
export interface SecondarySuppressionResult {
  /** The initial pattern plus the complementary suppressions (reason `secondary`). */
  readonly pattern: SuppressionPattern;
  /** Positions withheld by this step, in the order they were chosen. */
  readonly added: readonly string[];
  /**
   * `complete` when the exact audit covered every withheld position, `partial` when a component
   * was too large to audit, `off` when the audit was not asked for.
   */
  readonly audit: 'complete' | 'partial' | 'off';
  /**
   * Withheld positions that remain recomputable because no released position is left to withhold
   * with them (e.g. the only cell under a total published elsewhere: its value is public anyway).
   */
  readonly unprotectable: readonly string[];
}

/** What withholding a position costs: |value| of its first additive measure, else its persons. */
function costOf(position: TablePosition, additiveMeasures: readonly string[]): number {
  for (const m of additiveMeasures) {
    const cell = position.cells.find((c) => c.measure === m);
    if (cell) return Math.abs(cell.value ?? 0);
  }
  return Math.max(...position.cells.map((c) => c.persons));
}

/**
 * Completes `initial` so that no withheld position can be recomputed from the table's margins
 * or its published totals.
 */
export function secondarySuppression(
  table: AggregateTable,
  initial: SuppressionPattern,
  options: SecondarySuppressionOptions = {},
): SecondarySuppressionResult {
  const index = indexPositions(table);
  const lines = tableLines(table);
  const order = new Map(index.positions.map((p, i) => [p.key, i]));
  const additive = table.measures
    .filter((m) => ADDITIVE_STATISTICS.has(m.statistic))
    .map((m) => m.name);
  const cost = new Map(index.positions.map((p) => [p.key, costOf(p, additive)]));
  const empty = new Set(
    index.positions.filter((p) => p.cells.every((c) => c.persons === 0)).map((p) => p.key),
  );
  const linesOf = new Map<string, number[]>();
  lines.forEach((line, li) => {
    for (const key of line.total === null ? line.members : [...line.members, line.total]) {
      const list = linesOf.get(key);
      if (list) list.push(li);
      else linesOf.set(key, [li]);
    }
  });

  const pattern = new Map(initial);
  const added: string[] = [];
  const unprotectable = new Set<string>();

  // Withheld positions per line, kept up to date as positions are withheld.
  const withheldCount = new Int32Array(lines.length);
  lines.forEach((line, li) => {
    let n = line.members.filter((m) => pattern.has(m)).length;
    if (line.total !== null && pattern.has(line.total)) n++;
    withheldCount[li] = n;
  });

  /** Lines left to repair if `key` were withheld, its line `except` aside (see the comment). */
  function repairBalance(key: string, except: number): number {
    let balance = 0;
    for (const li of linesOf.get(key) ?? []) {
      if (li === except) continue;
      if (withheldCount[li] === 0) balance++;
      else if (withheldCount[li] === 1) balance--;
    }
    return balance;
  }

  /** The best released position of line `li` to withhold with it, and its rank (lower wins). */
  function bestCandidate(li: number): { key: string; rank: number[] } | null {
    const line = lines[li] as TableLine;
    let best: { key: string; rank: number[] } | null = null;
    const consider = (key: string, isTotal: number): void => {
      if (pattern.has(key)) return;
      const rank = [
        isTotal,
        empty.has(key) ? 1 : 0,
        repairBalance(key, li),
        cost.get(key) ?? 0,
        order.get(key) ?? 0,
      ];
      if (best === null || lexLess(rank, best.rank)) best = { key, rank };
    };
    for (const m of line.members) consider(m, 0);
    if (line.total !== null) consider(line.total, 1);
    return best;
  }

  function suppress(key: string, queue: number[], queued: Uint8Array): void {
    pattern.set(key, 'secondary');
    added.push(key);
    for (const li of linesOf.get(key) ?? []) {
      withheldCount[li] = (withheldCount[li] as number) + 1;
      if (!queued[li]) {
        queued[li] = 1;
        queue.push(li);
      }
    }
  }

  /** The line rule, from the given lines until no line has exactly one withheld position. */
  function runLineRule(start: readonly number[]): void {
    const queue = [...start];
    const queued = new Uint8Array(lines.length);
    for (const li of queue) queued[li] = 1;
    for (let head = 0; head < queue.length; head++) {
      const li = queue[head] as number;
      queued[li] = 0;
      if (withheldCount[li] !== 1) continue;
      const complement = bestCandidate(li);
      if (complement === null) {
        const line = lines[li] as TableLine;
        const lone = [...line.members, ...(line.total === null ? [] : [line.total])].find((m) =>
          pattern.has(m),
        );
        if (lone !== undefined) unprotectable.add(lone);
      } else suppress(complement.key, queue, queued);
    }
  }

  runLineRule(lines.map((_, i) => i));
  if (options.exactAudit === false) {
    return { pattern, added, audit: 'off', unprotectable: [...unprotectable] };
  }

  const limit = options.auditComponentLimit ?? DEFAULT_AUDIT_COMPONENT_LIMIT;
  let partial = false;
  for (;;) {
    const unknowns = [...pattern.keys()]
      .filter((k) => linesOf.has(k))
      .sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    const unknownIndex = new Map(unknowns.map((k, i) => [k, i]));
    const equations: LinearEquation[] = [];
    for (const line of lines) {
      const vars: number[] = [];
      const coefs: number[] = [];
      for (const m of line.members) {
        const i = unknownIndex.get(m);
        if (i !== undefined) {
          vars.push(i);
          coefs.push(1);
        }
      }
      const t = line.total === null ? undefined : unknownIndex.get(line.total);
      if (t !== undefined) {
        vars.push(t);
        coefs.push(-1);
      }
      if (vars.length > 0) equations.push({ vars, coefs });
    }
    const audit = auditLinearSystem(unknowns.length, equations, limit);
    partial = audit.skippedComponents > 0;
    const exposed = audit.determined
      .map((i) => unknowns[i] as string)
      .filter((k) => !unprotectable.has(k));
    if (exposed.length === 0) break;
    // One complement per round, the best among the lines of the first exposed position that
    // has any: the fewest extra suppressions, re-audited at once.
    let chosen: { key: string; rank: number[] } | null = null;
    for (const key of exposed) {
      for (const li of linesOf.get(key) ?? []) {
        const c = bestCandidate(li);
        if (c && (chosen === null || lexLess(c.rank, chosen.rank))) chosen = c;
      }
      if (chosen) break;
    }
    if (chosen === null) {
      for (const key of exposed) unprotectable.add(key);
      break;
    }
    const queue: number[] = [];
    const queued = new Uint8Array(lines.length);
    suppress(chosen.key, queue, queued);
    runLineRule(queue);
  }

  return {
    pattern,
    added,
    audit: partial ? 'partial' : 'complete',
    unprotectable: [...unprotectable].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)),
  };
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y;
  }
  return false;
}
