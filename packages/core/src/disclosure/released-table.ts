/**
 * The released form of an aggregate table: what may leave the platform once disclosure control
 * has run. A withheld position has no value at all (null), not a flag next to its value; no
 * cell carries a persons count below the minimum cell size; per-person contributions (the raw
 * material of the dominance rule) are dropped. Why a position was withheld is not said here —
 * telling "primary" from "secondary" would tell "fewer than k" from "k or more" — it is in the
 * disclosure report, which is for the output checker.
 */
import type { AggregateTable, MeasureSpec, Strata } from './aggregate-table.js';
import type { SuppressionPattern } from './suppression-pattern.js';
import { positionKey } from './table-positions.js';

/** The released parts of a rate. */
export interface ReleasedRate {
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly per: number;
}

/** One released cell. */
export interface ReleasedCell {
  readonly strata: Strata;
  readonly measure: string;
  /** Null when withheld, or when the statistic is undefined (a mean of nobody). */
  readonly value: number | null;
  /**
   * Persons the value is computed from: null when withheld, when below the minimum cell size (a
   * zero cell shows its zero as the value), or when noise was added (an exact count would undo
   * the noise).
   */
  readonly persons: number | null;
  readonly rate?: ReleasedRate;
  readonly suppressed: boolean;
}

/** A table after disclosure control. */
export interface ReleasedTable {
  readonly dimensions: readonly string[];
  readonly measures: readonly MeasureSpec[];
  readonly margins: readonly (readonly string[])[];
  readonly cells: readonly ReleasedCell[];
}

/**
 * The released form of `table` under `pattern`: withheld positions emptied, persons below
 * `minCellSize` hidden, contributions dropped. Cells keep the table's order.
 */
export function releaseTable(
  table: AggregateTable,
  pattern: SuppressionPattern,
  minCellSize: number,
): ReleasedTable {
  const cells = table.cells.map((cell): ReleasedCell => {
    const suppressed = pattern.has(positionKey(table.dimensions, cell.strata));
    const out: ReleasedCell = {
      strata: cell.strata,
      measure: cell.measure,
      value: suppressed ? null : cell.value,
      persons: suppressed || cell.persons < minCellSize ? null : cell.persons,
      suppressed,
    };
    if (!cell.rate) return out;
    const { numerator, denominator, per } = cell.rate;
    return {
      ...out,
      rate: suppressed
        ? { numerator: null, denominator: null, per }
        : { numerator, denominator, per },
    };
  });
  return {
    dimensions: table.dimensions,
    measures: table.measures,
    margins: table.margins,
    cells,
  };
}
