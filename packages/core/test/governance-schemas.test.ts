import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DELTA_BUDGET,
  HygieError,
  addMonthsUtc,
  applicationContentSchema,
  auditEventInputSchema,
  parseGovernanceInput,
  permitScopeSchema,
  populationFiltersSchema,
  projectInputSchema,
  projectResultInputSchema,
  scopeFromApplication,
} from '../src/index.js';

const content = applicationContentSchema.parse({
  data: [{ table: 'person', variables: ['year_of_birth'] }],
  period: { from: '2019-01-01', to: '2023-12-31' },
  durationMonths: 12,
  accessMode: 'aggregate_only',
  requestedEpsilon: 0.5,
});

test('application content: defaults and the workspace justification rule', () => {
  assert.deepEqual(content.population, {});
  assert.equal(content.justification, '');
  const noJustification = applicationContentSchema.safeParse({
    ...content,
    accessMode: 'workspace',
  });
  assert.equal(noJustification.success, false);
  assert.ok(
    applicationContentSchema.safeParse({
      ...content,
      accessMode: 'workspace',
      justification: 'survival models',
    }).success,
  );
});

test('application content: duration, ε and data bounds', () => {
  for (const bad of [
    { durationMonths: 0 },
    { durationMonths: 121 },
    { durationMonths: 1.5 },
    { requestedEpsilon: -0.1 },
    { requestedEpsilon: 101 },
    { data: [] },
    { data: [{ table: 'person', variables: [] }] },
    { data: [{ table: 'person', variables: ['a', 'a'] }] },
    {
      data: [
        { table: 'person', variables: ['a'] },
        { table: 'person', variables: ['b'] },
      ],
    },
    { period: { from: '2020-01-02', to: '2020-01-01' } },
    { period: { from: '2020-02-30', to: '2020-03-01' } },
    { unknownField: 1 },
  ]) {
    assert.equal(
      applicationContentSchema.safeParse({ ...content, ...bad }).success,
      false,
      JSON.stringify(bad),
    );
  }
});

test('population filters: ages, sexes, INSEE codes, concept sets', () => {
  assert.ok(populationFiltersSchema.safeParse({ ageRange: { min: 0, max: 0 } }).success);
  assert.equal(
    populationFiltersSchema.safeParse({ ageRange: { min: 40, max: 39 } }).success,
    false,
  );
  assert.ok(
    populationFiltersSchema.safeParse({ departements: ['01', '2A', '2B', '95', '971', '976'] })
      .success,
  );
  for (const d of ['00', '20', '96', '977', '1', 'AB']) {
    assert.equal(populationFiltersSchema.safeParse({ departements: [d] }).success, false, d);
  }
  assert.ok(populationFiltersSchema.safeParse({ regions: ['11', '84'] }).success);
  assert.equal(populationFiltersSchema.safeParse({ sex: [] }).success, false);
  assert.equal(populationFiltersSchema.safeParse({ sex: ['female', 'female'] }).success, false);
  assert.ok(
    populationFiltersSchema.safeParse({
      conditions: [{ name: 'diabetes', conceptIds: [201826, 443238] }],
    }).success,
  );
  assert.equal(
    populationFiltersSchema.safeParse({ conditions: [{ name: 'x', conceptIds: [] }] }).success,
    false,
  );
});

test('addMonthsUtc clamps to the last day of the month', () => {
  assert.equal(
    addMonthsUtc(new Date('2024-01-31T10:00:00Z'), 1).toISOString(),
    '2024-02-29T10:00:00.000Z',
  );
  assert.equal(
    addMonthsUtc(new Date('2023-01-31T10:00:00Z'), 1).toISOString(),
    '2023-02-28T10:00:00.000Z',
  );
  assert.equal(
    addMonthsUtc(new Date('2024-11-15T00:00:00Z'), 14).toISOString(),
    '2026-01-15T00:00:00.000Z',
  );
  assert.equal(
    addMonthsUtc(new Date('2024-03-31T23:59:59.999Z'), 12).toISOString(),
    '2025-03-31T23:59:59.999Z',
  );
});

test('scopeFromApplication copies the request and sets validity, ε and min cell size', () => {
  const s = scopeFromApplication(content, { validFrom: new Date('2024-05-10T08:00:00Z') });
  assert.deepEqual(s, {
    scopeVersion: 1,
    data: content.data,
    period: content.period,
    population: {},
    accessMode: 'aggregate_only',
    validFrom: '2024-05-10T08:00:00.000Z',
    expiresAt: '2025-05-10T08:00:00.000Z',
    epsilonBudget: 0.5,
    deltaBudget: DEFAULT_DELTA_BUDGET,
    minCellSize: 10,
  });
  assert.equal(
    scopeFromApplication(content, { validFrom: new Date(), minCellSize: 5 }).minCellSize,
    5,
  );
});

test('the permit scope refuses an expiry not after its start and an unknown version', () => {
  const s = scopeFromApplication(content, { validFrom: new Date('2024-05-10T08:00:00Z') });
  assert.equal(permitScopeSchema.safeParse({ ...s, expiresAt: s.validFrom }).success, false);
  assert.equal(permitScopeSchema.safeParse({ ...s, scopeVersion: 2 }).success, false);
  assert.equal(permitScopeSchema.safeParse({ ...s, minCellSize: 0 }).success, false);
});

