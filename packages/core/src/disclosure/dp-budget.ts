/**
 * Privacy budget accounting for releases: an (ε, δ) ledger per permit and pure functions to check
 * and record a spend, under **basic sequential composition** — k mechanisms that are (εᵢ, δᵢ)-DP
 * on the same persons are together (Σεᵢ, Σδᵢ)-DP (Dwork & Roth, *The Algorithmic Foundations of
 * Differential Privacy*, Theorem 3.16). It is loose (advanced composition or Rényi/zCDP accounting
 * would let more queries through the same budget) but holds for any mix of mechanisms and is easy
 * to audit.
 *
 * The comparison is the governance domain's own (`governance/privacy-budget.ts`, `withinBudget`:
 * relative slack of 1e-13 for floating-point rounding only), so that this module, permit
 * evaluation and the store's conditional UPDATE agree to the last bit: spending exactly what
 * remains is allowed, a hair more is refused with reason `budget-exhausted`, a zero cost is always
 * allowed. These functions decide; the store debits `epsilon_spent` (and δ) atomically *before*
 * the release, so that two concurrent releases cannot both spend the last of the budget.
 */
import { HygieError } from '../errors.js';
import { permitDenialError } from '../governance/permit-evaluation.js';
import type { PermitDenyDetails } from '../governance/permit-evaluation.js';
import { withinBudget } from '../governance/privacy-budget.js';
import type { PrivacyCost } from '../governance/privacy-budget.js';

/** A permit's (ε, δ) budget and what it has spent. */
export interface PrivacyLedger {
  readonly epsilonBudget: number;
  readonly epsilonSpent: number;
  readonly deltaBudget: number;
  readonly deltaSpent: number;
}

function checkAmount(value: number, argument: string, below1: boolean): void {
  if (!(Number.isFinite(value) && value >= 0 && (!below1 || value < 1))) {
    const range = below1 ? 'in [0, 1)' : 'a finite number ≥ 0';
    throw new HygieError('HYG_INVALID_ARGUMENT', `${argument}: must be ${range}`, { argument });
  }
}

/** Throws `HYG_INVALID_ARGUMENT` unless ε ≥ 0 and 0 ≤ δ < 1. */
export function checkCost(cost: PrivacyCost): void {
  checkAmount(cost.epsilon, 'epsilon', false);
  checkAmount(cost.delta, 'delta', true);
}

/** The cost of several releases on the same persons: ε and δ add up. */
export function composeSequential(costs: readonly PrivacyCost[]): PrivacyCost {
  let epsilon = 0;
  let delta = 0;
  for (const c of costs) {
    checkCost(c);
    epsilon += c.epsilon;
    delta += c.delta;
  }
  return { epsilon, delta };
}

/** The ledger of a permit as the store reads it (δ spent: none when absent). */
export function ledgerOfPermit(permit: {
  readonly scope: { readonly epsilonBudget: number; readonly deltaBudget: number };
  readonly epsilonSpent: number;
  readonly deltaSpent?: number;
}): PrivacyLedger {
  return {
    epsilonBudget: permit.scope.epsilonBudget,
    epsilonSpent: permit.epsilonSpent,
    deltaBudget: permit.scope.deltaBudget,
    deltaSpent: permit.deltaSpent ?? 0,
  };
}

/** What is left to spend (never negative). */
export function remainingBudget(ledger: PrivacyLedger): PrivacyCost {
  return {
    epsilon: Math.max(0, ledger.epsilonBudget - ledger.epsilonSpent),
    delta: Math.max(0, ledger.deltaBudget - ledger.deltaSpent),
  };
}

/** The decision on a spend. */
export type BudgetDecision =
  | { readonly decision: 'allow' }
  | {
      readonly decision: 'deny';
      readonly reason: 'budget-exhausted';
      readonly details: PermitDenyDetails;
    };

/** Whether `ledger` can pay `cost` (see the module comment for the boundary). */
export function canSpend(ledger: PrivacyLedger, cost: PrivacyCost): BudgetDecision {
  checkCost(cost);
  const epsilonOk =
    cost.epsilon === 0 || withinBudget(ledger.epsilonSpent, cost.epsilon, ledger.epsilonBudget);
  const deltaOk =
    cost.delta === 0 || withinBudget(ledger.deltaSpent, cost.delta, ledger.deltaBudget);
  if (epsilonOk && deltaOk) return { decision: 'allow' };
  // The same details as permit evaluation's refusal.
  return {
    decision: 'deny',
    reason: 'budget-exhausted',
    details: {
      epsilonBudget: ledger.epsilonBudget,
      epsilonSpent: ledger.epsilonSpent,
      deltaBudget: ledger.deltaBudget,
      deltaSpent: ledger.deltaSpent,
    },
  };
}

/**
 * The ledger after paying `cost`. Throws the permit refusal `HYG_FORBIDDEN` with
 * `details.reason = 'budget-exhausted'` (built by `permitDenialError`) when it cannot pay.
 */
export function spend(ledger: PrivacyLedger, cost: PrivacyCost): PrivacyLedger {
  const decision = canSpend(ledger, cost);
  if (decision.decision === 'deny') throw permitDenialError(decision.reason, decision.details);
  return {
    ...ledger,
    epsilonSpent: ledger.epsilonSpent + cost.epsilon,
    deltaSpent: ledger.deltaSpent + cost.delta,
  };
}
