import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUDGET_SLACK_FACTOR,
  HygieError,
  PERMIT_ACTIONS,
  PERMIT_DENY_REASONS,
  evaluateBudgetDebit,
  evaluatePermit,
  permitDenialError,
  permitScopeSchema,
  permitTransition,
  withinBudget,
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

test('the δ side of the budget: default 1e-9, exactly exhausting allowed, exceeding refused', () => {
  assert.equal(scope.deltaBudget, 1e-9);
  assert.equal(reason(permit, inside, { ...request, epsilon: 0.1, delta: 1e-9 }), 'allow');
  assert.equal(reason(permit, inside, { ...request, delta: 2e-9 }), 'budget-exhausted');
  const spent = { ...permit, deltaSpent: 1e-9 };
  assert.equal(reason(spent, inside, { ...request, epsilon: 0.1 }), 'allow');
  const d = evaluatePermit(spent, inside, { ...request, epsilon: 0.1, delta: 1e-12 });
  assert.deepEqual(d, {
    decision: 'deny',
    reason: 'budget-exhausted',
    details: { epsilonBudget: 1, epsilonSpent: 0, deltaBudget: 1e-9, deltaSpent: 1e-9 },
  });
  assert.throws(
    () => evaluatePermit(permit, inside, { ...request, delta: 0.5 }),
    (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT',
  );
});

test('the budget comparison tolerates rounding, relative to the budget, and nothing more', () => {
  // 0.1 + 0.2 is 0.30000000000000004: a budget of 0.3 spent in those parts is not refused.
  assert.ok(0.1 + 0.2 > 0.3);
  assert.ok(withinBudget(0.1, 0.2, 0.3));
  // Ten equal parts fill the budget, an eleventh does not fit.
  let spent = 0;
  for (let i = 0; i < 10; i++) {
    assert.ok(withinBudget(spent, 0.15, 1.5), `part ${i + 1}`);
    spent += 0.15;
  }
  assert.equal(withinBudget(spent, 0.15, 1.5), false);
  // Exactly the budget is allowed; 1e-12 more is refused, for ε as for δ.
  assert.ok(withinBudget(1, 0.5, 1.5));
  assert.equal(withinBudget(1.5, 1e-12, 1.5), false);
  assert.ok(withinBudget(5e-10, 5e-10, 1e-9));
  assert.equal(withinBudget(1e-9, 1e-12, 1e-9), false);
  assert.equal(withinBudget(1e-9, 1e-18, 1e-9), false);
  // A budget of 0 allows nothing but a zero cost.
  assert.ok(withinBudget(0, 0, 0));
  assert.equal(withinBudget(0, Number.MIN_VALUE, 0), false);
  assert.equal(BUDGET_SLACK_FACTOR, 1 + 1e-13);
});

test('evaluateBudgetDebit: the standing first, then the (ε, δ) budget', () => {
  const cost = { epsilon: 0.5, delta: 1e-10 };
  assert.deepEqual(evaluateBudgetDebit(permit, inside, cost), { decision: 'allow' });
  assert.deepEqual(evaluateBudgetDebit(permit, inside, { epsilon: 0 }), { decision: 'allow' });
  const at = (p: PermitForEvaluation, now = inside) => {
    const d = evaluateBudgetDebit(p, now, cost);
    return d.decision === 'allow' ? 'allow' : d.reason;
  };
  assert.equal(at({ ...permit, status: 'suspended' }), 'permit-suspended');
  assert.equal(at({ ...permit, status: 'revoked' }), 'permit-revoked');
  assert.equal(at(permit, new Date('2025-01-01T00:00:00Z')), 'permit-expired');
  assert.equal(at(permit, new Date('2023-01-01T00:00:00Z')), 'permit-not-yet-valid');
  assert.equal(at({ ...permit, epsilonSpent: 0.6 }), 'budget-exhausted');
  assert.equal(at({ ...permit, deltaSpent: 9.5e-10 }), 'budget-exhausted');
  // A suspended permit spends nothing, even nothing: the standing is checked first.
  assert.equal(
    (
      evaluateBudgetDebit({ ...permit, status: 'suspended' }, inside, { epsilon: 0 }) as {
        reason: string;
      }
    ).reason,
    'permit-suspended',
  );
  for (const bad of [{ epsilon: -1 }, { epsilon: 1, delta: 1 }, { epsilon: 1, extra: 1 }, {}]) {
    assert.throws(
      () => evaluateBudgetDebit(permit, inside, bad as never),
      (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT',
      JSON.stringify(bad),
    );
  }
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
