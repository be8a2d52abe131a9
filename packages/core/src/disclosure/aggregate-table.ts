/**
 * The aggregate tables that disclosure control protects, as a query compiler produces them
 * (DESIGN.md §3, §4.2: only aggregates leave, and only after disclosure control).
 *
 * A table is a list of cells. A cell sits at a *position* — its stratum keys — and holds one
 * *measure* there. Margins are cells whose strata omit the dimensions they total over: in a table
 * of dimensions `[sex, departement]`, `{sex: 'F', departement: '75'}` is an interior cell,
 * `{sex: 'F'}` the total over départements for women and `{}` the grand total. That is what
 * `GROUP BY GROUPING SETS / CUBE / ROLLUP` yields once `GROUPING()` bits are turned into absent
 * keys; an absent key is used rather than a sentinel (NULL, `'Total'`) because a real stratum can
 * be NULL (unknown sex) and a sentinel string could collide with a real value.
 */
import { z } from 'zod';
import { HygieError } from '../errors.js';
import { dataNameSchema } from '../governance/permit-scope.js';
import { parseGovernanceInput } from '../governance/parse.js';

/** Kinds of statistic a cell can hold. */
export const STATISTIC_KINDS = [
  'count',
  'event_count',
  'sum',
  'mean',
  'sd',
  'rate',
  'quantile',
] as const;

/**
 * A kind of statistic: `count` of distinct persons; `event_count` of events (stays, dispensings);
 * `sum` of a per-person magnitude (costs, days); `mean` and `sd` (standard deviation) of a
 * per-person value; `rate` as numerator / denominator × per (crude, or standardised: the value
 * then differs from the quotient); `quantile` of a per-person value.
 */
export type StatisticKind = (typeof STATISTIC_KINDS)[number];

/**
 * Statistics whose margins are sums of their cells, so that a suppressed cell can be recomputed
 * by subtraction (what secondary suppression defends).
 */
export const ADDITIVE_STATISTICS: ReadonlySet<StatisticKind> = new Set([
  'count',
  'event_count',
  'sum',
]);

/** Most dimensions a table may have (a full cube has 2^n grouping sets). */
export const MAX_DIMENSIONS = 12;

/** The value of one stratum key: a code, a year, a flag, or null for "unknown". */
export type StratumValue = string | number | boolean | null;

/**
 * The stratum keys of a cell. A dimension of the table that is absent here is totalled over: the
 * cell is a margin.
 */
export type Strata = Readonly<Record<string, StratumValue>>;

/** How a measure was computed, as far as disclosure control and differential privacy care. */
export interface MeasureSpec {
  /** Name of the measure, unique in the table (e.g. `persons`, `stays`, `mean_cost`). */
  readonly name: string;
  readonly statistic: StatisticKind;
  /**
   * For `event_count`: the most events one person contributes to one cell, as the compiler
   * clamped it. Needed only to add noise (the sensitivity of the count).
   */
  readonly maxPerPerson?: number;
  /**
   * For `sum` and `mean`: the bounds each person's contribution was clamped to before
   * aggregation. Needed only to add noise.
   */
  readonly clamp?: { readonly lower: number; readonly upper: number };
  /** For `quantile`: which one, in (0, 1) (0.5 is the median). */
  readonly quantile?: number;
}

/** Numerator and denominator of a rate; the cell's value is `numerator / denominator × per`. */
export interface RateParts {
  /** Events or persons counted in the numerator. */
  readonly numerator: number;
  /** Persons, person-time or a reference population. */
  readonly denominator: number;
  /** Scale of the rate (1, 1000, 100000). */
  readonly per: number;
  /**
   * Distinct persons in the denominator when the denominator is counted from the data (not
   * person-time, not an outside population): checked against the minimum cell size too, since
   * "0 out of 4" discloses as much as "4".
   */
  readonly denominatorPersons?: number;
}

/**
 * What the dominance rule needs of a magnitude cell: its largest per-person contributions and
 * their total. Contributions are per person (a person's events summed first), non-negative (the
 * compiler takes absolute values when contributions can be negative), and never released.
 */
export interface Contributions {
  /** The largest contributions in descending order: at least the top two (fewer persons, all). */
  readonly top: readonly number[];
  /** The sum of all contributions (for a sum of non-negative values, the cell's value). */
  readonly total: number;
}

