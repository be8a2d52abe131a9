/**
 * A conformance spec: a small world, a permit, a query, and the result written out by hand (the
 * arithmetic in comments next to it, never obtained by running the code). The same specs run on
 * every engine (`run-spec.ts`); a spec passes when the engine's result equals the expected one
 * exactly — same cells, same strata — with numbers equal to a relative 1e-9.
 */
import type { Period, PopulationFilters, QueryInput } from '@hygie/core';
import type { World } from './world.js';

/** One expected row of a result table. */
export interface ExpectedRow {
  /** The row's strata, by dimension (absent when the query has no stratification). */
  readonly strata?: Readonly<Record<string, string | null>>;
  readonly values: Readonly<Record<string, number | null>>;
  readonly persons: number;
}

/** A conformance spec. */
export interface ConformanceSpec {
  readonly name: string;
  readonly world: () => World;
  /** The permit: period (default 2019-01-01 to 2023-12-31) and population filters (none). */
  readonly permit?: { readonly period?: Period; readonly filters?: PopulationFilters };
  readonly query: QueryInput;
  readonly expect: {
    /** Expected rows of each measure, by measure name, in result order. */
    readonly tables?: Readonly<Record<string, readonly ExpectedRow[]>>;
    /** Persons after each attrition step. */
    readonly attrition?: readonly number[];
  };
}

/** The default permit period of the specs. */
export const PERMIT_PERIOD: Period = { from: '2019-01-01', to: '2023-12-31' };

/** Person-years of `days` days. */
export function years(days: number): number {
  return days / 365.25;
}

/** Shorthand for one expected row. */
export function row(
  strata: Readonly<Record<string, string | null>> | null,
  values: Readonly<Record<string, number | null>>,
  persons: number,
): ExpectedRow {
  return strata === null ? { values, persons } : { strata, values, persons };
}
