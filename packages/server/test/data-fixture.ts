/**
 * A small warehouse for the data access tests — persons of both sexes, several ages, four
 * départements in three régions, conditions under a three-level concept hierarchy — and a helper
 * that drives an application to a permit in the governance store (two reviewer approvals).
 */
import { SYSTEM_ACTOR } from '@hygie/core';
import type { ApplicationContentInput, Actor } from '@hygie/core';
import { actorOf } from '@hygie/governance';
import type { GovernanceStore, Permit, User } from '@hygie/governance';
import type { WarehouseEngine } from '@hygie/warehouse';

/** OMOP gender concepts. */
export const FEMALE = 8532;
export const MALE = 8507;
export const UNKNOWN_SEX = 8551;

/** Locations: id → [département, région]. */
export const LOCATIONS: Readonly<Record<number, readonly [string, string]>> = {
  1: ['75', '11'], // Paris, Île-de-France
  2: ['69', '84'], // Rhône, Auvergne-Rhône-Alpes
  3: ['2A', '94'], // Corse-du-Sud, Corse
  4: ['13', '93'], // Bouches-du-Rhône, Provence-Alpes-Côte d'Azur
  5: ['75', '84'], // inconsistent on purpose: tells "both must hold" from "either"
};

/** A three-level hierarchy: DIABETES ⊃ T2D ⊃ T2D_COMPLICATED; ASTHMA apart. */
export const DIABETES = 201820;
export const T2D = 201826;
export const T2D_COMPLICATED = 443238;
export const ASTHMA = 317009;
/** A concept with no `concept_ancestor` row at all (not even the reflexive one). */
export const ORPHAN = 999001;

/** One test person. */
export interface FixturePerson {
  readonly id: bigint;
  readonly gender: number;
  readonly year: number;
  readonly month: number | null;
  readonly location: number | null;
  /** [concept id, start date]. */
  readonly conditions?: readonly (readonly [number, string])[];
}

/** Locations and the concept hierarchy (reflexive rows for DIABETES only, on purpose). */
export async function seedReference(warehouse: WarehouseEngine): Promise<void> {
  await warehouse.appendRows(
    'location',
    ['location_id', 'county', 'state'],
    Object.entries(LOCATIONS).map(([id, [county, state]]) => [Number(id), county, state]),
  );
  await warehouse.appendRows(
    'concept_ancestor',
    [
      'ancestor_concept_id',
      'descendant_concept_id',
      'min_levels_of_separation',
      'max_levels_of_separation',
    ],
    [
      [DIABETES, DIABETES, 0, 0],
      [DIABETES, T2D, 1, 1],
      [DIABETES, T2D_COMPLICATED, 2, 2],
      [T2D, T2D_COMPLICATED, 1, 1],
    ],
  );
}

let nextConditionId = 1;

/** Inserts persons and their conditions. */
export async function insertPersons(
  warehouse: WarehouseEngine,
  persons: readonly FixturePerson[],
): Promise<void> {
  await warehouse.appendRows(
    'person',
    [
      'person_id',
      'gender_concept_id',
      'year_of_birth',
      'month_of_birth',
      'race_concept_id',
      'ethnicity_concept_id',
      'location_id',
    ],
    persons.map((p) => [p.id, p.gender, p.year, p.month, 0, 0, p.location]),
  );
  const conditions = persons.flatMap((p) =>
    (p.conditions ?? []).map(([concept, date]) => [nextConditionId++, p.id, concept, date, 32817]),
  );
  if (conditions.length > 0) {
    await warehouse.appendRows(
      'condition_occurrence',
      [
        'condition_occurrence_id',
        'person_id',
        'condition_concept_id',
        'condition_start_date',
        'condition_type_concept_id',
      ],
      conditions,
    );
  }
}

/** A permit period. */
export const PERIOD = { from: '2020-01-01', to: '2022-12-31' } as const;

/** Application content with the given population filters. */
export function contentWith(
  population: ApplicationContentInput['population'],
  overrides: Partial<ApplicationContentInput> = {},
): ApplicationContentInput {
  return {
    data: [
      { table: 'person', variables: ['person_id', 'year_of_birth', 'gender_concept_id'] },
      { table: 'condition_occurrence', variables: ['person_id', 'condition_concept_id'] },
    ],
    population,
    period: { ...PERIOD },
    durationMonths: 12,
    accessMode: 'aggregate_only',
    justification: 'Prevalence of diabetes by département',
    requestedEpsilon: 1,
    ...overrides,
  };
}

/** The cast of a permit: the project's researcher and two reviewers outside it. */
export interface PermitCast {
  readonly researcher: Actor;
  readonly reviewers: readonly [Actor, Actor];
}

/** Two reviewer accounts (created once per store) and the given researcher. */
export async function permitCast(store: GovernanceStore, researcher: User): Promise<PermitCast> {
  const reviewers: Actor[] = [];
  for (const login of ['fixture-rev-1', 'fixture-rev-2']) {
    const existing = (await store.users.list()).find((u) => u.login === login);
    const user =
      existing ??
      (await store.users.create(SYSTEM_ACTOR, {
        login,
        displayName: `Reviewer ${login}`,
        roles: ['reviewer'],
      }));
    reviewers.push(actorOf(user));
  }
  return { researcher: actorOf(researcher), reviewers: [reviewers[0]!, reviewers[1]!] };
}

/** A project of `cast.researcher` and an application driven to approval: the permit. */
export async function issuePermit(
  store: GovernanceStore,
  cast: PermitCast,
  content: ApplicationContentInput,
  title = 'Diabetes in France',
): Promise<Permit> {
  const project = await store.projects.create(cast.researcher, {
    title,
    purpose: 'Estimate the prevalence of diabetes by département.',
    legalBasis: 'GDPR art. 6(1)(e) and 9(2)(j)',
    publicSummary: `${title}: how many people live with diabetes, and where.`,
  });
  const a = await store.applications.createDraft(cast.researcher, project.id, content);
  await store.applications.submit(cast.researcher, a.id);
  await store.applications.startReview(cast.reviewers[0], a.id);
  await store.applications.review(cast.reviewers[0], a.id, { decision: 'approve' });
  const out = await store.applications.review(cast.reviewers[1], a.id, { decision: 'approve' });
  if (!out.permit) throw new Error('the application was not approved');
  return out.permit;
}
