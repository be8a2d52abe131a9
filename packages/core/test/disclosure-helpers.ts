// Test helpers for disclosure control: table builders and an independent derivability checker
// (exact rational arithmetic, every equation the margins give — not the module's own lines).
import type { AggregateCell, AggregateTable, Strata, StratumValue } from '../src/index.js';

/** Keys of a strata object as a grouping set string (sorted dimension names). */
function setOf(strata: Strata): string {
  return Object.keys(strata).sort().join(',');
}

/** Every subset of `dims` (as arrays), the full set excluded. */
export function allMargins(dims: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let mask = 0; mask < (1 << dims.length) - 1; mask++) {
    out.push(dims.filter((_, i) => (mask & (1 << i)) !== 0));
  }
  return out;
}

function project(strata: Strata, keep: readonly string[]): Record<string, StratumValue> {
  return Object.fromEntries(keep.map((d) => [d, strata[d] as StratumValue]));
}

/**
 * A table of person counts from its interior (`[strata, count]`), with the margins computed by
 * summation for each listed grouping set.
 */
export function countTable(
  dims: readonly string[],
  interior: readonly (readonly [Strata, number])[],
  margins: readonly (readonly string[])[] = allMargins(dims),
  publishedTotals?: readonly Strata[],
): AggregateTable {
  const cells: AggregateCell[] = interior.map(([strata, n]) => ({
    strata,
    measure: 'persons',
    value: n,
    persons: n,
  }));
  for (const keep of margins) {
    const sums = new Map<string, { strata: Strata; n: number }>();
    for (const [strata, n] of interior) {
      const p = project(strata, keep);
      const key = JSON.stringify(keep.map((d) => p[d]));
      const entry = sums.get(key);
      if (entry) entry.n += n;
      else sums.set(key, { strata: p, n });
    }
    for (const { strata, n } of sums.values()) {
      cells.push({ strata, measure: 'persons', value: n, persons: n });
    }
  }
  return {
    dimensions: dims,
    measures: [{ name: 'persons', statistic: 'count' }],
    margins,
    cells,
    ...(publishedTotals ? { publishedTotals } : {}),
  };
}

/** A full grid of interior cells from the values of each dimension and a count function. */
export function grid(
  dims: readonly string[],
  values: readonly (readonly StratumValue[])[],
  count: (strata: Strata, index: number) => number,
): [Strata, number][] {
  let combos: Record<string, StratumValue>[] = [{}];
  dims.forEach((d, i) => {
    combos = combos.flatMap((c) => (values[i] ?? []).map((v) => ({ ...c, [d]: v })));
  });
  return combos.map((s, i) => [s, count(s, i)]);
}

// ---- exact rationals -------------------------------------------------------------------------

interface Q {
  n: bigint;
  d: bigint;
}
const abs = (x: bigint) => (x < 0n ? -x : x);
function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}
function q(n: bigint, d = 1n): Q {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}
const sub = (a: Q, b: Q) => q(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q) => q(a.n * b.n, a.d * b.d);
const div = (a: Q, b: Q) => q(a.n * b.d, a.d * b.n);
const isZero = (a: Q) => a.n === 0n;

/** The null space basis of an integer matrix (rows of coefficients), as integer vectors. */
function nullSpace(matrix: number[][], cols: number): bigint[][] {
  const rows = matrix.map((r) => r.map((x) => q(BigInt(x))));
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < cols && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && !isZero(row[c] as Q));
    if (p < 0) continue;
    [rows[r], rows[p]] = [rows[p] as Q[], rows[r] as Q[]];
    const pivotRow = rows[r] as Q[];
    const pv = pivotRow[c] as Q;
    for (let j = 0; j < cols; j++) pivotRow[j] = div(pivotRow[j] as Q, pv);
    rows.forEach((row, i) => {
      if (i === r || isZero(row[c] as Q)) return;
      const f = row[c] as Q;
      for (let j = 0; j < cols; j++) row[j] = sub(row[j] as Q, mul(f, pivotRow[j] as Q));
    });
    pivots.push(c);
    r++;
  }
  const basis: bigint[][] = [];
  for (let f = 0; f < cols; f++) {
    if (pivots.includes(f)) continue;
    const v: Q[] = Array.from({ length: cols }, () => q(0n));
    v[f] = q(1n);
    pivots.forEach((pc, i) => {
      v[pc] = q(-(rows[i] as Q[])[f]!.n, (rows[i] as Q[])[f]!.d);
    });
    const lcm = v.reduce((l, x) => (l * x.d) / gcd(l, x.d), 1n);
    basis.push(v.map((x) => (x.n * lcm) / x.d));
  }
  return basis;
}

