/** Test helpers: a clock the test moves, a store in memory, seeded accounts and a valid application. */
import { SYSTEM_ACTOR } from '@hygie/core';
import type { Actor, ApplicationContentInput, Role } from '@hygie/core';
import { actorOf, openGovernanceStore } from '../src/index.js';
import type {
  GovernanceSettings,
  GovernanceStore,
  GovernanceStoreOptions,
  User,
} from '../src/index.js';

/** A clock that moves only when told to. */
export class TestClock {
  t: number;
  constructor(start = '2025-03-01T09:00:00.000Z') {
    this.t = Date.parse(start);
  }
  readonly now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** A migrated store in memory with a test clock. */
export async function memoryStore(
  clock = new TestClock(),
  settings: Partial<GovernanceSettings> = {},
): Promise<{ store: GovernanceStore; clock: TestClock }> {
  const store = await openGovernanceStore({ kind: 'sqlite-memory', clock: clock.now, settings });
  await store.migrate();
  return { store, clock };
}

/** Opens and migrates a store of any kind with a test clock. */
export async function openTestStore(
  where: GovernanceStoreOptions,
  clock = new TestClock(),
): Promise<{ store: GovernanceStore; clock: TestClock }> {
  const store = await openGovernanceStore({ ...where, clock: clock.now });
  await store.migrate();
  return { store, clock };
}

export const PASSWORD = 'correct horse battery staple';

/** Creates a user with a password; returns the user and their actor. */
export async function seedUser(
  store: GovernanceStore,
  login: string,
  roles: Role[],
): Promise<{ user: User; actor: Actor }> {
  const user = await store.users.create(SYSTEM_ACTOR, {
    login,
    displayName: `Dr ${login}`,
    roles,
    password: PASSWORD,
  });
  return { user, actor: actorOf(user) };
}

/** Creates a user without a password (cheaper: no scrypt). */
export async function seedAccount(
  store: GovernanceStore,
  login: string,
  roles: Role[],
): Promise<{ user: User; actor: Actor }> {
  const user = await store.users.create(SYSTEM_ACTOR, { login, displayName: `Dr ${login}`, roles });
  return { user, actor: actorOf(user) };
}

/** A valid application content. */
export const CONTENT: ApplicationContentInput = {
  data: [
    { table: 'person', variables: ['person_id', 'year_of_birth', 'gender_concept_id'] },
    {
      table: 'condition_occurrence',
      variables: ['person_id', 'condition_concept_id', 'condition_start_date'],
    },
  ],
  population: { ageRange: { min: 40, max: 80 }, departements: ['75', '2A'] },
  period: { from: '2019-01-01', to: '2023-12-31' },
  durationMonths: 24,
  accessMode: 'aggregate_only',
  justification: 'Incidence of type 2 diabetes by département',
  requestedEpsilon: 1.5,
};

/** A project input. */
export const PROJECT = {
  title: 'Diabetes incidence in France',
  purpose: 'Estimate the incidence of type 2 diabetes by département, 2019–2023.',
  legalBasis: 'GDPR art. 6(1)(e) and 9(2)(j); CNIL reference methodology MR-004',
  funding: 'Secret grant agreement ANR-00-PRIVATE-0000',
  publicSummary: 'How many people develop diabetes each year, and where.',
};

/** Cast for tests that pass wrong types on purpose. */
export function loose<T>(value: unknown): T {
  return value as T;
}
