/**
 * Primary suppression: a cell computed from fewer than k persons is withheld — a count of 1 to
 * k−1, but also an event count, sum, mean, rate or quantile over that few persons (an event count
 * of 40 from 2 persons describes those 2 persons). k is the permit's minimum cell size, 10 by
 * default (DESIGN.md §3), read as "the smallest cell that may be released": 1..k−1 are withheld,
 * k is shown — the same reading as the server's `suppressSmallCount`. The SNDS rule ("no cell of
 * 1 to 10") is therefore k = 11.
 *
 * Zero is a choice (`suppressZero`). A zero count names nobody, and SNDS and most statistical
 * offices show zeros, so they are shown by default. But a zero can disclose about a *group*:
 * "0 of the persons of this small stratum had the test" tells the negative attribute of every
 * member. Margins guard part of this (a small stratum's total is itself suppressed, and a rate's
 * `denominatorPersons` is checked), not all of it: turn `suppressZero` on for sensitive
 * attributes (HIV, psychiatry, abortion). Statistics of zero persons (a mean of nobody) carry no
 * value and are released as null either way.
 */
import type { AggregateCell, AggregateTable } from './aggregate-table.js';
import { indexPositions } from './table-positions.js';

/** Default: zero cells are shown (SNDS practice). */
export const DEFAULT_SUPPRESS_ZERO = false;

/** Options of primary suppression. */
export interface PrimarySuppressionOptions {
  /** k: cells from fewer persons are withheld (the permit's `minCellSize`). */
  readonly minCellSize: number;
  /** Withhold zero cells too. */
  readonly suppressZero: boolean;
}

/** True when a number of persons must be withheld: 1..k−1, or 0 with `suppressZero`. */
export function isBelowThreshold(persons: number, options: PrimarySuppressionOptions): boolean {
  if (persons === 0) return options.suppressZero;
  return persons < options.minCellSize;
}

/**
 * True when a cell is sensitive by itself: its persons (for a rate, the numerator's), or a rate's
 * counted denominator, below the threshold.
 */
export function isPrimarySensitive(
  cell: AggregateCell,
  options: PrimarySuppressionOptions,
): boolean {
  if (isBelowThreshold(cell.persons, options)) return true;
  const den = cell.rate?.denominatorPersons;
  return den !== undefined && isBelowThreshold(den, options);
}

/**
 * The positions of `table` with at least one primary-sensitive cell, in canonical order. The
 * whole position is withheld (see `table-positions.ts` for why).
 */
export function primarySensitivePositions(
  table: AggregateTable,
  options: PrimarySuppressionOptions,
): string[] {
  return indexPositions(table)
    .positions.filter((p) => p.cells.some((c) => isPrimarySensitive(c, options)))
    .map((p) => p.key);
}