/** One statistic at one position of a table. */
export interface AggregateCell {
  readonly strata: Strata;
  /** Name of a measure of the table. */
  readonly measure: string;
  /**
   * The statistic's value; null only when it is undefined (a mean, sd or quantile of too few, a
   * rate over a zero denominator).
   */
  readonly value: number | null;
  /**
   * Distinct persons the value is computed from. For a `count`, the value itself; for a `rate`,
   * the persons counted in the numerator (where the disclosure risk lies).
   */
  readonly persons: number;
  /** For `rate` cells only. */
  readonly rate?: RateParts;
  /** For `sum` cells (required when the dominance rule is on) and optionally `mean` cells. */
  readonly contributions?: Contributions;
}

/** A table of aggregates before disclosure control. */
export interface AggregateTable {
  /** The dimensions, in display order (also the canonical order of positions). */
  readonly dimensions: readonly string[];
  readonly measures: readonly MeasureSpec[];
  /**
   * The margins present, each named by the dimensions it keeps (a grouping set): `[]` is the
   * grand total, `['sex']` the totals by sex over all other dimensions. The full set of
   * dimensions (the interior) is implied and not listed.
   */
  readonly margins: readonly (readonly string[])[];
  /**
   * Totals of this table released elsewhere (another query, a publication), by their strata:
   * `{}` when the grand total is known although the table has no margins. Each is a line
   * equation an attacker can use, so secondary suppression treats it as a published margin.
   */
  readonly publishedTotals?: readonly Strata[];
  readonly cells: readonly AggregateCell[];
}

const stratumValueSchema = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);

const strataSchema = z.record(z.string(), stratumValueSchema);

const measureSpecSchema = z.strictObject({
  name: dataNameSchema,
  statistic: z.enum(STATISTIC_KINDS),
  maxPerPerson: z.number().int().min(1).max(1_000_000).optional(),
  clamp: z
    .strictObject({ lower: z.number(), upper: z.number() })
    .refine((c) => c.lower <= c.upper, { message: 'lower must not exceed upper' })
    .optional(),
  quantile: z.number().gt(0).lt(1).optional(),
});

const rateSchema = z.strictObject({
  numerator: z.number().min(0),
  denominator: z.number().min(0),
  per: z.number().positive().default(1),
  denominatorPersons: z.number().int().min(0).optional(),
});

const contributionsSchema = z.strictObject({
  top: z.array(z.number().min(0)).max(16),
  total: z.number().min(0),
});

const cellSchema = z.strictObject({
  strata: strataSchema,
  measure: dataNameSchema,
  value: z.number().nullable(),
  persons: z.number().int().min(0),
  rate: rateSchema.optional(),
  contributions: contributionsSchema.optional(),
});

/** The zod schema of the structure of a table; {@link parseAggregateTable} adds the semantics. */
export const aggregateTableSchema = z.strictObject({
  dimensions: z.array(dataNameSchema).max(MAX_DIMENSIONS),
  measures: z.array(measureSpecSchema).min(1).max(64),
  margins: z.array(z.array(dataNameSchema)).max(2 ** MAX_DIMENSIONS),
  publishedTotals: z.array(strataSchema).max(10_000).optional(),
  cells: z.array(cellSchema),
});

function invalid(argument: string, message: string): HygieError {
  return new HygieError('HYG_INVALID_ARGUMENT', `aggregate table: ${argument}: ${message}`, {
    argument,
    what: 'aggregate table',
  });
}

function distinct(values: readonly string[]): boolean {
  return new Set(values).size === values.length;
}

/** The grouping set of `keys` as a bit mask over `dimensions` (bit i: dimension i kept). */
function maskOf(dimensions: readonly string[], keys: readonly string[]): number | null {
  let mask = 0;
  for (const key of keys) {
    const i = dimensions.indexOf(key);
    if (i < 0) return null;
    mask |= 1 << i;
  }
  return mask;
}