/** What the checker finds for one withheld position. */
export interface Derivability {
  readonly strata: Strata;
  /** Fixed by the published values (linear algebra). */
  readonly determined: boolean;
  /** Two different non-negative integer completions exist (found along the null space). */
  readonly twoCompletions: boolean;
}

/**
 * For every withheld position (value null in `released`), whether the published values of a
 * one-measure count table determine it. Equations: every present (or published) coarser grouping
 * set equals the sum of the positions of every finer present one under it.
 */
export function checkDerivability(
  table: AggregateTable,
  withheld: ReadonlySet<string>,
): Derivability[] {
  const dims = table.dimensions;
  const key = (s: Strata) => JSON.stringify(dims.map((d) => (d in s ? [s[d]] : [])));
  const cells = table.cells;
  const unknownCells = cells.filter((c) => withheld.has(key(c.strata)));
  const unknownIndex = new Map(unknownCells.map((c, i) => [key(c.strata), i]));
  const totals: { strata: Strata; known: boolean }[] = [
    ...cells.map((c) => ({ strata: c.strata, known: !withheld.has(key(c.strata)) })),
    ...(table.publishedTotals ?? []).map((strata) => ({ strata, known: true })),
  ];
  const matrix: number[][] = [];
  for (const t of totals) {
    const tKeys = Object.keys(t.strata);
    const finerSets = new Set(
      cells
        .map((c) => c.strata)
        .filter((s) => Object.keys(s).length > tKeys.length && tKeys.every((k) => k in s))
        .map(setOf),
    );
    for (const fine of finerSets) {
      const members = cells.filter(
        (c) => setOf(c.strata) === fine && tKeys.every((k) => c.strata[k] === t.strata[k]),
      );
      const row = new Array<number>(unknownCells.length).fill(0);
      for (const m of members) {
        const i = unknownIndex.get(key(m.strata));
        if (i !== undefined) row[i] = (row[i] as number) + 1;
      }
      if (!t.known) {
        const i = unknownIndex.get(key(t.strata)) as number;
        row[i] = (row[i] as number) - 1;
      }
      if (row.some((x) => x !== 0)) matrix.push(row);
    }
  }
  const basis = nullSpace(matrix, unknownCells.length);
  const x = unknownCells.map((c) => BigInt(c.value as number));
  const candidates = [...basis];
  for (let i = 0; i < basis.length; i++) {
    for (let j = i + 1; j < basis.length; j++) {
      candidates.push(basis[i]!.map((v, k) => v + basis[j]![k]!));
      candidates.push(basis[i]!.map((v, k) => v - basis[j]![k]!));
    }
  }
  return unknownCells.map((c, j) => {
    const moving = candidates.filter((v) => v[j] !== 0n);
    const twoCompletions = moving.some(
      (v) => v.every((vi, k) => x[k]! + vi >= 0n) || v.every((vi, k) => x[k]! - vi >= 0n),
    );
    return {
      strata: c.strata,
      determined: basis.every((v) => v[j] === 0n),
      twoCompletions,
    };
  });
}

/**
 * The simple sufficient-looking check of the brief: every line (a total and the positions of the
 * grouping set one dimension finer under it) has 0 or ≥ 2 withheld positions.
 */
export function linesWithOneWithheld(table: AggregateTable, withheld: ReadonlySet<string>): number {
  const dims = table.dimensions;
  const key = (s: Strata) => JSON.stringify(dims.map((d) => (d in s ? [s[d]] : [])));
  const totals = [
    ...table.cells.map((c) => ({ strata: c.strata, inTable: true })),
    ...(table.publishedTotals ?? []).map((strata) => ({ strata, inTable: false })),
  ];
  let bad = 0;
  const seen = new Set<string>();
  for (const t of totals) {
    if (seen.has(key(t.strata))) continue;
    seen.add(key(t.strata));
    const tKeys = Object.keys(t.strata);
    for (const d of dims.filter((d) => !(d in t.strata))) {
      const members = new Map<string, Strata>();
      for (const c of table.cells) {
        const ks = Object.keys(c.strata);
        if (
          ks.length === tKeys.length + 1 &&
          d in c.strata &&
          tKeys.every((k) => c.strata[k] === t.strata[k])
        ) {
          members.set(key(c.strata), c.strata);
        }
      }
      if (members.size === 0) continue;
      let n = [...members.keys()].filter((k) => withheld.has(k)).length;
      if (t.inTable && withheld.has(key(t.strata))) n++;
      if (n === 1) bad++;
    }
  }
  return bad;
}
