/**
 * The population of a permit as SQL: compiles the scope's `PopulationFilters` and period into a
 * parameterised `SELECT person_id` over the OMOP `person` table, minus opted-out persons. The
 * analytics compiler puts it in front of every research query as a CTE, the permit's population
 * count runs it alone, and a citizen's "who used my data" view runs its filters for one person.
 *
 * No user value is ever spliced into the SQL text: départements, régions and dates travel as
 * bound parameters; concept ids (up to 10,000 per concept set, too many for parameters) and the
 * fixed gender concept ids are re-checked here as positive 32-bit integers before they are
 * written as numbers, so nothing but digits can reach the text.
 *
 * Semantics (one line each in the permit documentation, docs/api.md):
 *
 * - **Age range** `{min, max}`: the person is included when the range overlaps the ages they have
 *   during the permit period — age at `period.to` ≥ min and age at `period.from` ≤ max. The
 *   warehouse keeps no exact birth date (DESIGN.md §4.1): the birth date is taken as the first of
 *   the month of birth, and 1 July when the month is unknown (mid-year). With birth on the first
 *   of a month, age in whole years at date d is ⌊(months from the birth month to d's month) / 12⌋,
 *   so the test becomes one range on `year_of_birth * 12 + month − 1`, with bounds computed here.
 * - **Sex**: `gender_concept_id` 8532 (female) / 8507 (male).
 * - **Départements** (`location.county`) and **régions** (`location.state`) of the person's
 *   location; when both are given both must hold. A person without a location is outside any
 *   geographic filter.
 * - **Conditions**: at least one `condition_occurrence` starting on or before `period.to` whose
 *   concept is in ANY of the concept sets, descendants included through `concept_ancestor` (and
 *   the concept itself, in case `concept_ancestor` lacks the reflexive row). Conditions that start
 *   before the period count: a prevalent case is part of the population.
 * - An absent filter does not restrict.
 * - **Opt-outs** (`hygie_opt_out`, DESIGN.md §4.4): always excluded from research populations;
 *   for surveillance, only the opt-outs that are not surveillance-exempt.
 */
import { HygieError } from '@hygie/core';
import type { Period, PopulationFilters } from '@hygie/core';
import type { SqlDialect, SqlParam } from '@hygie/warehouse';

/** OMOP gender concepts of the sexes a permit may name. */
export const GENDER_CONCEPT_IDS = { female: 8532, male: 8507 } as const;

/** Month of birth assumed when the warehouse does not know it (mid-year: 1 July). */
export const UNKNOWN_BIRTH_MONTH = 7;

/** What a population is computed for: which opt-outs exclude a person. */
export type PopulationPurpose = 'research' | 'surveillance';

/** A compiled statement: SQL text with `$n` placeholders and the values to bind. */
export interface CompiledSql {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

/** Collects bound parameters and hands out their placeholders. */
export class SqlParams {
  readonly values: SqlParam[] = [];

  /**
   * @param dialect writes the placeholders
   * @param offset parameters already bound before this fragment (the next one is `offset + 1`)
   */
  constructor(
    private readonly dialect: SqlDialect,
    private readonly offset = 0,
  ) {}

  /** Binds `value`; returns its placeholder. */
  add(value: SqlParam): string {
    this.values.push(value);
    return this.dialect.placeholder(this.offset + this.values.length);
  }

  /** Binds each value; returns the comma-separated placeholders. */
  list(values: readonly SqlParam[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }
}

const MAX_CONCEPT_ID = 2 ** 31 - 1;

/** A concept id as SQL text, after checking it is a positive 32-bit integer. */
function conceptIdLiteral(id: number): string {
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_CONCEPT_ID) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'a concept id must be a positive integer', {
      argument: 'conceptIds',
    });
  }
  return String(id);
}

/** Year × 12 + month index of an ISO date (`YYYY-MM-DD`). */
function monthIndex(isoDate: string): number {
  const m = /^([0-9]{4})-([0-9]{2})-[0-9]{2}$/.exec(isoDate);
  if (!m) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'a period date must be YYYY-MM-DD', {
      argument: 'period',
    });
  }
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

