/**
 * All-cause excess mortality by ISO week and area (issue #7), in one statement: the weekly death
 * series of `computeIndicatorSeries` (`deaths`, INSEE-style annual denominator: the persons
 * observed during the ISO year) over the requested weeks and the `baselineYears` ISO years before,
 * compared in SQL with a baseline from the same ISO week of earlier years.
 *
 * **Baseline** (historical limits in the manner of Farrington's, on rates rather than counts so
 * that a warehouse whose sample grows, or years it does not cover, do not bias it): for week w of
 * year Y, the k previous years y ∈ [Y − `baselineYears`, Y − 1] whose population in the area is
 * not zero give the weekly death rate r = Σ d(y, w) / Σ n(y); the expected deaths are
 * E = n(Y) · r. Week 53 is compared with week 52 of the baseline years.
 * Overdispersion: the Pearson statistic φ = max(1, Σ (d(y, w) − n(y) r)² / (n(y) r) / (k − 1))
 * (1 when k < 2). Band: excess = observed − E with the 95 % prediction band
 * ± 1.96 · √(φ E (1 + n(Y) / Σ n(y))) (the variance of a new count plus that of the estimated
 * baseline). Expected, excess and band are null when no baseline year has a population.
 */
import { HygieError } from '@hygie/core';
import type { PopulationFilters } from '@hygie/core';
import type { CompiledSql, PopulationPurpose } from '@hygie/analytics';
import { SqlParams } from '@hygie/analytics';
import type { SqlDialect, SqlParam, WarehouseSession } from '@hygie/warehouse';
import { isoWeek, seriesBuckets } from './calendar.js';
import { compileIndicatorSeries } from './indicator-series.js';
import type { AreaLevel } from './indicator-series.js';

/** What to compute. */
export interface ExcessMortalityOptions {
  /** `YYYY-MM-DD`, both included; widened to whole ISO weeks. */
  readonly period: { readonly from: string; readonly to: string };
  readonly level: AreaLevel;
  readonly purpose: PopulationPurpose;
  readonly filters?: PopulationFilters;
  /** Years of the baseline (default 5, 1 to 10). */
  readonly baselineYears?: number;
}