/** Checks a cell against its measure's statistic; returns a message or null. */
function cellProblem(cell: AggregateCell, spec: MeasureSpec): [string, string] | null {
  const { statistic } = spec;
  if (cell.value !== null && !Number.isFinite(cell.value)) return ['value', 'must be finite'];
  if (cell.value === null && !['mean', 'sd', 'quantile', 'rate'].includes(statistic)) {
    return ['value', `may be null only for a mean, sd, quantile or rate, not a ${statistic}`];
  }
  if (statistic === 'count' && cell.value !== cell.persons) {
    return ['value', 'a count of persons must equal its persons'];
  }
  if (statistic === 'event_count') {
    const v = cell.value ?? 0;
    if (!Number.isInteger(v) || v < cell.persons || (cell.persons === 0 && v !== 0)) {
      return ['value', 'an event count must be a whole number, at least its persons'];
    }
  }
  if ((statistic === 'rate') !== (cell.rate !== undefined)) {
    return ['rate', 'rate parts are required for a rate and only for a rate'];
  }
  if (cell.contributions !== undefined) {
    if (statistic !== 'sum' && statistic !== 'mean') {
      return ['contributions', 'only sums and means carry contributions'];
    }
    const { top, total } = cell.contributions;
    for (let i = 1; i < top.length; i++) {
      if ((top[i] as number) > (top[i - 1] as number)) {
        return ['contributions.top', 'must be in descending order'];
      }
    }
    if (top.length < Math.min(cell.persons, 2)) {
      return ['contributions.top', 'must hold the top two contributions'];
    }
    if (top.length > cell.persons) return ['contributions.top', 'more contributions than persons'];
    const topSum = top.reduce((s, x) => s + x, 0);
    if (topSum > total * (1 + 1e-9) + 1e-9) {
      return ['contributions.total', 'must not be less than the top contributions'];
    }
  }
  return null;
}

/**
 * Checks what the schema cannot: strata keys are dimensions and form a declared grouping set,
 * each measure appears once per position, values agree with their statistic. Throws
 * `HYG_INVALID_ARGUMENT` naming the field, never a value.
 */
export function checkAggregateTable(table: AggregateTable): void {
  const dims = table.dimensions;
  if (!distinct([...dims])) throw invalid('dimensions', 'must be distinct');
  if (!distinct(table.measures.map((m) => m.name))) {
    throw invalid('measures', 'names must be distinct');
  }
  const full = (1 << dims.length) - 1;
  const groupingSets = new Set<number>([full]);
  table.margins.forEach((margin, i) => {
    const mask = maskOf(dims, margin);
    if (mask === null || !distinct([...margin])) {
      throw invalid(`margins.${i}`, 'must name distinct dimensions of the table');
    }
    if (groupingSets.has(mask)) throw invalid(`margins.${i}`, 'listed twice or is the interior');
    groupingSets.add(mask);
  });
  table.publishedTotals?.forEach((total, i) => {
    const mask = maskOf(dims, Object.keys(total));
    if (mask === null) throw invalid(`publishedTotals.${i}`, 'must use dimensions of the table');
    if (groupingSets.has(mask)) {
      throw invalid(`publishedTotals.${i}`, 'its grouping set is already in the table');
    }
  });
  const specs = new Map(table.measures.map((m) => [m.name, m]));
  table.measures.forEach((m, i) => {
    if (m.statistic === 'event_count' || m.maxPerPerson === undefined) return;
    throw invalid(`measures.${i}.maxPerPerson`, 'only for an event count');
  });
  const seen = new Set<string>();
  table.cells.forEach((cell, i) => {
    const spec = specs.get(cell.measure);
    if (!spec) throw invalid(`cells.${i}.measure`, 'is not a measure of the table');
    const mask = maskOf(dims, Object.keys(cell.strata));
    if (mask === null) throw invalid(`cells.${i}.strata`, 'must use dimensions of the table');
    if (!groupingSets.has(mask)) {
      throw invalid(`cells.${i}.strata`, 'is neither the interior nor a declared margin');
    }
    const key = JSON.stringify([
      cell.measure,
      dims.map((d) => (d in cell.strata ? [cell.strata[d]] : [])),
    ]);
    if (seen.has(key)) throw invalid(`cells.${i}`, 'a measure appears twice at one position');
    seen.add(key);
    const problem = cellProblem(cell, spec);
    if (problem) throw invalid(`cells.${i}.${problem[0]}`, problem[1]);
  });
}

/**
 * Parses a table at the boundary between the query compiler and disclosure control: structure
 * by zod, then {@link checkAggregateTable}. Throws `HYG_INVALID_ARGUMENT`.
 */
export function parseAggregateTable(raw: unknown): AggregateTable {
  const table: AggregateTable = parseGovernanceInput(aggregateTableSchema, raw, 'aggregate table');
  checkAggregateTable(table);
  return table;
}
