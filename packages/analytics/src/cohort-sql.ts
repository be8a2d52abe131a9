/**
 * A cohort as a chain of CTEs, one per attrition step, each holding one row per person still in:
 *
 * 1. `cohort_entry` — the index date. `first`: the person's first entry event in the permit's
 *    data, kept only when it falls in the entry period (the query period when the entry names
 *    none); `all`: the first entry event inside the entry period.
 * 2. `cohort_observed` — an observation period contains the index date, with at least
 *    `priorObservationDays` of it before. Observation is clipped to the permit period: days the
 *    permit does not cover are not observed as far as this query can know, and counting them
 *    would let a look-back or a washout claim "no event" about data it cannot see. Overlapping
 *    periods that contain the index (several sources) count as their union. The person's
 *    attributes are attached here, with the age at the index date.
 * 3. `cohort_rule_<k>` — each inclusion rule: between `min` and `max` events of its criterion in
 *    [index + start, index + end], both ends included (events outside the permit never count).
 * 4. `cohort_age`, `cohort_sex`, `cohort_departement`, `cohort_region` — demographics at the
 *    index date (residence as the warehouse knows it).
 * 5. `cohort` — the survivors with their exit date: the earliest of the end of observation, the
 *    index + `exit.days`, death and the end of the permit period (never before the index).
 */
import type { Cohort } from '@hygie/core';
import { periodFrom, periodTo, permitFrom, permitTo } from './compile-scope.js';
import type { CompileScope } from './compile-scope.js';
import { eventsCte } from './event-sql.js';
import {
  FEMALE_CONCEPT_ID,
  MALE_CONCEPT_ID,
  ageSql,
  deathsCte,
  personAttrCte,
} from './person-sql.js';

/** One line of the attrition report. */
export interface AttritionStep {
  readonly kind: 'entry' | 'observation' | 'inclusion' | 'demographic';
  /** What the step requires, in words (an inclusion rule's own name). */
  readonly name: string;
}

/** Columns of every step CTE from `cohort_observed` on. */
const STEP_COLUMNS =
  'person_id, index_date, obs_start, obs_end, gender_concept_id, year_of_birth, birth_month, ' +
  'departement, region, index_age';

function entryStep(s: CompileScope, cohort: Cohort): string {
  const from = cohort.entry.period
    ? s.b.shared('entry_from', cohort.entry.period.from, 'date')
    : periodFrom(s);
  const to = cohort.entry.period
    ? s.b.shared('entry_to', cohort.entry.period.to, 'date')
    : periodTo(s);
  const cte = s.b.cte('cohort_entry', () => {
    const events = cohort.entry.events
      .map((c) => `SELECT person_id, event_date FROM ${eventsCte(s, c)}`)
      .join('\n  UNION ALL\n  ');
    // `first` looks at every event the permit shows, then keeps the person only if the first
    // one is in the window; `all` takes the first event inside the window.
    return cohort.entry.occurrence === 'first'
      ? `SELECT person_id, MIN(event_date) AS index_date FROM (\n  ${events}\n) e\n` +
          `GROUP BY person_id\nHAVING MIN(event_date) BETWEEN ${from} AND ${to}`
      : `SELECT person_id, MIN(event_date) AS index_date FROM (\n  ${events}\n) e\n` +
          `WHERE event_date BETWEEN ${from} AND ${to}\nGROUP BY person_id`;
  });
  return cte;
}

function observationStep(s: CompileScope, cohort: Cohort, previous: string): string {
  const cte = s.b.cte('cohort_observed', () => {
    const attr = personAttrCte(s);
    const start = `greatest(MIN(op.observation_period_start_date), ${permitFrom(s)})`;
    const prior = s.b.value(cohort.priorObservationDays, 'integer');
    return (
      `SELECT o.person_id, o.index_date, o.obs_start, o.obs_end, pa.gender_concept_id,\n` +
      `  pa.year_of_birth, pa.birth_month, pa.departement, pa.region,\n` +
      `  ${ageSql(s, 'pa', 'o.index_date')} AS index_age\n` +
      `FROM (\n` +
      `  SELECT c.person_id, c.index_date, ${start} AS obs_start,\n` +
      `    least(MAX(op.observation_period_end_date), ${permitTo(s)}) AS obs_end\n` +
      `  FROM ${previous} c JOIN observation_period op ON op.person_id = c.person_id\n` +
      `    AND op.observation_period_start_date <= c.index_date\n` +
      `    AND op.observation_period_end_date >= c.index_date\n` +
      `  GROUP BY c.person_id, c.index_date\n` +
      `  HAVING ${start} <= ${s.dialect.addDays('c.index_date', `-${prior}`)}\n` +
      `) o JOIN ${attr} pa ON pa.person_id = o.person_id`
    );
  });
  return cte;
}

function inclusionSteps(s: CompileScope, cohort: Cohort, first: string): string[] {
  let previous = first;
  return cohort.inclusion.map((rule, k) => {
    const prev = previous;
    const cte = s.b.cte(`cohort_rule_${k}`, () => {
      const events = eventsCte(s, rule.criterion);
      const start = s.dialect.addDays('c2.index_date', s.b.value(rule.window.start, 'integer'));
      const end = s.dialect.addDays('c2.index_date', s.b.value(rule.window.end, 'integer'));
      const bounds = [`COALESCE(k.n, 0) >= ${s.b.value(rule.min, 'integer')}`];
      if (rule.max !== undefined)
        bounds.push(`COALESCE(k.n, 0) <= ${s.b.value(rule.max, 'integer')}`);
      // A LEFT JOIN of the counts, so that "at most n" (and "none": max 0) keeps persons
      // without any event in the window.
      return (
        `SELECT c.* FROM ${prev} c LEFT JOIN (\n` +
        `  SELECT c2.person_id, COUNT(*) AS n FROM ${prev} c2\n` +
        `  JOIN ${events} e ON e.person_id = c2.person_id AND e.event_date BETWEEN ${start} AND ${end}\n` +
        `  GROUP BY c2.person_id\n` +
        `) k ON k.person_id = c.person_id\nWHERE ${bounds.join(' AND ')}`
      );
    });
    previous = cte;
    return cte;
  });
}

