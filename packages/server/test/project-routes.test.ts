/**
 * Projects over HTTP: creation, who sees which projects, edits that keep the fields not given,
 * the team, closing, results.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CONTENT,
  PROJECT,
  call,
  expectError,
  expectStatus,
  extraAccount,
} from './governance-fixtures.js';
import type { ExtraAccount } from './governance-fixtures.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

interface ProjectBody {
  id: string;
  title: string;
  funding: string | null;
  status: string;
  team: { userId: string; projectRole: string }[];
}

let t: TestApp;
let outsider: ExtraAccount;
let colleague: ExtraAccount;
let project: ProjectBody;
before(async () => {
  t = await testApp();
  outsider = await extraAccount(t, 'outsider', ['researcher']);
  colleague = await extraAccount(t, 'colleague', ['researcher']);
  project = expectStatus<ProjectBody>(
    await call(t, 'researcher', 'POST', '/api/v1/projects', PROJECT),
    201,
  );
});
after(async () => {
  await t.close();
});

test('a researcher creates a project and leads it', () => {
  assert.equal(project.title, PROJECT.title);
  assert.equal(project.status, 'active');
  assert.deepEqual(project.team, [
    {
      userId: t.users.researcher.id,
      displayName: 'Test researcher',
      projectRole: 'principal_investigator',
      addedAt: t.clock.now().toISOString(),
    },
  ]);
});

test('a project with a missing field is refused, naming the field', async () => {
  const { title: _title, ...noTitle } = PROJECT;
  const res = await call(t, 'researcher', 'POST', '/api/v1/projects', noTitle);
  expectError(res, 400, 'HYG_INVALID_ARGUMENT');
  assert.equal(res.json().details.field, 'title');
});

test('researchers see their own projects; reviewers, administrators and auditors see all', async () => {
  const mine = expectStatus<ProjectBody[]>(
    await call(t, 'researcher', 'GET', '/api/v1/projects'),
    200,
  );
  assert.deepEqual(
    mine.map((p) => p.id),
    [project.id],
  );
  assert.deepEqual(
    expectStatus(await call(t, outsider.headers, 'GET', '/api/v1/projects'), 200),
    [],
  );
  for (const role of ['reviewer', 'admin', 'auditor'] as const) {
    const all = expectStatus<ProjectBody[]>(await call(t, role, 'GET', '/api/v1/projects'), 200);
    assert.ok(
      all.some((p) => p.id === project.id),
      role,
    );
    expectStatus(await call(t, role, 'GET', `/api/v1/projects/${project.id}`), 200);
  }
  expectStatus(await call(t, 'researcher', 'GET', `/api/v1/projects/${project.id}`), 200);
});

test('a researcher outside the project cannot read it, and the refusal is audited', async () => {
  const before = await t.store.audit.count({ action: 'project.read', decision: 'deny' });
  expectError(
    await call(t, outsider.headers, 'GET', `/api/v1/projects/${project.id}`),
    403,
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
  const events = await t.store.audit.list({ action: 'project.read', decision: 'deny' });
  assert.equal(events.length, before + 1);
  assert.equal(events.at(-1)?.actorId, outsider.user.id);
  assert.equal(events.at(-1)?.targetId, project.id);
  expectError(
    await call(t, outsider.headers, 'GET', `/api/v1/projects/${project.id}/applications`),
    403,
    'HYG_FORBIDDEN',
  );
});

test('an edit changes the fields given and keeps the others (funding included)', async () => {
  const edited = expectStatus<ProjectBody>(
    await call(t, 'researcher', 'PATCH', `/api/v1/projects/${project.id}`, {
      title: 'Diabetes incidence, 2019–2023',
    }),
    200,
  );
  assert.equal(edited.title, 'Diabetes incidence, 2019–2023');
  assert.equal(edited.funding, PROJECT.funding);
  const cleared = expectStatus<ProjectBody>(
    await call(t, 'researcher', 'PATCH', `/api/v1/projects/${project.id}`, { funding: null }),
    200,
  );
  assert.equal(cleared.funding, null);
  // Outside the team: refused by the store, which records the refusal.
  expectError(
    await call(t, outsider.headers, 'PATCH', `/api/v1/projects/${project.id}`, { title: 'Mine' }),
    403,
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
  assert.equal(
    await t.store.audit.count({
      action: 'project.update',
      decision: 'deny',
      actorId: outsider.user.id,
    }),
    1,
  );
  expectError(
    await call(t, 'researcher', 'PATCH', `/api/v1/projects/${project.id}`, { colour: 'blue' }),
    400,
    'HYG_INVALID_ARGUMENT',
  );
});

test('the principal investigator adds and removes members; a project keeps one lead', async () => {
  const members = `/api/v1/projects/${project.id}/members`;
  const added = expectStatus<ProjectBody>(
    await call(t, 'researcher', 'POST', members, {
      userId: colleague.user.id,
      projectRole: 'data_scientist',
    }),
    200,
  );
  assert.equal(added.team.length, 2);
  expectError(
    await call(t, 'researcher', 'POST', members, {
      userId: colleague.user.id,
      projectRole: 'investigator',
    }),
    409,
    'HYG_CONFLICT',
    'already-member',
  );
  // A member who is not the lead may read the project but not change its team.
  expectStatus(await call(t, colleague.headers, 'GET', `/api/v1/projects/${project.id}`), 200);
  expectError(
    await call(t, colleague.headers, 'DELETE', `${members}/${t.users.researcher.id}`),
    403,
    'HYG_FORBIDDEN',
    'not-project-lead',
  );
  expectError(
    await call(t, 'researcher', 'DELETE', `${members}/${t.users.researcher.id}`),
    409,
    'HYG_CONFLICT',
    'last-lead',
  );
  const removed = expectStatus<ProjectBody>(
    await call(t, 'researcher', 'DELETE', `${members}/${colleague.user.id}`),
    200,
  );
  assert.equal(removed.team.length, 1);
  expectError(
    await call(t, colleague.headers, 'GET', `/api/v1/projects/${project.id}`),
    403,
    'HYG_FORBIDDEN',
  );
});

test('a closed project takes no new application', async () => {
  const other = expectStatus<ProjectBody>(
    await call(t, 'researcher', 'POST', '/api/v1/projects', { ...PROJECT, title: 'To close' }),
    201,
  );
  const closed = expectStatus<ProjectBody>(
    await call(t, 'researcher', 'POST', `/api/v1/projects/${other.id}/close`),
    200,
  );
  assert.equal(closed.status, 'closed');
  expectError(
    await call(t, 'researcher', 'POST', `/api/v1/projects/${other.id}/close`),
    409,
    'HYG_CONFLICT',
    'already-closed',
  );
  expectError(
    await call(t, 'researcher', 'POST', `/api/v1/projects/${other.id}/applications`, CONTENT),
    409,
    'HYG_CONFLICT',
    'project-closed',
  );
});

interface ResultBody {
  id: string;
  title: string;
  kind: string;
  url: string | null;
  addedBy: string;
  removedAt: string | null;
  removedBy: string | null;
  removalReason: string | null;
}

test('the team records results and removes them with a reason; outsiders are refused', async () => {
  const withColleague = expectStatus<ProjectBody>(
    await call(t, 'researcher', 'POST', '/api/v1/projects', {
      ...PROJECT,
      title: 'With results',
      team: [{ userId: colleague.user.id, projectRole: 'investigator' }],
    }),
    201,
  );
  const results = `/api/v1/projects/${withColleague.id}/results`;
  // A member who does not lead the project records a result.
  const added = expectStatus<ResultBody>(
    await call(t, colleague.headers, 'POST', results, {
      title: 'Final report',
      kind: 'report',
      url: 'https://example.org/report.pdf',
      publishedOn: '2026-01-15',
    }),
    201,
  );
  assert.equal(added.addedBy, colleague.user.id);
  assert.equal(added.removedAt, null);

  // Outside the team: the route admits researchers, the store refuses and records it.
  expectError(
    await call(t, outsider.headers, 'POST', results, { title: 'Mine', kind: 'other' }),
    403,
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
  assert.equal(
    await t.store.audit.count({
      action: 'project.add_result',
      decision: 'deny',
      actorId: outsider.user.id,
    }),
    1,
  );
  expectError(await call(t, outsider.headers, 'GET', results), 403, 'HYG_FORBIDDEN');
  expectError(
    await call(t, outsider.headers, 'POST', `${results}/${added.id}/remove`, { reason: 'no' }),
    403,
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );
  for (const role of ['reviewer', 'auditor'] as const) {
    expectError(
      await call(t, role, 'POST', results, { title: 'X', kind: 'other' }),
      403,
      'HYG_FORBIDDEN',
    );
  }

  // A link that is not http(s) is refused, naming the field.
  for (const url of ['javascript:alert(document.cookie)', 'data:text/html,x']) {
    const res = await call(t, 'researcher', 'POST', results, { title: 'X', kind: 'report', url });
    expectError(res, 400, 'HYG_INVALID_ARGUMENT');
    assert.equal(res.json().details.field, 'url', url);
  }
  const noTitle = await call(t, 'researcher', 'POST', results, { kind: 'report' });
  expectError(noTitle, 400, 'HYG_INVALID_ARGUMENT');
  assert.equal(noTitle.json().details.field, 'title');

  // Removal needs a reason; the result stays on record, marked removed.
  const remove = `${results}/${added.id}/remove`;
  expectError(await call(t, 'researcher', 'POST', remove, {}), 400, 'HYG_INVALID_ARGUMENT');
  const removed = expectStatus<ResultBody>(
    await call(t, 'researcher', 'POST', remove, { reason: 'replaced by the published article' }),
    200,
  );
  assert.equal(removed.removedBy, t.users.researcher.id);
  assert.equal(removed.removalReason, 'replaced by the published article');
  expectError(
    await call(t, 'researcher', 'POST', remove, { reason: 'again' }),
    409,
    'HYG_CONFLICT',
    'already-removed',
  );
  // Another project's path does not reach this result.
  expectError(
    await call(
      t,
      'researcher',
      'POST',
      `/api/v1/projects/${project.id}/results/${added.id}/remove`,
      {
        reason: 'wrong project',
      },
    ),
    404,
    'HYG_NOT_FOUND',
  );
  for (const who of [colleague.headers, 'reviewer', 'admin', 'auditor'] as const) {
    const listed = expectStatus<ResultBody[]>(await call(t, who, 'GET', results), 200);
    assert.deepEqual(
      listed.map((r) => [r.id, r.removedAt]),
      [[added.id, removed.removedAt]],
    );
  }
  expectError(
    await call(
      t,
      'researcher',
      'GET',
      '/api/v1/projects/00000000-0000-4000-8000-000000000000/results',
    ),
    404,
    'HYG_NOT_FOUND',
  );
});
