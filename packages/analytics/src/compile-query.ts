/**
 * The query compiler: an analytic query (`@hygie/core` query model) and a permit's population
 * become SQL for one warehouse dialect — one statement per measure, one membership statement per
 * measure for the differencing defence, one attrition statement for a cohort — plus the data the
 * query reads, for the permit check.
 *
 * Every statement starts from the permit's population (`pop`: opted-out persons already
 * excluded) and reads events only inside the permit period. User values (codes, vocabularies,
 * dates, numbers) are bound parameters numbered after the population's; the only literals are
 * compiler constants (gender concepts, flags, age band labels, calendar buckets generated from
 * validated ISO dates). Semantics: docs/architecture.md, "Governed analytics".
 */
import { HygieError, queryHash } from '@hygie/core';
import type {
  DataItem,
  Measure,
  Period,
  Query,
  StandardPopulation,
  StratificationDimension,
} from '@hygie/core';
import type { DialectName, SqlDialect } from '@hygie/warehouse';
import { attritionSelect, attritionSteps } from './cohort-sql.js';
import type { AttritionStep } from './cohort-sql.js';
import type { CompileScope } from './compile-scope.js';
import { distributionSelects } from './distribution-sql.js';
import { eventCountSelects } from './event-count-sql.js';
import { incidenceSelects } from './incidence-sql.js';
import type { MeasureSelects } from './measure-sql.js';
import { personCountSelects } from './person-count-sql.js';
import { compilePopulation } from './population-sql.js';
import type { CompiledSql, PopulationDefinition } from './population-sql.js';
import { prevalenceSelects } from './prevalence-sql.js';
import { populationColumns, queryNeeds } from './query-needs.js';
import { requiredData } from './required-data.js';
import type { ResultStatistic } from './result-table.js';
import { SqlStatementBuilder } from './statement-builder.js';

/** What the compiler needs besides the query. */
export interface CompileContext {
  readonly dialect: SqlDialect;
  /**
   * The permit's population: its filters, the permit's period (the query period must lie
   * inside it; no event outside it is read) and the purpose (which opt-outs exclude). The
   * compiler compiles it (`compilePopulation`) carrying the person attributes the query uses.
   */
  readonly population: PopulationDefinition;
}

/** How the rows of a standardised measure's statement are per standard stratum. */
export interface CompiledStandardisation {
  readonly population: StandardPopulation;
  /** The query's age bands (lower bounds), to know which standard strata a cell covers. */
  readonly ageBands: readonly number[];
}

/** One measure, compiled. */
export interface CompiledMeasure {
  readonly name: string;
  readonly kind: Measure['kind'];
  readonly dimensions: readonly StratificationDimension[];
  /** The statistics of the result table, in order. */
  readonly statistics: readonly ResultStatistic[];
  /**
   * The measure's statement: one row per cell, columns `d_<dimension>…`, then counts or
   * statistics, then `persons`. Standardised rates: one row per cell and standard stratum
   * (`std_band`, `std_sex`), which `runQuery` adds up.
   */
  readonly sql: CompiledSql;
  /** Who is behind each cell: `d_<dimension>…, person_id, counted` (never released). */
  readonly membershipSql: CompiledSql;
  /** Rate unit (prevalence, incidence). */
  readonly per?: number;
  readonly standardise?: CompiledStandardisation;
  /** Quantiles of a distribution, in the order of their `q_<i>` columns. */
  readonly quantiles?: readonly number[];
}

/** A cohort's attrition statement: `step`, `persons`, one row per step. */
export interface CompiledAttrition {
  readonly steps: readonly AttritionStep[];
  readonly sql: CompiledSql;
}

/** A compiled query. */
export interface CompiledQuery {
  readonly queryHash: string;
  readonly dialect: DialectName;
  /** The tables and variables the query reads: the permit access request's `data`. */
  readonly data: DataItem[];
  readonly measures: readonly CompiledMeasure[];
  readonly attrition: CompiledAttrition | null;
}

