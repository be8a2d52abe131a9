/**
 * Positions of a table: the places where cells sit, each a set of stratum keys, with the cells
 * (one per measure) found there. Suppression decisions are taken per position, not per cell,
 * because the measures of one position describe the same group of persons and give each other
 * away: a count equals the persons of a mean over the same group, a mean times its persons is a
 * sum. Releasing one measure of a position while another is withheld would often undo the
 * suppression. (Measures over different populations belong in different tables if they are to
 * be suppressed independently.)
 */
import type { AggregateCell, AggregateTable, Strata, StratumValue } from './aggregate-table.js';

/** One position of a table and its cells. */
export interface TablePosition {
  /** Canonical key (see {@link positionKey}). */
  readonly key: string;
  readonly strata: Strata;
  /** The dimensions kept, as a bit mask (bit i: `dimensions[i]`); all bits for the interior. */
  readonly groupingSet: number;
  readonly cells: readonly AggregateCell[];
}

/** The positions of a table in canonical order, and by key. */
export interface PositionIndex {
  readonly positions: readonly TablePosition[];
  readonly byKey: ReadonlyMap<string, TablePosition>;
  /** The grouping sets present: the interior and every declared margin. */
  readonly groupingSets: readonly number[];
}

/**
 * The canonical key of a position: per dimension, `[value]` when kept, `[]` when totalled over
 * (so that a NULL stratum and a total differ). Stable across runs: usable in reports and as the
 * id of a cell's population for the differencing defence.
 */
export function positionKey(dimensions: readonly string[], strata: Strata): string {
  return JSON.stringify(dimensions.map((d) => (d in strata ? [strata[d]] : [])));
}

/** The key of one cell: its measure and position (`persons@[["F"],[]]`). */
export function cellKey(dimensions: readonly string[], cell: AggregateCell): string {
  return `${cell.measure}@${positionKey(dimensions, cell.strata)}`;
}

/** The grouping set of strata as a bit mask over `dimensions`. */
export function groupingSetOf(dimensions: readonly string[], strata: Strata): number {
  let mask = 0;
  dimensions.forEach((d, i) => {
    if (d in strata) mask |= 1 << i;
  });
  return mask;
}

function rank(v: StratumValue | undefined): number {
  if (v === undefined) return 0;
  if (v === null) return 1;
  if (typeof v === 'boolean') return 2;
  if (typeof v === 'number') return 3;
  return 4;
}

/**
 * The canonical order of positions, dimension by dimension: totals first, then null, booleans,
 * numbers (numerically), strings (by code unit). It makes every tie-break deterministic.
 */
export function compareStrata(dimensions: readonly string[], a: Strata, b: Strata): number {
  for (const d of dimensions) {
    const x = d in a ? a[d] : undefined;
    const y = d in b ? b[d] : undefined;
    const r = rank(x) - rank(y);
    if (r !== 0) return r;
    if (x === y || x === undefined || x === null) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'boolean') return x ? 1 : -1;
    return (x as string) < (y as string) ? -1 : 1;
  }
  return 0;
}

// Tables are immutable once built: the index is computed once per table object.
const cache = new WeakMap<AggregateTable, PositionIndex>();

/** The positions of `table` (memoised per table object). */
export function indexPositions(table: AggregateTable): PositionIndex {
  const hit = cache.get(table);
  if (hit) return hit;
  const dims = table.dimensions;
  const cellsByKey = new Map<string, { strata: Strata; cells: AggregateCell[] }>();
  for (const cell of table.cells) {
    const key = positionKey(dims, cell.strata);
    const entry = cellsByKey.get(key);
    if (entry) entry.cells.push(cell);
    else cellsByKey.set(key, { strata: cell.strata, cells: [cell] });
  }
  const positions: TablePosition[] = [...cellsByKey].map(([key, { strata, cells }]) => ({
    key,
    strata,
    groupingSet: groupingSetOf(dims, strata),
    cells,
  }));
  positions.sort(
    (a, b) =>
      compareStrata(dims, a.strata, b.strata) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const full = (1 << dims.length) - 1;
  const groupingSets = [
    full,
    ...table.margins.map((m) => groupingSetOf(dims, Object.fromEntries(m.map((d) => [d, null])))),
  ];
  const index: PositionIndex = {
    positions,
    byKey: new Map(positions.map((p) => [p.key, p])),
    groupingSets,
  };
  cache.set(table, index);
  return index;
}
