/**
 * Governed queries and the airlock over HTTP, on the real app with a small warehouse: disclosure
 * control of results, refusals before any SQL (audited), the differencing defence across runs,
 * the privacy budget, opt-outs, and request → approval → download.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SYSTEM_ACTOR } from '@hygie/core';
import type { Permit } from '@hygie/governance';
import {
  FEMALE,
  MALE,
  contentWith,
  insertPersons,
  issuePermit,
  permitCast,
  seedReference,
} from './data-fixture.js';
import type { FixturePerson, PermitCast } from './data-fixture.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let t: TestApp;
let cast: PermitCast;

/** The target of the attacks: the only person in département 69. */
const TARGET = 1030n;

/** 22 women and 7 men in Paris, and the target (a man) in Lyon. */
const PERSONS: FixturePerson[] = [
  ...Array.from({ length: 22 }, (_, i) => ({
    id: BigInt(1000 + i),
    gender: FEMALE,
    year: 1960 + i,
    month: 1,
    location: 1,
  })),
  ...Array.from({ length: 7 }, (_, i) => ({
    id: BigInt(1022 + i),
    gender: MALE,
    year: 1970 + i,
    month: 6,
    location: 1,
  })),
  { id: TARGET, gender: MALE, year: 1975, month: 3, location: 2 },
];

/** What a query of these tests reads. */
const DATA = [
  {
    table: 'person',
    variables: ['person_id', 'gender_concept_id', 'year_of_birth', 'month_of_birth', 'location_id'],
  },
  { table: 'location', variables: ['location_id', 'county', 'state'] },
  {
    table: 'observation_period',
    variables: ['person_id', 'observation_period_start_date', 'observation_period_end_date'],
  },
  { table: 'death', variables: ['person_id', 'death_date'] },
  {
    table: 'condition_occurrence',
    variables: ['person_id', 'condition_concept_id', 'condition_start_date'],
  },
];

async function newPermit(title: string): Promise<Permit> {
  return issuePermit(t.store, cast, contentWith({}, { data: DATA }), title);
}

function personCount(stratify: string[] = [], extra: Record<string, unknown> = {}) {
  return {
    version: 1,
    period: { from: '2021-01-01', to: '2021-12-31' },
    measures: [{ kind: 'person_count', name: 'persons' }],
    stratify,
    ...extra,
  };
}

interface Cell {
  strata: Record<string, string | null>;
  value: number | null;
  suppressed: boolean;
}

