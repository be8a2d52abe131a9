import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HygieError,
  PERMIT_ACTIONS,
  PERMIT_DENY_REASONS,
  evaluatePermit,
  permitDenialError,
  permitScopeSchema,
  permitTransition,
} from '../src/index.js';
import type { AccessRequest, PermitForEvaluation, PermitScope } from '../src/index.js';

const scope: PermitScope = permitScopeSchema.parse({
  scopeVersion: 1,
  data: [
    { table: 'person', variables: ['person_id', 'year_of_birth', 'gender_concept_id'] },
    {
      table: 'condition_occurrence',
      variables: ['person_id', 'condition_concept_id', 'condition_start_date'],
    },
  ],
  period: { from: '2020-01-01', to: '2022-12-31' },
  population: { ageRange: { min: 18, max: 65 } },
  accessMode: 'aggregate_only',
  validFrom: '2024-01-01T00:00:00Z',
  expiresAt: '2025-01-01T00:00:00Z',
  epsilonBudget: 1,
});

const permit: PermitForEvaluation = { status: 'active', scope, epsilonSpent: 0 };
const inside = new Date('2024-06-01T12:00:00Z');
const request: AccessRequest = {
  kind: 'aggregate',
  data: [{ table: 'person', variables: ['year_of_birth'] }],
  period: { from: '2020-01-01', to: '2022-12-31' },
};

function reason(p: PermitForEvaluation, now: Date, r: AccessRequest): string {
  const d = evaluatePermit(p, now, r);
  return d.decision === 'allow' ? 'allow' : d.reason;
}

test('the scope schema normalises instants and defaults the minimum cell size to 10', () => {
  assert.equal(scope.validFrom, '2024-01-01T00:00:00.000Z');
  assert.equal(scope.minCellSize, 10);
});

test('an active permit allows a request inside its scope', () => {
  assert.equal(reason(permit, inside, request), 'allow');
  assert.equal(
    reason(permit, inside, {
      kind: 'aggregate',
      data: [
        { table: 'person', variables: ['person_id', 'year_of_birth'] },
        { table: 'condition_occurrence', variables: ['condition_concept_id'] },
      ],
      period: { from: '2021-03-01', to: '2021-03-31' },
    }),
    'allow',
  );
});

test('status is checked first: revoked, suspended, expired', () => {
  assert.equal(reason({ ...permit, status: 'revoked' }, inside, request), 'permit-revoked');
  assert.equal(reason({ ...permit, status: 'suspended' }, inside, request), 'permit-suspended');
  assert.equal(reason({ ...permit, status: 'expired' }, inside, request), 'permit-expired');
  // A revoked permit says revoked even when the request is also out of scope.
  assert.equal(
    reason({ ...permit, status: 'revoked' }, inside, {
      ...request,
      data: [{ table: 'death', variables: ['x'] }],
    }),
    'permit-revoked',
  );
});

test('validity window [validFrom, expiresAt): boundaries to the millisecond', () => {
  assert.equal(
    reason(permit, new Date('2023-12-31T23:59:59.999Z'), request),
    'permit-not-yet-valid',
  );
  assert.equal(reason(permit, new Date('2024-01-01T00:00:00.000Z'), request), 'allow');
  assert.equal(reason(permit, new Date('2024-12-31T23:59:59.999Z'), request), 'allow');
  assert.equal(reason(permit, new Date('2025-01-01T00:00:00.000Z'), request), 'permit-expired');
  // An active permit past its expiry is expired even before the store marks it.
  assert.equal(reason(permit, new Date('2030-01-01T00:00:00Z'), request), 'permit-expired');
});

test('a table outside the scope is refused, naming the table', () => {
  const d = evaluatePermit(permit, inside, {
    ...request,
    data: [{ table: 'drug_exposure', variables: ['person_id'] }],
  });
  assert.deepEqual(d, {
    decision: 'deny',
    reason: 'table-not-allowed',
    details: { table: 'drug_exposure' },
  });
});