/** One area × ISO week. */
export interface ExcessMortalityRow {
  readonly area: string;
  /** `2024-W09`. */
  readonly period: string;
  readonly observed: number;
  /** Persons observed during the ISO year. */
  readonly population: number;
  /** Baseline years with a population. */
  readonly baselineYears: number;
  readonly expected: number | null;
  readonly dispersion: number | null;
  readonly excess: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

const Z = 1.959963984540054;

/** Compiles the statement (see the module comment). */
export function compileExcessMortality(
  options: ExcessMortalityOptions,
  dialect: SqlDialect,
): CompiledSql {
  const k = options.baselineYears ?? 5;
  if (!Number.isInteger(k) || k < 1 || k > 10) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'baselineYears is 1 to 10', {
      argument: 'baselineYears',
    });
  }
  const requested = seriesBuckets(options.period, 'isoweek');
  const first = requested[0];
  if (first === undefined) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'empty period', { argument: 'period' });
  }
  const firstYear = isoWeek(Date.parse(`${first.start}T00:00:00Z`)).year;
  // 4 January is always in ISO week 1.
  const series = compileIndicatorSeries(
    {
      indicator: { kind: 'deaths' },
      period: { from: `${String(firstYear - k).padStart(4, '0')}-01-04`, to: options.period.to },
      unit: 'isoweek',
      level: options.level,
      purpose: options.purpose,
      ...(options.filters ? { filters: options.filters } : {}),
      denominator: 'insee',
    },
    dialect,
  );
  const p = new SqlParams(dialect, series.params.length);
  const K = dialect.cast(p.add(k), 'integer');
  const FIRST = dialect.cast(p.add(first.label), 'text');
  const d = (x: string): string => dialect.cast(x, 'double');
  const year = (x: string): string => dialect.cast(`substr(${x}, 1, 4)`, 'integer');
  const sql =
    `WITH s AS (\n  SELECT t.area, t.period, t.cases, t.population, ${year('t.period')} AS y,\n` +
    `    substr(t.period, 6, 3) AS wk FROM (\n${series.sql}\n) t\n),\n` +
    `pairs AS (\n  SELECT cur.area, cur.period, pr.cases AS d, pr.population AS n FROM s cur\n` +
    `  JOIN s pr ON pr.area = cur.area\n` +
    `    AND pr.wk = CASE WHEN cur.wk = 'W53' THEN 'W52' ELSE cur.wk END\n` +
    `  WHERE pr.y BETWEEN cur.y - ${K} AND cur.y - 1 AND pr.population > 0\n),\n` +
    `base AS (\n  SELECT area, period, count(*) AS k, ${d('sum(d)')} AS dsum, ${d('sum(n)')} AS nsum\n` +
    `  FROM pairs GROUP BY area, period\n),\n` +
    `disp AS (\n  SELECT pairs.area, pairs.period,\n` +
    `    sum(${dialect.ratio('(pairs.d - pairs.n * b.dsum / b.nsum) * (pairs.d - pairs.n * b.dsum / b.nsum)', 'pairs.n * b.dsum / b.nsum')}) AS pearson\n` +
    `  FROM pairs JOIN base b ON b.area = pairs.area AND b.period = pairs.period\n` +
    `  GROUP BY pairs.area, pairs.period\n),\n` +
    `est AS (\n  SELECT s.area, s.period, s.cases AS observed, s.population, coalesce(b.k, 0) AS k,\n` +
    `    ${d('s.population')} * b.dsum / b.nsum AS expected,\n` +
    `    CASE WHEN b.k IS NULL THEN NULL WHEN b.k < 2 THEN 1.0\n` +
    `      ELSE greatest(1.0, coalesce(ds.pearson, 0) / (b.k - 1)) END AS dispersion,\n` +
    `    ${d('s.population')} / b.nsum AS share\n` +
    `  FROM s LEFT JOIN base b ON b.area = s.area AND b.period = s.period\n` +
    `  LEFT JOIN disp ds ON ds.area = s.area AND ds.period = s.period\n` +
    `  WHERE ${dialect.binaryOrder('s.period')} >= ${dialect.binaryOrder(FIRST)}\n)\n` +
    `SELECT area, period, observed, population, k AS baseline_years, expected, dispersion,\n` +
    `  observed - expected AS excess,\n` +
    `  sqrt(dispersion * expected * (1 + share)) AS sd\n` +
    `FROM est ORDER BY ${dialect.binaryOrder('area')}, period`;
  return { sql, params: [...series.params, ...p.values] };
}

interface RawRow {
  area: string;
  period: string;
  observed: number | bigint;
  population: number | bigint;
  baseline_years: number | bigint;
  expected: number | null;
  dispersion: number | null;
  excess: number | null;
  sd: number | null;
}

/** Weekly all-cause excess mortality by area (see the module comment). */
export async function computeExcessMortality(
  session: WarehouseSession,
  options: ExcessMortalityOptions,
): Promise<ExcessMortalityRow[]> {
  const compiled = compileExcessMortality(options, session.dialect);
  const rows = await session.query<RawRow>(compiled.sql, compiled.params as SqlParam[]);
  return rows.map((r) => {
    const expected = r.expected === null ? null : Number(r.expected);
    const excess = r.excess === null ? null : Number(r.excess);
    const half = r.sd === null ? null : Z * Number(r.sd);
    return {
      area: r.area,
      period: r.period,
      observed: Number(r.observed),
      population: Number(r.population),
      baselineYears: Number(r.baseline_years),
      expected,
      dispersion: r.dispersion === null ? null : Number(r.dispersion),
      excess,
      lower: excess === null || half === null ? null : excess - half,
      upper: excess === null || half === null ? null : excess + half,
    };
  });
}