test('scope v1 gained an optional δ budget: scopes written before it read as the default', () => {
  const s = scopeFromApplication(content, { validFrom: new Date('2024-05-10T08:00:00Z') });
  const { deltaBudget: _written, ...before } = s;
  assert.equal(DEFAULT_DELTA_BUDGET, 1e-9);
  assert.equal(permitScopeSchema.parse(before).deltaBudget, DEFAULT_DELTA_BUDGET);
  assert.equal(permitScopeSchema.parse(JSON.parse(JSON.stringify(before))).scopeVersion, 1);
  assert.equal(permitScopeSchema.parse({ ...s, deltaBudget: 0 }).deltaBudget, 0);
  assert.equal(permitScopeSchema.parse({ ...s, deltaBudget: 1e-6 }).deltaBudget, 1e-6);
  for (const bad of [-1e-9, 0.01, Number.NaN, '1e-9']) {
    assert.equal(permitScopeSchema.safeParse({ ...s, deltaBudget: bad }).success, false, `${bad}`);
  }
});

test('project input: team listed once, fields bounded', () => {
  const base = { title: 'T', purpose: 'P', legalBasis: 'L', publicSummary: 'S' };
  assert.deepEqual(projectInputSchema.parse(base).team, []);
  assert.equal(projectInputSchema.parse(base).funding, null);
  const id = '6f1c3b8e-2a4d-4c5e-9f00-1234567890ab';
  assert.equal(
    projectInputSchema.safeParse({
      ...base,
      team: [
        { userId: id, projectRole: 'investigator' },
        { userId: id, projectRole: 'data_manager' },
      ],
    }).success,
    false,
  );
  assert.equal(projectInputSchema.safeParse({ ...base, title: '  ' }).success, false);
});

test('project result: http(s) links only, normalised; dates and lengths bounded', () => {
  assert.deepEqual(projectResultInputSchema.parse({ title: ' Report ', kind: 'report' }), {
    title: 'Report',
    kind: 'report',
  });
  const full = projectResultInputSchema.parse({
    title: 'Article',
    kind: 'publication',
    url: ' HTTPS://Doi.org/10.1000/182 ',
    publishedOn: '2025-02-14',
    summary: 'Findings.',
  });
  assert.equal(full.url, 'https://doi.org/10.1000/182');
  assert.equal(full.publishedOn, '2025-02-14');
  // What is stored is what the URL parser read, not the raw text.
  assert.equal(
    projectResultInputSchema.parse({ title: 'T', kind: 'report', url: 'https:example.org' }).url,
    'https://example.org/',
  );
  const base = { title: 'T', kind: 'dataset' };
  for (const url of [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,x',
    'ftp://example.org/',
    'file:///etc/passwd',
    'https://user:pw@example.org/',
    `https://example.org/${'a'.repeat(2000)}`,
    '',
  ]) {
    const r = projectResultInputSchema.safeParse({ ...base, url });
    assert.equal(r.success, false, url);
    assert.deepEqual(r.error?.issues[0]?.path, ['url'], url);
  }
  for (const bad of [
    { kind: 'poster' },
    { title: 'x'.repeat(301) },
    { publishedOn: '2025-13-01' },
    { publishedOn: '14/02/2025' },
    { summary: 'x'.repeat(5001) },
    { summary: ' ' },
    { removedAt: null },
  ]) {
    assert.equal(projectResultInputSchema.safeParse({ ...base, ...bad }).success, false);
  }
});

test('parseGovernanceInput names the field, not the value', () => {
  try {
    parseGovernanceInput(
      applicationContentSchema,
      { ...content, durationMonths: 'SECRET-VALUE' },
      'application',
    );
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof HygieError);
    assert.equal(e.code, 'HYG_INVALID_ARGUMENT');
    assert.equal(e.details.argument, 'durationMonths');
    assert.doesNotMatch(e.message, /SECRET-VALUE/);
  }
});

test('audit events refuse NIR-shaped values and unknown fields', () => {
  const ok = {
    actorRole: 'researcher',
    actorId: '6f1c3b8e-2a4d-4c5e-9f00-1234567890ab',
    action: 'application.submit',
    decision: 'allow',
  };
  assert.ok(auditEventInputSchema.safeParse(ok).success);
  assert.equal(
    auditEventInputSchema.safeParse({ ...ok, details: { note: 'nir 1 84 12 76 451 089 42' } })
      .success,
    false,
  );
  assert.equal(
    auditEventInputSchema.safeParse({ ...ok, targetId: '184127645108942' }).success,
    false,
  );
  assert.equal(
    auditEventInputSchema.safeParse({ ...ok, details: { nested: { a: 1 } } }).success,
    false,
  );
  assert.equal(auditEventInputSchema.safeParse({ ...ok, action: 'Not An Action' }).success, false);
  assert.equal(auditEventInputSchema.safeParse({ ...ok, patient: 'x' }).success, false);
});
