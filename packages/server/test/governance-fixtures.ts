/**
 * Shared pieces of the governance route tests: calling the app as a role or a token, extra
 * accounts beyond the one-per-role of `test-app.ts`, a valid project and application, and an
 * application driven to approval over HTTP.
 */
import assert from 'node:assert/strict';
import { SYSTEM_ACTOR } from '@hygie/core';
import type { ApplicationContentInput, Role } from '@hygie/core';
import type { User } from '@hygie/governance';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import type { TestApp } from './test-app.js';

/** Who calls: a role of the test app (its API token), explicit headers, or nobody. */
export type Caller = Role | { authorization: string } | null;

/** `Authorization` headers of a bearer token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** Calls the app. */
export function call(
  t: TestApp,
  who: Caller,
  method: HTTPMethods,
  url: string,
  payload?: object,
): Promise<LightMyRequestResponse> {
  const headers = who === null ? {} : typeof who === 'string' ? t.as(who) : who;
  return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
}

/** Asserts the status (showing the body when it differs) and returns the parsed body. */
export function expectStatus<T = Record<string, unknown>>(
  res: LightMyRequestResponse,
  status: number,
): T {
  assert.equal(res.statusCode, status, res.body.slice(0, 500));
  return (res.body === '' ? null : res.json()) as T;
}

/** Asserts a stable error: status, code and (when given) the reason in the details. */
export function expectError(
  res: LightMyRequestResponse,
  status: number,
  code: string,
  reason?: string,
): void {
  const body = expectStatus<{ code: string; details: { reason?: string } }>(res, status);
  assert.equal(body.code, code, res.body);
  if (reason !== undefined) assert.equal(body.details.reason, reason, res.body);
}

/** An account created by the platform (not through the API) with an API token. */
export interface ExtraAccount {
  user: User;
  headers: { authorization: string };
}

/**
 * A further account, e.g. a second and third reviewer for the committee. Without a password
 * unless one is given (scrypt is slow on purpose).
 */
export async function extraAccount(
  t: TestApp,
  login: string,
  roles: Role[],
  password?: string,
): Promise<ExtraAccount> {
  const user = await t.store.users.create(SYSTEM_ACTOR, {
    login,
    displayName: `Dr ${login}`,
    roles,
    ...(password !== undefined && { password }),
  });
  const { token } = await t.store.users.createApiToken(SYSTEM_ACTOR, user.id, { label: 'test' });
  return { user, headers: bearer(token) };
}

/** A project as its team writes it (funding is confidential: never in the directory). */
export const PROJECT = {
  title: 'Diabetes incidence in France',
  purpose: 'Estimate the incidence of type 2 diabetes by département, 2019–2023.',
  legalBasis: 'GDPR art. 6(1)(e) and 9(2)(j); CNIL reference methodology MR-004',
  funding: 'Confidential grant ANR-00-PRIVATE-0000',
  publicSummary: 'How many people develop diabetes each year, and where.',
};

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
  justification: 'Confidential justification of the aggregate access',
  requestedEpsilon: 1.5,
};

/** Ids of a project and its application driven to approval, and the committee that approved. */
export interface Approved {
  projectId: string;
  applicationId: string;
  permitId: string;
  committee: [ExtraAccount, ExtraAccount];
}

/**
 * The researcher creates a project and an application and submits it; two reviewers who are not
 * members open the review and approve; the second approval issues the permit. Logins of the
 * committee get `prefix` so that one test app can run this more than once.
 */
export async function approvedApplication(t: TestApp, prefix = 'committee'): Promise<Approved> {
  const project = expectStatus<{ id: string }>(
    await call(t, 'researcher', 'POST', '/api/v1/projects', PROJECT),
    201,
  );
  const application = expectStatus<{ id: string }>(
    await call(t, 'researcher', 'POST', `/api/v1/projects/${project.id}/applications`, CONTENT),
    201,
  );
  const base = `/api/v1/applications/${application.id}`;
  expectStatus(await call(t, 'researcher', 'POST', `${base}/submit`, {}), 200);
  const r1 = await extraAccount(t, `${prefix}-1`, ['reviewer']);
  const r2 = await extraAccount(t, `${prefix}-2`, ['reviewer']);
  expectStatus(await call(t, r1.headers, 'POST', `${base}/start-review`, {}), 200);
  expectStatus(await call(t, r1.headers, 'POST', `${base}/reviews`, { decision: 'approve' }), 201);
  const outcome = expectStatus<{ permit: { id: string } | null }>(
    await call(t, r2.headers, 'POST', `${base}/reviews`, { decision: 'approve' }),
    201,
  );
  assert.ok(outcome.permit, 'the second approval issues the permit');
  return {
    projectId: project.id,
    applicationId: application.id,
    permitId: outcome.permit.id,
    committee: [r1, r2],
  };
}
