/**
 * The privacy budget ledger's arithmetic (issue #5). Each permit carries an (ε, δ) budget; every
 * differentially private computation under it spends an (ε, δ) cost, and the costs add up: basic
 * sequential composition, the simplest accounting that holds whatever the mechanisms are (the
 * disclosure module documents them and the cost each one charges). The store keeps the running
 * totals on the permit and debits them with the same rule as `withinBudget`, in SQL.
 *
 * The comparison tolerates floating-point rounding and nothing more: a spend is allowed when the
 * new total is at most the budget times (1 + 1e-13). Sums of doubles drift by about 1e-16 of
 * their size per addition (0.1 + 0.2 is 0.30000000000000004), so a budget spent in equal parts
 * must not be refused its last part; but the slack is relative — a budget of 0 allows nothing —
 * and far below any meaningful privacy loss (spending exactly ε = 1.5, then 1e-12 more, is refused).
 */
import { z } from 'zod';
import { deltaSchema, epsilonSchema } from './permit-scope.js';

/** Relative slack of the budget comparison (floating-point rounding only). */
export const BUDGET_RELATIVE_TOLERANCE = 1e-13;

/**
 * `1 + BUDGET_RELATIVE_TOLERANCE`: the factor the store multiplies budgets by in SQL. Passing the
 * factor computed here, rather than writing the sum in SQL, keeps the engines' arithmetic
 * identical to `withinBudget`'s.
 */
export const BUDGET_SLACK_FACTOR = 1 + BUDGET_RELATIVE_TOLERANCE;

/** True when spending `amount` on top of `spent` stays within `budget` (see the file comment). */
export function withinBudget(spent: number, amount: number, budget: number): boolean {
  return spent + amount <= budget * BUDGET_SLACK_FACTOR;
}

/** The zod schema of the privacy cost of one computation: ε, and δ (0 for pure ε-DP). */
export const privacyCostSchema = z.strictObject({
  epsilon: epsilonSchema,
  delta: deltaSchema.default(0),
});

/** The privacy cost of one computation. */
export type PrivacyCost = z.output<typeof privacyCostSchema>;

/** A privacy cost as a caller writes it (δ may be left out). */
export type PrivacyCostInput = z.input<typeof privacyCostSchema>;
