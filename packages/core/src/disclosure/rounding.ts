/**
 * Rounding of released counts to a base (OpenSAFELY rounds to 5 after suppressing ≤ 7). It runs
 * after suppression, on the released table: withheld cells stay null, and what is rounded is what
 * counts persons or events — `count` and `event_count` values, `persons`, rate numerators (the
 * rate is then scaled with its numerator, so that it does not give the exact count back). Sums,
 * means, standard deviations and quantiles are not on a count scale and are left alone; beware
 * that a sum and a mean of the same position released together give the exact persons back.
 *
 * Rounding is deterministic: to the nearest multiple, halves away from zero, every cell on its
 * own. That is conventional rounding, not *controlled* rounding (Cox, 1987), and the difference
 * matters: margins rounded on their own no longer equal the sum of their rounded cells (cells 12
 * and 12 round to 10 and 10 while their total 24 rounds to 25), which confuses readers, and the
 * intervals each rounded value implies can be intersected along a line to narrow a cell down.
 * Controlled rounding chooses up or down per cell so that rounded margins stay additive and
 * needs an optimisation this module does not do; treat rounding as an extra layer on top of
 * suppression, never as the protection itself.
 */
import { HygieError } from '../errors.js';
import type { MeasureSpec } from './aggregate-table.js';
import type { ReleasedCell, ReleasedTable } from './released-table.js';

/** `x` to the nearest multiple of `base`, halves away from zero. */
export function roundToBase(x: number, base: number): number {
  if (base === 1) return Math.round(x);
  const r = Math.floor(Math.abs(x) / base + 0.5) * base;
  return x < 0 ? -r : r;
}

/**
 * Checks a rounding base against the minimum cell size: a whole number ≥ 1, and such that a
 * released count (≥ k) never rounds below k — with k = 7 and base 5, 7 would be shown as 5 and
 * the table would appear to hold a cell below the threshold. Throws `HYG_INVALID_ARGUMENT`.
 */
export function checkRoundingBase(base: number, minCellSize: number): void {
  if (!Number.isInteger(base) || base < 1 || base > 1000) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      'rounding base must be a whole number in 1..1000',
      {
        argument: 'roundingBase',
      },
    );
  }
  if (roundToBase(minCellSize, base) < minCellSize) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      'rounding base would round released counts below the minimum cell size',
      { argument: 'roundingBase', roundingBase: base, minCellSize },
    );
  }
}

const COUNT_STATISTICS = new Set(['count', 'event_count']);

function roundCell(cell: ReleasedCell, spec: MeasureSpec | undefined, base: number): ReleasedCell {
  if (cell.suppressed) return cell;
  const persons = cell.persons === null ? null : roundToBase(cell.persons, base);
  if (spec && COUNT_STATISTICS.has(spec.statistic) && cell.value !== null) {
    return { ...cell, value: roundToBase(cell.value, base), persons };
  }
  if (cell.rate && cell.rate.numerator !== null) {
    const exact = cell.rate.numerator;
    const numerator = roundToBase(exact, base);
    // Scaled with its numerator: a crude rate becomes rounded numerator / denominator × per, a
    // standardised one keeps its adjustment; either way the exact numerator cannot be read back.
    const value =
      cell.value === null || exact === 0 ? cell.value : cell.value * (numerator / exact);
    return { ...cell, value, persons, rate: { ...cell.rate, numerator } };
  }
  return { ...cell, persons };
}

/** The released table with its counts rounded to `base` (see the module comment). */
export function roundReleasedTable(table: ReleasedTable, base: number): ReleasedTable {
  const specs = new Map(table.measures.map((m) => [m.name, m]));
  return {
    ...table,
    cells: table.cells.map((c) => roundCell(c, specs.get(c.measure), base)),
  };
}