function statisticsOf(m: Measure): ResultStatistic[] {
  switch (m.kind) {
    case 'person_count':
      return [{ name: 'count', kind: 'count' }];
    case 'event_count':
      return [{ name: 'events', kind: 'event_count' }];
    case 'prevalence':
    case 'incidence_rate': {
      const denominator: ResultStatistic =
        m.kind === 'prevalence'
          ? { name: 'population', kind: 'count' }
          : { name: 'person_years', kind: 'person_time' };
      const stats: ResultStatistic[] = [
        { name: 'cases', kind: 'count' },
        denominator,
        { name: 'rate', kind: 'rate', per: m.per },
      ];
      if (m.standardise) {
        stats.push({
          name: 'standardised_rate',
          kind: 'rate',
          per: m.per,
          standard: m.standardise,
        });
      }
      return stats;
    }
    case 'distribution':
      return [
        // Values: one per person for ages and follow-up, possibly several for measurements.
        { name: 'n', kind: m.variable.of === 'measurement_value' ? 'event_count' : 'count' },
        { name: 'mean', kind: 'mean' },
        { name: 'sd', kind: 'sd' },
        ...m.quantiles.map((q) => ({
          name: quantileName(q),
          kind: 'quantile' as const,
          quantile: q,
        })),
      ];
  }
}

/** The statistic name of a quantile: `p50` for 0.5, `p2_5` for 0.025. */
export function quantileName(q: number): string {
  return `p${String(Number((q * 100).toPrecision(12))).replace('.', '_')}`;
}

function selectsOf(s: CompileScope, m: Measure): MeasureSelects {
  switch (m.kind) {
    case 'person_count':
      return personCountSelects(s);
    case 'event_count':
      return eventCountSelects(s, m.events);
    case 'prevalence':
      return prevalenceSelects(s, m.events, m.standardise !== undefined);
    case 'incidence_rate':
      return incidenceSelects(s, m.events, m.washoutDays, m.standardise !== undefined);
    case 'distribution':
      return distributionSelects(s, m);
  }
}

function checkPeriod(query: Query, permit: Period): void {
  if (query.period.from < permit.from || query.period.to > permit.to) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      'the query period must lie inside the permit period',
      { argument: 'period', permitFrom: permit.from, permitTo: permit.to },
    );
  }
}

/** Compiles a validated query (`parseQuery`) for a dialect and a permit's population. */
export function compileQuery(query: Query, context: CompileContext): CompiledQuery {
  const permitPeriod = context.population.period;
  checkPeriod(query, permitPeriod);
  const needs = queryNeeds(query);
  const population = compilePopulation(context.population, context.dialect, {
    columns: populationColumns(needs),
  });
  const scope = (): CompileScope => ({
    query,
    dialect: context.dialect,
    b: new SqlStatementBuilder(context.dialect, population),
    permitPeriod,
    needs,
  });
  const measures = query.measures.map((m): CompiledMeasure => {
    const s = scope();
    const selects = selectsOf(s, m);
    const rated = m.kind === 'prevalence' || m.kind === 'incidence_rate';
    return {
      name: m.name,
      kind: m.kind,
      dimensions: [...query.stratify],
      statistics: statisticsOf(m),
      sql: s.b.build(selects.select),
      membershipSql: s.b.build(selects.membership),
      ...(rated ? { per: m.per } : {}),
      ...(rated && m.standardise
        ? { standardise: { population: m.standardise, ageBands: [...query.ageBands] } }
        : {}),
      ...(m.kind === 'distribution' ? { quantiles: [...m.quantiles] } : {}),
    };
  });
  let attrition: CompiledAttrition | null = null;
  if (query.cohort !== undefined) {
    const s = scope();
    attrition = {
      steps: attritionSteps(query.cohort),
      sql: s.b.build(attritionSelect(s, query.cohort)),
    };
  }
  return {
    queryHash: queryHash(query),
    dialect: context.dialect.name,
    data: requiredData(query),
    measures,
    attrition,
  };
}