test('a variable outside the scope is refused, even next to allowed ones', () => {
  const d = evaluatePermit(permit, inside, {
    ...request,
    data: [{ table: 'person', variables: ['year_of_birth', 'location_id'] }],
  });
  assert.deepEqual(d, {
    decision: 'deny',
    reason: 'variable-not-allowed',
    details: { table: 'person', variable: 'location_id' },
  });
  // A variable allowed in another table is not allowed here.
  assert.equal(
    reason(permit, inside, {
      ...request,
      data: [{ table: 'person', variables: ['condition_concept_id'] }],
    }),
    'variable-not-allowed',
  );
});

test('the period must lie inside the scope period, both ends included', () => {
  assert.equal(
    reason(permit, inside, { ...request, period: { from: '2020-01-01', to: '2020-01-01' } }),
    'allow',
  );
  assert.equal(
    reason(permit, inside, { ...request, period: { from: '2022-12-31', to: '2022-12-31' } }),
    'allow',
  );
  assert.equal(
    reason(permit, inside, { ...request, period: { from: '2019-12-31', to: '2020-06-30' } }),
    'period-outside',
  );
  assert.equal(
    reason(permit, inside, { ...request, period: { from: '2022-01-01', to: '2023-01-01' } }),
    'period-outside',
  );
});

test('row-level use needs a workspace permit', () => {
  assert.equal(
    reason(permit, inside, { ...request, kind: 'row_level' }),
    'access-mode-not-allowed',
  );
  const workspace = { ...permit, scope: { ...scope, accessMode: 'workspace' as const } };
  assert.equal(reason(workspace, inside, { ...request, kind: 'row_level' }), 'allow');
  assert.equal(reason(workspace, inside, request), 'allow');
});

test('the privacy budget: exactly exhausting is allowed, exceeding is refused', () => {
  assert.equal(reason(permit, inside, { ...request, epsilon: 1 }), 'allow');
  assert.equal(
    reason({ ...permit, epsilonSpent: 0.7 }, inside, { ...request, epsilon: 0.3 }),
    'allow',
  );
  assert.equal(
    reason({ ...permit, epsilonSpent: 0.7 }, inside, { ...request, epsilon: 0.31 }),
    'budget-exhausted',
  );
  // A request without noise spends nothing, whatever was spent.
  assert.equal(reason({ ...permit, epsilonSpent: 1 }, inside, request), 'allow');
});

test('a malformed request is an error, not a decision', () => {
  for (const bad of [
    { ...request, data: [] },
    { ...request, kind: 'download' },
    { ...request, period: { from: '2021-01-02', to: '2021-01-01' } },
    { ...request, data: [{ table: 'Person; DROP', variables: [] }] },
  ]) {
    assert.throws(
      () => evaluatePermit(permit, inside, bad as AccessRequest),
      (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT',
    );
  }
});

test('every denial reason maps to a 403 error with the reason code', () => {
  const codes: Record<string, string> = {
    'permit-revoked': 'HYG_PERMIT_REVOKED',
    'permit-suspended': 'HYG_PERMIT_SUSPENDED',
    'permit-expired': 'HYG_PERMIT_EXPIRED',
  };
  for (const r of PERMIT_DENY_REASONS) {
    const e = permitDenialError(r, { table: 'person' }, 'permit-1');
    assert.equal(e.status, 403);
    assert.equal(e.code, codes[r] ?? 'HYG_FORBIDDEN');
    assert.equal(e.details.reason, r);
    assert.equal(e.details.permitId, 'permit-1');
  }
});

test('permit lifecycle: allowed moves, and final states', () => {
  const statuses = ['active', 'suspended', 'revoked', 'expired'] as const;
  const allowed: Record<string, string> = {
    'active:suspend': 'suspended',
    'suspended:reinstate': 'active',
    'active:revoke': 'revoked',
    'suspended:revoke': 'revoked',
    'active:expire': 'expired',
    'suspended:expire': 'expired',
  };
  for (const from of statuses) {
    for (const action of PERMIT_ACTIONS) {
      const to = allowed[`${from}:${action}`];
      if (to) assert.equal(permitTransition(from, action), to);
      else
        assert.throws(
          () => permitTransition(from, action),
          (e: unknown) =>
            e instanceof HygieError &&
            e.code === 'HYG_INVALID_TRANSITION' &&
            e.details.reason === 'state',
        );
    }
  }
});
