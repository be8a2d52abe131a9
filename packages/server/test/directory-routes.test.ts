/**
 * The public directory over HTTP, without login: listed projects show public fields only — no
 * login, no user, application or reviewer id, no legal basis, funding or justification — and the
 * results their team has published.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CONTENT,
  PROJECT,
  approvedApplication,
  call,
  expectError,
  expectStatus,
  extraAccount,
} from './governance-fixtures.js';
import type { Approved } from './governance-fixtures.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

interface EntryBody {
  projectId: string;
  title: string;
  team: { displayName: string; projectRole: string }[];
  applicationStatus: string;
  dataUsed: { table: string; variables: string[] }[];
  permits: { permitId: string; status: string; accessMode: string }[];
  results: Record<string, unknown>[];
}

let t: TestApp;
let approved: Approved;
let draftProjectId: string;
before(async () => {
  t = await testApp();
  approved = await approvedApplication(t);
  // A project whose only application is a draft: the team's own work, not listed.
  const draftProject = expectStatus<{ id: string }>(
    await call(t, 'researcher', 'POST', '/api/v1/projects', { ...PROJECT, title: 'Still a draft' }),
    201,
  );
  draftProjectId = draftProject.id;
  expectStatus(
    await call(t, 'researcher', 'POST', `/api/v1/projects/${draftProjectId}/applications`, CONTENT),
    201,
  );
});
after(async () => {
  await t.close();
});

test('anyone lists the directory without login; drafts are not listed', async () => {
  const entries = expectStatus<EntryBody[]>(
    await call(t, null, 'GET', '/api/v1/directory/projects'),
    200,
  );
  assert.deepEqual(
    entries.map((e) => e.projectId),
    [approved.projectId],
  );
  // A stale token does not stop a public page.
  expectStatus(
    await call(t, { authorization: 'Bearer hyg_stale' }, 'GET', '/api/v1/directory/projects'),
    200,
  );
  expectError(
    await call(t, null, 'GET', `/api/v1/directory/projects/${draftProjectId}`),
    404,
    'HYG_NOT_FOUND',
  );
});

test('an entry shows public fields only', async () => {
  const res = await call(t, null, 'GET', `/api/v1/directory/projects/${approved.projectId}`);
  const entry = expectStatus<EntryBody>(res, 200);
  assert.deepEqual(Object.keys(entry).sort(), [
    'applicationStatus',
    'dataUsed',
    'permits',
    'projectId',
    'publicSummary',
    'purpose',
    'results',
    'status',
    'team',
    'title',
  ]);
  assert.equal(entry.applicationStatus, 'approved');
  assert.deepEqual(entry.team, [
    { displayName: 'Test researcher', projectRole: 'principal_investigator' },
  ]);
  assert.deepEqual(
    entry.dataUsed.map((d) => d.table),
    ['condition_occurrence', 'person'],
  );
  // The permit id is public on purpose: the transparency log refers to permits by it.
  assert.deepEqual(Object.keys(entry.permits[0] ?? {}).sort(), [
    'accessMode',
    'data',
    'expiresAt',
    'permitId',
    'status',
    'validFrom',
  ]);
  assert.equal(entry.permits[0]?.permitId, approved.permitId);

  const [r1, r2] = approved.committee;
  for (const secret of [
    PROJECT.legalBasis,
    PROJECT.funding,
    CONTENT.justification as string,
    '"researcher"', // logins
    'committee-1',
    t.users.researcher.id,
    r1.user.id,
    r2.user.id,
    approved.applicationId,
    'ageRange', // population filters
    'epsilon',
    'comment',
  ]) {
    assert.ok(!res.body.includes(secret), `the directory shows ${secret}`);
  }
});

test('results the team records appear with public fields only; a removed one disappears', async () => {
  const results = `/api/v1/projects/${approved.projectId}/results`;
  const entryUrl = `/api/v1/directory/projects/${approved.projectId}`;
  const article = expectStatus<{ id: string }>(
    await call(t, 'researcher', 'POST', results, {
      title: 'Type 2 diabetes in France, 2019–2023',
      kind: 'publication',
      url: 'https://doi.org/10.1000/182',
      publishedOn: '2026-02-10',
      summary: 'Incidence is highest overseas.',
    }),
    201,
  );
  t.clock.advance(60_000);
  const aggregates = expectStatus<{ id: string }>(
    await call(t, 'researcher', 'POST', results, { title: 'Released aggregates', kind: 'dataset' }),
    201,
  );

  const res = await call(t, null, 'GET', entryUrl);
  const entry = expectStatus<EntryBody>(res, 200);
  assert.deepEqual(entry.results, [
    {
      title: 'Released aggregates',
      kind: 'dataset',
      url: null,
      publishedOn: null,
      summary: null,
    },
    {
      title: 'Type 2 diabetes in France, 2019–2023',
      kind: 'publication',
      url: 'https://doi.org/10.1000/182',
      publishedOn: '2026-02-10',
      summary: 'Incidence is highest overseas.',
    },
  ]);
  for (const r of entry.results) {
    assert.deepEqual(Object.keys(r).sort(), ['kind', 'publishedOn', 'summary', 'title', 'url']);
  }
  for (const secret of [article.id, aggregates.id, t.users.researcher.id, 'addedAt']) {
    assert.ok(!res.body.includes(secret), `the directory shows ${secret}`);
  }
  // The list shows the same results.
  const listed = expectStatus<EntryBody[]>(
    await call(t, null, 'GET', '/api/v1/directory/projects'),
    200,
  );
  assert.deepEqual(listed.find((e) => e.projectId === approved.projectId)?.results, entry.results);

  // A researcher outside the team cannot publish in another project's name.
  const outsider = await extraAccount(t, 'outsider', ['researcher']);
  expectError(
    await call(t, outsider.headers, 'POST', results, { title: 'Fake', kind: 'report' }),
    403,
    'HYG_FORBIDDEN',
    'not-a-project-member',
  );

  expectStatus(
    await call(t, 'researcher', 'POST', `${results}/${aggregates.id}/remove`, {
      reason: 'confidential-removal-reason',
    }),
    200,
  );
  const after = await call(t, null, 'GET', entryUrl);
  assert.deepEqual(
    expectStatus<EntryBody>(after, 200).results.map((r) => r.title),
    ['Type 2 diabetes in France, 2019–2023'],
  );
  for (const hidden of ['Released aggregates', 'confidential-removal-reason', 'removedAt']) {
    assert.ok(!after.body.includes(hidden), `the directory shows ${hidden}`);
  }
});
