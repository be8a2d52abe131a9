/**
 * The data access tests' fixture: the small warehouse of the population compiler tests (shared
 * from `@hygie/analytics/testing` — persons of both sexes, several ages, four départements in
 * three régions, conditions under a three-level concept hierarchy) and a helper that drives an
 * application to a permit in the governance store (two reviewer approvals).
 */
import { SYSTEM_ACTOR } from '@hygie/core';
import type { ApplicationContentInput, Actor } from '@hygie/core';
import { actorOf } from '@hygie/governance';
import type { GovernanceStore, Permit, User } from '@hygie/governance';
import { PERIOD } from '@hygie/analytics/testing';

export * from '@hygie/analytics/testing';

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