/**
 * Bounds on the birth month index (`year * 12 + month − 1`, birth on the first of the month) of
 * persons whose ages during `period` overlap `[min, max]`:
 * age at `to` ≥ min ⟺ birth ≤ to − 12·min, and age at `from` ≤ max ⟺ birth ≥ from − 12·max − 11.
 */
export function birthMonthBounds(
  ageRange: { readonly min: number; readonly max: number },
  period: Period,
): { lowest: number; highest: number } {
  return {
    lowest: monthIndex(period.from) - 12 * ageRange.max - 11,
    highest: monthIndex(period.to) - 12 * ageRange.min,
  };
}

/**
 * The filters' predicate on `person` aliased `p` (opt-outs NOT applied), `TRUE` when no filter
 * restricts. A building block: research code uses `compilePopulation`, which adds the opt-out
 * exclusion; only the citizen's own "who used my data" view evaluates the filters alone.
 */
export function populationFilterPredicate(
  filters: PopulationFilters,
  period: Period,
  params: SqlParams,
): string {
  const where: string[] = [];
  if (filters.ageRange) {
    const { lowest, highest } = birthMonthBounds(filters.ageRange, period);
    // An out-of-range month is treated as unknown rather than letting it shift the birth year.
    where.push(
      `(p.year_of_birth * 12 + CASE WHEN p.month_of_birth BETWEEN 1 AND 12 THEN p.month_of_birth ` +
        `ELSE ${UNKNOWN_BIRTH_MONTH} END - 1) BETWEEN ${params.add(lowest)} AND ${params.add(highest)}`,
    );
  }
  if (filters.sex) {
    const ids = filters.sex.map((s) => conceptIdLiteral(GENDER_CONCEPT_IDS[s]));
    where.push(`p.gender_concept_id IN (${ids.join(', ')})`);
  }
  if (filters.departements || filters.regions) {
    const place: string[] = [];
    if (filters.departements) place.push(`l.county IN (${params.list(filters.departements)})`);
    if (filters.regions) place.push(`l.state IN (${params.list(filters.regions)})`);
    where.push(
      `p.location_id IN (SELECT l.location_id FROM location l WHERE ${place.join(' AND ')})`,
    );
  }
  if (filters.conditions) {
    const ids = [...new Set(filters.conditions.flatMap((c) => c.conceptIds))]
      .sort((a, b) => a - b)
      .map(conceptIdLiteral)
      .join(', ');
    where.push(
      `p.person_id IN (SELECT co.person_id FROM condition_occurrence co ` +
        `WHERE co.condition_start_date <= CAST(${params.add(period.to)} AS DATE) ` +
        `AND (co.condition_concept_id IN (${ids}) OR co.condition_concept_id IN ` +
        `(SELECT ca.descendant_concept_id FROM concept_ancestor ca ` +
        `WHERE ca.ancestor_concept_id IN (${ids}))))`,
    );
  }
  return where.length === 0 ? 'TRUE' : where.join('\n  AND ');
}

/**
 * The opt-out exclusion on `person` aliased `p` for a purpose, as an anti-join: a LEFT JOIN of
 * `hygie_opt_out` aliased `o` (its key is `person_id`, so no person is duplicated) and the
 * condition that no row matched. Both engines run it as a hash anti-join; written as NOT EXISTS,
 * DuckDB decorrelates it through a duplicate-eliminating join over every person, a third of a
 * population count's time at 1M persons.
 */
export function optOutExclusion(purpose: PopulationPurpose): { join: string; where: string } {
  const which = purpose === 'surveillance' ? ' AND o.surveillance_excluded' : '';
  return {
    join: `LEFT JOIN hygie_opt_out o ON o.person_id = p.person_id${which}`,
    where: 'o.person_id IS NULL',
  };
}

/**
 * Columns a compiled population may carry besides `person_id`: three of `person`, and the
 * département (`location.county`) and région (`location.state`) of the person's location.
 */
export const POPULATION_COLUMNS = [
  'gender_concept_id',
  'year_of_birth',
  'month_of_birth',
  'departement',
  'region',
] as const;

