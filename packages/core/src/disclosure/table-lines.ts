/**
 * Lines of a table: the linear equations an attacker can write from its margins. A line is a
 * total and the cells it adds up — the positions of a finer grouping set that agree with the
 * total on the dimensions it keeps. In a full cube these are the usual rows and columns (all
 * dimensions but one fixed, plus their total); with partial margins (a ROLLUP, only a grand
 * total, a total published elsewhere) a total is paired with each *nearest* finer grouping set
 * present, which is still an exact equation: the interior partitions every margin.
 */
import type { AggregateTable, Strata } from './aggregate-table.js';
import { groupingSetOf, indexPositions, positionKey } from './table-positions.js';

/** One equation: the members add up to the total. */
export interface TableLine {
  /** Position keys of the cells added up, in canonical order. */
  readonly members: readonly string[];
  /**
   * Position key of the total when it is a cell of this table; null when the total was
   * published elsewhere (a known constant that cannot be withheld).
   */
  readonly total: string | null;
}

function isSubset(a: number, b: number): boolean {
  return (a & b) === a;
}

/** Grouping sets present that strictly contain `t` and have no present set strictly between. */
function nearestFiner(t: number, present: readonly number[]): number[] {
  const finer = present.filter((s) => s !== t && isSubset(t, s));
  return finer.filter((s) => !finer.some((m) => m !== s && isSubset(m, s)));
}

function keptDims(dimensions: readonly string[], mask: number): string[] {
  return dimensions.filter((_, i) => (mask & (1 << i)) !== 0);
}

// Computed once per table object, like the position index.
const cache = new WeakMap<AggregateTable, readonly TableLine[]>();

/** The lines of `table`, deterministic order (memoised per table object). */
export function tableLines(table: AggregateTable): readonly TableLine[] {
  const hit = cache.get(table);
  if (hit) return hit;
  const dims = table.dimensions;
  const index = indexPositions(table);
  // Members of each finer grouping set, grouped by their projection on a coarser one.
  const groups = new Map<string, Map<string, string[]>>();
  function membersOf(fine: number, coarse: number, projection: string): readonly string[] {
    const id = `${fine}/${coarse}`;
    let byProjection = groups.get(id);
    if (!byProjection) {
      byProjection = new Map();
      const kept = keptDims(dims, coarse);
      for (const p of index.positions) {
        if (p.groupingSet !== fine) continue;
        const proj = positionKey(kept, p.strata);
        const list = byProjection.get(proj);
        if (list) list.push(p.key);
        else byProjection.set(proj, [p.key]);
      }
      groups.set(id, byProjection);
    }
    return byProjection.get(projection) ?? [];
  }

  const lines: TableLine[] = [];
  const totals: { strata: Strata; key: string | null }[] = [
    ...index.positions.map((p) => ({ strata: p.strata, key: p.key })),
    ...(table.publishedTotals ?? []).map((strata) => ({ strata, key: null })),
  ];
  for (const total of totals) {
    const t = groupingSetOf(dims, total.strata);
    const projection = positionKey(keptDims(dims, t), total.strata);
    for (const fine of nearestFiner(t, index.groupingSets)) {
      const members = membersOf(fine, t, projection);
      if (members.length > 0) lines.push({ members, total: total.key });
    }
  }
  cache.set(table, lines);
  return lines;
}
