/** `hygie query`: one governed query against a listening server, over HTTP. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SYSTEM_ACTOR } from '@hygie/core';
import { actorOf, openGovernanceStore } from '@hygie/governance';
import { buildApp, defaultServerConfig, governanceSettingsOf } from '@hygie/server';
import { migrate, openInMemoryWarehouse } from '@hygie/warehouse';
import { main } from '../src/main.js';

const tmp = mkdtempSync(join(tmpdir(), 'hygie-query-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI in-process; returns the exit code and what it printed. */
async function hygie(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
  try {
    const status = await main(['node', 'hygie', ...args]);
    return { status, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

test('hygie query prints the controlled result and the run id; errors print their code', async () => {
  const config = defaultServerConfig({ logLevel: 'silent', port: 0 });
  const store = await openGovernanceStore({
    kind: 'sqlite-memory',
    settings: governanceSettingsOf(config),
  });
  await store.migrate();
  const warehouse = await openInMemoryWarehouse();
  await migrate(warehouse);
  const persons = Array.from({ length: 14 }, (_, i) => [
    BigInt(i + 1),
    i < 11 ? 8532 : 8507,
    1970 + i,
    1,
    0,
    0,
    null,
  ]);
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
    persons,
  );
  await warehouse.appendRows(
    'observation_period',
    [
      'observation_period_id',
      'person_id',
      'observation_period_start_date',
      'observation_period_end_date',
      'period_type_concept_id',
    ],
    persons.map((p, i) => [i + 1, p[0], '2015-01-01', '2023-12-31', 32817]),
  );
  const mk = (login: string, roles: ('researcher' | 'reviewer')[]) =>
    store.users.create(SYSTEM_ACTOR, { login, displayName: login, roles });
  const researcher = await mk('cli-researcher', ['researcher']);
  const reviewers = [await mk('cli-rev-1', ['reviewer']), await mk('cli-rev-2', ['reviewer'])];
  const me = actorOf(researcher);
  const project = await store.projects.create(me, {
    title: 'CLI counts',
    purpose: 'Count persons by sex from the command line.',
    legalBasis: 'GDPR art. 6(1)(e) and 9(2)(j)',
    publicSummary: 'CLI counts: how many persons, by sex.',
  });
  const application = await store.applications.createDraft(me, project.id, {
    data: [
      {
        table: 'person',
        variables: ['person_id', 'gender_concept_id', 'year_of_birth', 'month_of_birth'],
      },
      {
        table: 'observation_period',
        variables: ['person_id', 'observation_period_start_date', 'observation_period_end_date'],
      },
      { table: 'death', variables: ['person_id', 'death_date'] },
    ],
    population: {},
    period: { from: '2020-01-01', to: '2022-12-31' },
    durationMonths: 12,
    accessMode: 'aggregate_only',
    justification: 'Counts by sex',
    requestedEpsilon: 1,
  });
  await store.applications.submit(me, application.id);
  await store.applications.startReview(actorOf(reviewers[0]!), application.id);
  await store.applications.review(actorOf(reviewers[0]!), application.id, { decision: 'approve' });
  const decided = await store.applications.review(actorOf(reviewers[1]!), application.id, {
    decision: 'approve',
  });
  const permit = decided.permit!;
  const token = (await store.users.createApiToken(SYSTEM_ACTOR, researcher.id, { label: 'cli' }))
    .token;
  const built = await buildApp({
    config,
    warehouse,
    governance: store,
    logger: false,
    close: async () => {
      await store.close();
      await warehouse.close();
    },
  });
  try {
    const address = await built.app.listen({ host: '127.0.0.1', port: 0 });
    const file = join(tmp, 'query.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        period: { from: '2021-01-01', to: '2021-12-31' },
        measures: [{ kind: 'person_count', name: 'persons' }],
        stratify: ['sex'],
      }),
    );
    const out = join(tmp, 'out.json');
    const r = await hygie(
      'query',
      '--permit',
      permit.id,
      file,
      '--server',
      address,
      '--token',
      token,
      '--out',
      out,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /female\s+persons\s+11/);
    assert.match(r.stdout, /male\s+persons\s+suppressed/);
    const runId = /run ([0-9a-f-]{36})/.exec(r.stdout)?.[1];
    assert.ok(runId);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).runId, runId);

    const bad = await hygie(
      'query',
      '--permit',
      permit.id,
      file,
      '--server',
      address,
      '--token',
      'nope',
    );
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /\[HYG_UNAUTHENTICATED\]/);
  } finally {
    await built.app.close();
  }
});