/** A column a compiled population may carry. */
export type PopulationColumn = (typeof POPULATION_COLUMNS)[number];

/** The SQL of each population column (`pl`: the person's location). */
const POPULATION_COLUMN_SQL: Readonly<Record<PopulationColumn, string>> = {
  gender_concept_id: 'p.gender_concept_id',
  year_of_birth: 'p.year_of_birth',
  month_of_birth: 'p.month_of_birth',
  departement: 'pl.county AS departement',
  region: 'pl.state AS region',
};

/** What a population is made of. */
export interface PopulationDefinition {
  readonly filters: PopulationFilters;
  /** The permit period (ages and conditions are judged on it). */
  readonly period: Period;
  readonly purpose: PopulationPurpose;
}

/** How to compile a population. */
export interface CompilePopulationOptions {
  /** Number of the first placeholder (default 1), to embed the SQL after other parameters. */
  readonly firstParam?: number;
  /**
   * Columns to carry besides `person_id` (default none): the analytics compiler takes the person
   * attributes a query uses from the population itself rather than reading `person` (and
   * `location`) a second time.
   */
  readonly columns?: readonly PopulationColumn[];
}

/**
 * The population as `SELECT p.person_id[, p.<column>…] FROM person p … WHERE …` (one row per
 * person), opt-outs excluded, with placeholders numbered from `firstParam` so that it can be
 * embedded as a CTE in a larger statement with parameters of its own.
 */
export function compilePopulation(
  definition: PopulationDefinition,
  dialect: SqlDialect,
  options: CompilePopulationOptions = {},
): CompiledSql {
  const params = new SqlParams(dialect, (options.firstParam ?? 1) - 1);
  const predicate = populationFilterPredicate(definition.filters, definition.period, params);
  const wanted = [...new Set(options.columns ?? [])];
  const columns = wanted.map((c) => {
    if (!POPULATION_COLUMNS.includes(c)) {
      throw new HygieError('HYG_INTERNAL', 'a population cannot carry that column');
    }
    return `, ${POPULATION_COLUMN_SQL[c]}`;
  });
  // The location before the opt-outs, as one would write it by hand: DuckDB then builds the
  // location join's hash table on `location`, not on the persons.
  const place = wanted.includes('departement') || wanted.includes('region');
  const location = place ? 'LEFT JOIN location pl ON pl.location_id = p.location_id\n' : '';
  const optOut = optOutExclusion(definition.purpose);
  const sql =
    `SELECT p.person_id${columns.join('')} FROM person p\n${location}${optOut.join}\n` +
    `WHERE ${optOut.where}\n  AND ${predicate}`;
  return { sql, params: params.values };
}

/** The population's size: `WITH population AS (…) SELECT count(*) AS n FROM population`. */
export function compilePopulationCount(
  definition: PopulationDefinition,
  dialect: SqlDialect,
): CompiledSql {
  const population = compilePopulation(definition, dialect);
  return {
    sql: `WITH population AS (\n${population.sql}\n)\nSELECT count(*) AS n FROM population`,
    params: population.params,
  };
}

/**
 * Which of several populations include one person, by their filters alone (opt-outs NOT applied:
 * the citizen's own view asks whether a permit's scope covers them, and shows the opt-out apart).
 * One statement for all: `SELECT k` returns the index `k` of each population whose filters the
 * person meets. Never for research results (those go through `compilePopulation`).
 */
export function compilePopulationMembership(
  personId: bigint,
  populations: readonly { readonly filters: PopulationFilters; readonly period: Period }[],
  dialect: SqlDialect,
): CompiledSql {
  const params = new SqlParams(dialect);
  const person = params.add(personId);
  const branches = populations.map(
    (pop, k) =>
      `SELECT ${k} AS k FROM person p WHERE p.person_id = ${person}\n  AND ` +
      populationFilterPredicate(pop.filters, pop.period, params),
  );
  if (branches.length === 0) return { sql: 'SELECT 0 AS k WHERE FALSE', params: [] };
  return { sql: branches.join('\nUNION ALL\n'), params: params.values };
}
