import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HygieError,
  canSpend,
  composeSequential,
  ledgerOfPermit,
  remainingBudget,
  spend,
} from '../src/index.js';
import type { PrivacyLedger } from '../src/index.js';

const ledger: PrivacyLedger = {
  epsilonBudget: 1,
  epsilonSpent: 0,
  deltaBudget: 1e-6,
  deltaSpent: 0,
};

test('budget: spending exactly the budget is allowed, a hair more is not', () => {
  let l = ledger;
  for (let i = 0; i < 10; i++) l = spend(l, { epsilon: 0.1, delta: 0 });
  // 0.1 added ten times is 0.9999999999999999: the last part was not refused.
  assert.ok(Math.abs(l.epsilonSpent - 1) < 1e-15);
  assert.equal(canSpend(l, { epsilon: 1e-9, delta: 0 }).decision, 'deny');
  assert.equal(
    canSpend({ ...ledger, epsilonSpent: 0.75 }, { epsilon: 0.25, delta: 0 }).decision,
    'allow',
  );
  assert.equal(
    canSpend({ ...ledger, epsilonSpent: 0.75 }, { epsilon: 0.25 + 1e-12, delta: 0 }).decision,
    'deny',
  );
  // A release without noise costs nothing and is never refused.
  assert.equal(
    canSpend({ ...ledger, epsilonSpent: 5 }, { epsilon: 0, delta: 0 }).decision,
    'allow',
  );
});

test('budget: δ is accounted the same way', () => {
  const l = spend(ledger, { epsilon: 0.1, delta: 5e-7 });
  assert.equal(canSpend(l, { epsilon: 0.1, delta: 5e-7 }).decision, 'allow');
  assert.equal(canSpend(l, { epsilon: 0.1, delta: 6e-7 }).decision, 'deny');
  assert.equal(
    canSpend({ ...ledger, deltaBudget: 0 }, { epsilon: 0.1, delta: 1e-9 }).decision,
    'deny',
  );
});

test('budget: exhaustion is the permit refusal budget-exhausted', () => {
  assert.throws(
    () => spend({ ...ledger, epsilonSpent: 1 }, { epsilon: 0.01, delta: 0 }),
    (e) =>
      e instanceof HygieError &&
      e.code === 'HYG_FORBIDDEN' &&
      e.status === 403 &&
      e.details.reason === 'budget-exhausted' &&
      e.details.epsilonBudget === 1,
  );
});

test('budget: invalid costs are refused', () => {
  for (const cost of [
    { epsilon: -0.1, delta: 0 },
    { epsilon: NaN, delta: 0 },
    { epsilon: Infinity, delta: 0 },
    { epsilon: 0.1, delta: 1 },
    { epsilon: 0.1, delta: -1e-9 },
  ]) {
    assert.throws(
      () => canSpend(ledger, cost),
      (e) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT',
    );
  }
});

test('budget: sequential composition adds ε and δ; the ledger of a permit', () => {
  assert.deepEqual(
    composeSequential([
      { epsilon: 0.25, delta: 1e-7 },
      { epsilon: 0.5, delta: 0 },
      { epsilon: 0.25, delta: 2e-7 },
    ]),
    { epsilon: 1, delta: 3e-7 },
  );
  const l = ledgerOfPermit({ scope: { epsilonBudget: 2, deltaBudget: 1e-9 }, epsilonSpent: 0.5 });
  assert.deepEqual(l, { epsilonBudget: 2, epsilonSpent: 0.5, deltaBudget: 1e-9, deltaSpent: 0 });
  assert.deepEqual(remainingBudget(l), { epsilon: 1.5, delta: 1e-9 });
});