function demographicSteps(s: CompileScope, cohort: Cohort, first: string): string[] {
  const d = cohort.demographics;
  const steps: string[] = [];
  let previous = first;
  const add = (suffix: string, where: () => string): void => {
    const prev = previous;
    const cte = s.b.cte(`cohort_${suffix}`, () => `SELECT * FROM ${prev} WHERE ${where()}`);
    steps.push(cte);
    previous = cte;
  };
  const age = d.ageAtIndex;
  if (hasAgeCondition(cohort)) {
    add('age', () => {
      const parts: string[] = [];
      if (age?.min !== undefined) parts.push(`index_age >= ${s.b.value(age.min, 'integer')}`);
      if (age?.max !== undefined) parts.push(`index_age <= ${s.b.value(age.max, 'integer')}`);
      return parts.join(' AND ');
    });
  }
  if (d.sex) {
    const ids = d.sex.map((x) => (x === 'female' ? FEMALE_CONCEPT_ID : MALE_CONCEPT_ID));
    add('sex', () => `gender_concept_id IN (${ids.join(', ')})`);
  }
  if (d.departements) {
    const codes = d.departements;
    add(
      'departement',
      () => `departement IN (${codes.map((c) => s.b.value(c, 'text')).join(', ')})`,
    );
  }
  if (d.regions) {
    const codes = d.regions;
    add('region', () => `region IN (${codes.map((c) => s.b.value(c, 'text')).join(', ')})`);
  }
  return steps;
}

/** Builds the step CTEs of the query's cohort; their names, in `attritionSteps` order. */
function cohortStepChain(s: CompileScope, cohort: Cohort): string[] {
  const entry = entryStep(s, cohort);
  const observed = observationStep(s, cohort, entry);
  const rules = inclusionSteps(s, cohort, observed);
  const demographics = demographicSteps(s, cohort, rules.at(-1) ?? observed);
  return [entry, observed, ...rules, ...demographics];
}

function hasAgeCondition(cohort: Cohort): boolean {
  const age = cohort.demographics.ageAtIndex;
  return age?.min !== undefined || age?.max !== undefined;
}

/** The attrition steps of a cohort, in order (without building any SQL). */
export function attritionSteps(cohort: Cohort): AttritionStep[] {
  const steps: AttritionStep[] = [{ kind: 'entry', name: 'entry events' }];
  const days = cohort.priorObservationDays;
  steps.push({
    kind: 'observation',
    name:
      days === 0
        ? 'index date inside an observation period'
        : `at least ${days} days of observation before the index date`,
  });
  for (const rule of cohort.inclusion) steps.push({ kind: 'inclusion', name: rule.name });
  const d = cohort.demographics;
  const age = d.ageAtIndex;
  if (age && hasAgeCondition(cohort)) {
    const words =
      age.max === undefined
        ? `at least ${age.min}`
        : age.min === undefined
          ? `at most ${age.max}`
          : `${age.min} to ${age.max}`;
    steps.push({ kind: 'demographic', name: `age at index ${words}` });
  }
  if (d.sex) steps.push({ kind: 'demographic', name: `sex: ${d.sex.join(', ')}` });
  if (d.departements) {
    steps.push({ kind: 'demographic', name: `département: ${d.departements.join(', ')}` });
  }
  if (d.regions) steps.push({ kind: 'demographic', name: `région: ${d.regions.join(', ')}` });
  return steps;
}

/**
 * The `cohort` CTE: one row per person in the cohort — `person_id`, `index_date`, `obs_start`,
 * `obs_end`, the person's attributes, `index_age` and `exit_date`.
 */
export function cohortCte(s: CompileScope, cohort: Cohort): string {
  return s.b.cte('cohort', () => {
    const chain = cohortStepChain(s, cohort);
    const last = chain.at(-1) ?? 'cohort_observed';
    const deaths = deathsCte(s);
    const byDays =
      cohort.exit.days === undefined
        ? ''
        : `, ${s.dialect.addDays('c.index_date', s.b.value(cohort.exit.days, 'integer'))}`;
    // least() ignores NULLs on both engines: no death, no exit by days.
    return (
      `SELECT ${STEP_COLUMNS.split(', ')
        .map((c) => `c.${c}`)
        .join(', ')},\n` +
      `  greatest(c.index_date, least(c.obs_end${byDays}, d.death_date, ${permitTo(s)})) AS exit_date\n` +
      `FROM ${last} c LEFT JOIN ${deaths} d ON d.person_id = c.person_id`
    );
  });
}

/** The attrition statement's SELECT: `step` (0, 1, …) and `persons` after each step. */
export function attritionSelect(s: CompileScope, cohort: Cohort): string {
  const chain = cohortStepChain(s, cohort);
  const counts = chain
    .map((cte, i) => `SELECT ${i} AS step, COUNT(*) AS persons FROM ${cte}`)
    .join('\n  UNION ALL\n  ');
  return `SELECT step, persons FROM (\n  ${counts}\n) a\nORDER BY step`;
}