async function run(
  permit: Permit,
  query: unknown,
  options: { disclosure?: unknown; as?: { authorization: string } } = {},
) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/projects/${permit.projectId}/queries`,
    headers: options.as ?? t.as('researcher'),
    payload: {
      permitId: permit.id,
      query,
      ...(options.disclosure ? { disclosure: options.disclosure } : {}),
    },
  });
}

function cellsOf(body: { result: { tables: { cells: Cell[] }[] } }): Cell[] {
  return body.result.tables[0]?.cells ?? [];
}

before(async () => {
  t = await testApp();
  await seedReference(t.warehouse);
  await insertPersons(t.warehouse, PERSONS);
  await t.warehouse.appendRows(
    'observation_period',
    [
      'observation_period_id',
      'person_id',
      'observation_period_start_date',
      'observation_period_end_date',
      'period_type_concept_id',
    ],
    PERSONS.map((p, i) => [i + 1, p.id, '2015-01-01', '2023-12-31', 32817]),
  );
  cast = await permitCast(t.store, t.users.researcher);
});
after(async () => {
  await t.close();
});

test('a stratified count: the small cell comes back withheld, and the report says so', async () => {
  const permit = await newPermit('Counts by sex');
  const res = await run(permit, personCount(['sex']));
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json();
  assert.match(body.runId, /^[0-9a-f-]{36}$/);
  const cells = cellsOf(body);
  const female = cells.find((c) => c.strata.sex === 'female');
  const male = cells.find((c) => c.strata.sex === 'male');
  assert.equal(female?.value, 22);
  assert.equal(male?.value, null);
  assert.equal(male?.suppressed, true);
  const report = body.result.disclosure.tables[0];
  assert.equal(report.cells.withheld, 1);
  assert.equal(report.minCellSize, permit.minCellSize);
  // The researcher does not see why (primary or secondary).
  assert.equal(report.withheld, undefined);

  // The run is recorded, and an output checker reads the full report.
  const got = await t.app.inject({
    method: 'GET',
    url: `/api/v1/queries/${body.runId}`,
    headers: t.as('output_checker'),
  });
  assert.equal(got.statusCode, 200, got.body);
  assert.equal(got.json().result.disclosure.tables[0].withheld[0].reason, 'primary');
  const list = await t.app.inject({
    method: 'GET',
    url: `/api/v1/projects/${permit.projectId}/queries`,
    headers: t.as('researcher'),
  });
  assert.deepEqual(
    list.json().map((r: { id: string }) => r.id),
    [body.runId],
  );
});

test('a query reading a table outside the permit is refused before any SQL, and audited', async () => {
  const permit = await newPermit('Drugs refused');
  const res = await run(permit, {
    version: 1,
    period: { from: '2021-01-01', to: '2021-12-31' },
    measures: [{ kind: 'event_count', name: 'visits', events: { domain: 'visit' } }],
  });
  assert.equal(res.statusCode, 403, res.body);
  assert.equal(res.json().details.reason, 'table-not-allowed');
  const denied = await t.store.audit.list({ permitId: permit.id, decision: 'deny' });
  assert.ok(denied.some((e) => e.action === 'data.access'));
});

test('a researcher who is not a member is refused', async () => {
  const permit = await newPermit('Members only');
  const other = await t.store.users.create(SYSTEM_ACTOR, {
    login: 'outsider',
    displayName: 'Outsider',
    roles: ['researcher'],
  });
  const token = (await t.store.users.createApiToken(SYSTEM_ACTOR, other.id, { label: 't' })).token;
  const res = await run(permit, personCount(), { as: { authorization: `Bearer ${token}` } });
  assert.equal(res.statusCode, 403, res.body);
  assert.equal(res.json().details.reason, 'not-a-project-member');
});

test('differencing: count(A), then A minus the target is withheld', async () => {
  const permit = await newPermit('Differencing');
  const first = await run(permit, personCount());
  assert.equal(first.statusCode, 201, first.body);
  assert.equal(cellsOf(first.json())[0]?.value, 30);
  const remembered = async () =>
    Number(
      (
        await t.warehouse.query<{ n: number | bigint }>(
          'SELECT count(*) AS n FROM hygie_disclosed_member',
        )
      )[0]?.n,
    );
  const before = await remembered();
  // The same question again is answered again — and not remembered twice (same persons).
  const again = await run(permit, personCount());
  assert.equal(cellsOf(again.json())[0]?.value, 30);
  assert.equal(await remembered(), before);
  // By département: Paris is A minus the target (29), Lyon the target alone (1).
  const second = await run(permit, personCount(['departement']));
  assert.equal(second.statusCode, 201, second.body);
  const cells = cellsOf(second.json());
  assert.ok(cells.length >= 2);
  assert.ok(
    cells.every((c) => c.value === null && c.suppressed),
    JSON.stringify(cells),
  );
  assert.equal(second.json().result.disclosure.tables[0].differencing.tooClose, 1);
});

test('differencing spans the project: a second permit of the same team cannot difference the first', async () => {
  const first = await newPermit('One team, two permits');
  // A second application of the same project, approved by the same committee.
  const a = await t.store.applications.createDraft(
    cast.researcher,
    first.projectId,
    contentWith({}, { data: DATA }),
  );
  await t.store.applications.submit(cast.researcher, a.id);
  await t.store.applications.startReview(cast.reviewers[0], a.id);
  await t.store.applications.review(cast.reviewers[0], a.id, { decision: 'approve' });
  const out = await t.store.applications.review(cast.reviewers[1], a.id, { decision: 'approve' });
  assert.ok(out.permit);
  const second = out.permit;
  const all = await run(first, personCount());
  assert.equal(cellsOf(all.json())[0]?.value, 30);
  // Under the other permit, Paris (A minus the target) would reveal the target by difference.
  const split = await run(second, personCount(['departement']));
  assert.equal(split.statusCode, 201, split.body);
  assert.ok(
    cellsOf(split.json()).every((c) => c.value === null && c.suppressed),
    JSON.stringify(cellsOf(split.json())),
  );
  assert.equal(split.json().result.disclosure.tables[0].differencing.tooClose, 1);
});

test('privacy budget: ε is debited, and a query beyond the budget is refused', async () => {
  const permit = await newPermit('Noisy counts');
  const disclosure = { dp: { mode: 'instead', mechanism: 'laplace', epsilon: 0.6 } };
  const first = await run(permit, personCount(['sex']), { disclosure });
  assert.equal(first.statusCode, 201, first.body);
  assert.equal(first.json().epsilon, 0.6);
  const second = await run(permit, personCount(['sex']), { disclosure });
  assert.equal(second.statusCode, 403, second.body);
  assert.equal(second.json().details.reason, 'budget-exhausted');
});

test('airlock: request, approval by an outside checker, downloads (audited)', async () => {
  const permit = await newPermit('Airlock');
  const ran = await run(permit, personCount(['sex']));
  const runId = ran.json().runId as string;
  const req = await t.app.inject({
    method: 'POST',
    url: `/api/v1/queries/${runId}/release-requests`,
    headers: t.as('researcher'),
    payload: { justification: 'For the paper' },
  });
  assert.equal(req.statusCode, 201, req.body);
  const requestId = req.json().id as string;

  const queue = await t.app.inject({
    method: 'GET',
    url: '/api/v1/release-requests?status=pending',
    headers: t.as('output_checker'),
  });
  assert.equal(queue.statusCode, 200, queue.body);
  const entry = queue.json().find((r: { id: string }) => r.id === requestId);
  assert.equal(entry.disclosure.tables[0].withheld[0].reason, 'primary');
  assert.equal(entry.projectTitle, 'Airlock', 'the project’s public title');

  // A checker who is a member of the project may not decide.
  const insider = await t.store.users.create(SYSTEM_ACTOR, {
    login: 'insider-checker',
    displayName: 'Insider',
    roles: ['output_checker', 'researcher'],
  });
  await t.store.projects.addMember(cast.researcher, permit.projectId, {
    userId: insider.id,
    projectRole: 'investigator',
  });
  const insiderToken = (
    await t.store.users.createApiToken(SYSTEM_ACTOR, insider.id, { label: 't' })
  ).token;
  const refused = await t.app.inject({
    method: 'POST',
    url: `/api/v1/release-requests/${requestId}/decision`,
    headers: { authorization: `Bearer ${insiderToken}` },
    payload: { decision: 'approve' },
  });
  assert.equal(refused.statusCode, 403, refused.body);

  const decided = await t.app.inject({
    method: 'POST',
    url: `/api/v1/release-requests/${requestId}/decision`,
    headers: t.as('output_checker'),
    payload: { decision: 'approve', comment: 'fine' },
  });
  assert.equal(decided.statusCode, 200, decided.body);
  const releaseId = decided.json().release.id as string;

  // The project's requests, for its members: this one approved, with its release.
  const listed = await t.app.inject({
    url: `/api/v1/projects/${permit.projectId}/release-requests`,
    headers: t.as('researcher'),
  });
  assert.equal(listed.statusCode, 200, listed.body);
  const mine = listed.json().find((r: { id: string }) => r.id === requestId);
  assert.equal(mine.status, 'approved');
  assert.equal(mine.release.id, releaseId);
  // One request, decided: the checker reopens it with its release and report.
  const reopened = await t.app.inject({
    url: `/api/v1/release-requests/${requestId}`,
    headers: t.as('output_checker'),
  });
  assert.equal(reopened.statusCode, 200, reopened.body);
  assert.equal(reopened.json().status, 'approved');
  assert.equal(reopened.json().release.id, releaseId);
  assert.equal(reopened.json().projectTitle, 'Airlock');
  assert.equal(reopened.json().disclosure.tables[0].withheld[0].reason, 'primary');
  // A researcher outside the project is refused.
  const outsider = await t.store.users.create(SYSTEM_ACTOR, {
    login: 'outsider-researcher',
    displayName: 'Outsider',
    roles: ['researcher'],
  });
  const outsiderToken = (
    await t.store.users.createApiToken(SYSTEM_ACTOR, outsider.id, { label: 't' })
  ).token;
  const foreign = await t.app.inject({
    url: `/api/v1/projects/${permit.projectId}/release-requests`,
    headers: { authorization: `Bearer ${outsiderToken}` },
  });
  assert.equal(foreign.statusCode, 403, foreign.body);
  const foreignOne = await t.app.inject({
    url: `/api/v1/release-requests/${requestId}`,
    headers: { authorization: `Bearer ${outsiderToken}` },
  });
  assert.equal(foreignOne.statusCode, 403, foreignOne.body);

  const download = (format: string) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/releases/${releaseId}/download?format=${format}`,
      headers: t.as('researcher'),
    });
  const json = await download('json');
  assert.equal(json.statusCode, 200, json.body);
  assert.match(json.headers['content-disposition'] as string, /^attachment; filename="[\w.-]+"$/);
  const content = json.json();
  assert.equal(content.disclosure, undefined);
  assert.equal(content.tables[0].cells.length, 2);

  const csv = await download('csv');
  assert.equal(csv.statusCode, 200, csv.body);
  const lines = csv.body.trim().split('\r\n');
  assert.equal(lines[0], 'table,measure,sex,value,persons,suppressed');
  assert.ok(lines.includes('persons,persons,female,22,22,false'), csv.body);
  assert.ok(lines.includes('persons,persons,male,,,true'), csv.body);

  const parquet = await download('parquet');
  assert.equal(parquet.statusCode, 200, parquet.body);
  assert.equal(parquet.rawPayload.subarray(0, 4).toString('latin1'), 'PAR1');

  const downloads = await t.store.audit.list({ action: 'release.download', limit: 100 });
  assert.equal(downloads.length, 3);
});

test('an opted-out citizen is not counted', async () => {
  // Two permits: under one permit, 30 then 29 would be withheld by the differencing defence.
  const before = await newPermit('Before opt-out');
  const after = await newPermit('After opt-out');
  const first = await run(before, personCount());
  assert.equal(cellsOf(first.json())[0]?.value, 30);
  // As the citizen route does: mark the mirror stale, record, sync.
  t.deps.optOutMirror.markStale();
  await t.store.optOuts.optOut(SYSTEM_ACTOR, TARGET);
  await t.deps.optOutMirror.sync({ refresh: [TARGET] });
  const second = await run(after, personCount());
  assert.equal(second.statusCode, 201, second.body);
  assert.equal(cellsOf(second.json())[0]?.value, 29);
});
