/**
 * Person attributes and deaths as CTEs, and age in SQL.
 *
 * - `person_attr`: one row per person of the population with the attributes the query uses —
 *   sex (`gender_concept_id`), birth year and month, département (`location.county`) and région
 *   (`location.state`) of residence through `person.location_id` — taken from the population
 *   CTE, which carries those columns (`populationColumns`): `person` and `location` are read
 *   once. An attribute the query does not
 *   use is a typed NULL, so the SQL never reads a column `requiredData` did not ask the permit
 *   for, and the pipeline downstream keeps one shape.
 * - `deaths`: death dates inside the permit period (a death after it changes nothing: every
 *   follow-up stops at the permit's end anyway), joined to population persons where used.
 * - Age in whole years: the warehouse keeps no birth day (DESIGN.md §4.1), so birth is taken as
 *   the 1st of the birth month, 1 July when the month is unknown (or out of range) — as the
 *   permit's population filters do (`population-sql.ts`).
 */
import { HygieError } from '@hygie/core';
import { permitFrom, permitTo } from './compile-scope.js';
import type { CompileScope } from './compile-scope.js';
import { UNKNOWN_BIRTH_MONTH } from './population-sql.js';
import { POPULATION_CTE } from './statement-builder.js';

/** OMOP gender concepts. */
export const FEMALE_CONCEPT_ID = 8532;
export const MALE_CONCEPT_ID = 8507;

/**
 * The `person_attr` CTE: `person_id`, `gender_concept_id`, `year_of_birth`, `birth_month`
 * (1–12, never null), `departement`, `region`.
 */
export function personAttrCte(s: CompileScope): string {
  return s.b.cte('person_attr', () => {
    const { sex, age, departement, region } = s.needs;
    const nul = (type: 'integer' | 'text'): string => s.dialect.cast('NULL', type);
    // The population carries exactly the columns used (`populationColumns`).
    const birthMonth = `CASE WHEN p.month_of_birth BETWEEN 1 AND 12 THEN p.month_of_birth ELSE ${UNKNOWN_BIRTH_MONTH} END`;
    return (
      `SELECT p.person_id,\n` +
      `  ${sex ? 'p.gender_concept_id' : nul('integer')} AS gender_concept_id,\n` +
      `  ${age ? 'p.year_of_birth' : nul('integer')} AS year_of_birth,\n` +
      `  ${age ? birthMonth : nul('integer')} AS birth_month,\n` +
      `  ${departement ? 'p.departement' : nul('text')} AS departement,\n` +
      `  ${region ? 'p.region' : nul('text')} AS region\n` +
      `FROM ${POPULATION_CTE} p`
    );
  });
}

/**
 * The `deaths` CTE: `person_id`, `death_date` (the earliest, should a person have two rows).
 * Not restricted to the population: every use joins it to rows of population persons (a LEFT
 * JOIN on `person_id`), and a semi-join on the population would cost PostgreSQL a
 * duplicate-eliminating pass over every person of it — more than the whole death table.
 */
export function deathsCte(s: CompileScope): string {
  return s.b.cte(
    'deaths',
    () =>
      `SELECT person_id, MIN(death_date) AS death_date FROM death\n` +
      `WHERE death_date BETWEEN ${permitFrom(s)} AND ${permitTo(s)}\n` +
      `GROUP BY person_id`,
  );
}

/**
 * Age in whole years on the DATE `at` of a row holding `year_of_birth` and `birth_month` (born
 * on the 1st of that month), never below 0 (a person born after `at`, e.g. a newborn counted at
 * the start of a year, is 0). NULL when the query uses no age.
 */
export function ageSql(s: CompileScope, row: string, at: string): string {
  // greatest() ignores NULLs: without birth columns (age unused) the age must stay NULL, not 0.
  if (!s.needs.age) return s.dialect.cast('NULL', 'integer');
  return `greatest(0, ${s.dialect.ageYears(`${row}.year_of_birth`, `${row}.birth_month`, at)})`;
}

/**
 * Age in whole years on a fixed ISO date `isoDate` (a validated query or permit period bound), of
 * a row as for `ageSql`. The date's year and month are written as integer literals: an age
 * computed from a DATE parameter makes the engine extract them again on every row (DuckDB folds
 * no parameter), which cost a quarter of a population count's time at 1M persons.
 */
export function ageOnSql(s: CompileScope, row: string, isoDate: string): string {
  if (!s.needs.age) return s.dialect.cast('NULL', 'integer');
  const m = /^([0-9]{4})-([0-9]{2})-[0-9]{2}$/.exec(isoDate);
  if (!m) throw new HygieError('HYG_INTERNAL', 'an age date must be a validated ISO date');
  const year = Number(m[1]);
  const month = Number(m[2]);
  // birth_month is never NULL in person_attr when the query uses age (unknown: July).
  return (
    `greatest(0, ${year} - ${row}.year_of_birth - ` +
    `CASE WHEN ${row}.birth_month > ${month} THEN 1 ELSE 0 END)`
  );
}
