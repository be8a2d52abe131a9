/**
 * What running a query returns, before disclosure control: one table per measure, each a list of
 * rows (cells) keyed by their strata, with the statistics of the measure and the number of
 * distinct persons behind the row; and, for a cohort, the attrition report. Raw values — nothing
 * here may leave the platform without passing disclosure control (`toAggregateTables` gives the
 * disclosure module's input).
 */
import type { Measure, StratificationDimension } from '@hygie/core';
import type { AttritionStep } from './cohort-sql.js';

/** What a statistic is, as disclosure control needs to know it. */
export type ResultStatisticKind =
  /** A number of distinct persons. */
  | 'count'
  /** A number of events (a person may contribute several). */
  | 'event_count'
  /** Person-years at risk. */
  | 'person_time'
  /** A rate per `per`. */
  | 'rate'
  | 'mean'
  | 'sd'
  | 'quantile';

/** One statistic of a result table. */
export interface ResultStatistic {
  readonly name: string;
  readonly kind: ResultStatisticKind;
  /** For rates: the unit (per 1,000, 10,000 or 100,000). */
  readonly per?: number;
  /** For quantiles: which one, in (0, 1). */
  readonly quantile?: number;
  /** For rates: directly standardised to this population. */
  readonly standard?: string;
}

/** One row (cell) of a result table. */
export interface ResultRow {
  /**
   * The row's value of each dimension of the table: a sex (`female`, `male`), an age band
   * (`18-64`, `65+`), a département or région code, a calendar label (`2024`, `2024-Q1`,
   * `2024-03`, `2024-W09`, `2024-03-01`). Null when unknown (a sex other than female or male, a
   * person without a location).
   */
  readonly strata: Readonly<Record<string, string | null>>;
  /** The statistics, by name; null when undefined (a rate over nothing, an sd of one value). */
  readonly values: Readonly<Record<string, number | null>>;
  /**
   * Distinct persons behind the row: the persons counted (person count), with an event (event
   * count), at risk (prevalence, incidence: the denominator), with a value (distribution).
   */
  readonly persons: number;
}

/** The result of one measure. */
export interface ResultTable {
  readonly measure: string;
  readonly kind: Measure['kind'];
  readonly dimensions: readonly StratificationDimension[];
  readonly statistics: readonly ResultStatistic[];
  /** Rows in the order of their strata (code point order, unknown last). */
  readonly rows: readonly ResultRow[];
}

/** One line of a cohort's attrition report. */
export interface AttritionRow extends AttritionStep {
  /** 0 for the entry, then each step in order. */
  readonly step: number;
  /** Persons still in after the step. */
  readonly persons: number;
}

/** The raw result of a query. */
export interface QueryResult {
  readonly queryHash: string;
  readonly tables: readonly ResultTable[];
  /** The cohort's attrition, or null without a cohort. */
  readonly attrition: readonly AttritionRow[] | null;
}
