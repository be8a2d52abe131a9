/**
 * Permit evaluation: may this request use this permit now? A pure decision with a stable reason
 * code, so that every layer (the per-request data access object, the CLI, tests) decides the
 * same way and the audit trail records why (DESIGN.md §4.3).
 *
 * Checks run in a fixed order and the first failure is the reason: status (revoked, suspended,
 * expired), validity window (expired, not yet valid), then scope (access mode, tables,
 * variables, period, privacy budget). The validity window is `[validFrom, expiresAt)`: valid at
 * `validFrom` exactly, expired at `expiresAt` exactly. Population filters are not checked here:
 * they are not requested, the data access object always applies them.
 *
 * The budget check here answers "would this fit?"; the store's debit (`evaluateBudgetDebit`, then
 * a conditional UPDATE) is what actually spends, atomically, so that concurrent requests cannot
 * both fit in the same remainder.
 */
import { z } from 'zod';
import { HygieError } from '../errors.js';
import { dataNameSchema, deltaSchema, epsilonSchema, periodSchema } from './permit-scope.js';
import type { PermitScope } from './permit-scope.js';
import { parseGovernanceInput } from './parse.js';
import { privacyCostSchema, withinBudget } from './privacy-budget.js';
import type { PrivacyCostInput } from './privacy-budget.js';

/** States of a permit. `expired` is set by the store once `expiresAt` has passed. */
export const PERMIT_STATUSES = ['active', 'suspended', 'revoked', 'expired'] as const;

/** A state of a permit. */
export type PermitStatus = (typeof PERMIT_STATUSES)[number];

/** Stable reason codes of a refusal. */
export const PERMIT_DENY_REASONS = [
  'permit-revoked',
  'permit-suspended',
  'permit-expired',
  'permit-not-yet-valid',
  'access-mode-not-allowed',
  'table-not-allowed',
  'variable-not-allowed',
  'period-outside',
  'budget-exhausted',
] as const;

/** Why a permit refuses a request. */
export type PermitDenyReason = (typeof PERMIT_DENY_REASONS)[number];

/** Kinds of use: aggregates (any permit) or row-level work in a workspace (workspace permits). */
export const ACCESS_KINDS = ['aggregate', 'row_level'] as const;

/** A kind of use. */
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** The zod schema of an access request. */
export const accessRequestSchema = z.strictObject({
  kind: z.enum(ACCESS_KINDS),
  /** Tables and the variables read from each (a table may appear once or more). */
  data: z
    .array(z.strictObject({ table: dataNameSchema, variables: z.array(dataNameSchema) }))
    .min(1),
  /** Event dates the request reads, both ends included. */
  period: periodSchema,
  /** ε the request would spend (0 or absent for a request without noise). */
  epsilon: epsilonSchema.optional(),
  /** δ the request would spend (0 or absent for pure ε-DP or no noise). */
  delta: deltaSchema.optional(),
});

/** A request to use data under a permit. */
export type AccessRequest = z.input<typeof accessRequestSchema>;

/** What `evaluatePermit` needs of a permit. */
export interface PermitForEvaluation {
  readonly status: PermitStatus;
  readonly scope: PermitScope;
  /** ε already spent. */
  readonly epsilonSpent: number;
  /** δ already spent (absent: none). */
  readonly deltaSpent?: number;
}

/** Details of a refusal: names of tables or variables only, never data. */
export type PermitDenyDetails = Readonly<Record<string, string | number>>;

/** The decision on a request. */
export type PermitDecision =
  | { readonly decision: 'allow' }
  | {
      readonly decision: 'deny';
      readonly reason: PermitDenyReason;
      readonly details: PermitDenyDetails;
    };

function deny(reason: PermitDenyReason, details: PermitDenyDetails = {}): PermitDecision {
  return { decision: 'deny', reason, details };
}

/**
 * Decides whether `request` may use `permit` at `now`. Throws `HYG_INVALID_ARGUMENT` only for a
 * malformed request; every other outcome is a decision.
 */
export function evaluatePermit(
  permit: PermitForEvaluation,
  now: Date,
  request: AccessRequest,
): PermitDecision {
  const req = parseGovernanceInput(accessRequestSchema, request, 'access request');
  const { scope } = permit;

  const standing = evaluatePermitStanding(permit, now);
  if (standing.decision === 'deny') return standing;

  if (req.kind === 'row_level' && scope.accessMode !== 'workspace') {
    return deny('access-mode-not-allowed', { accessMode: scope.accessMode });
  }
  for (const item of req.data) {
    const allowed = scope.data.find((d) => d.table === item.table);
    if (!allowed) return deny('table-not-allowed', { table: item.table });
    for (const v of item.variables) {
      if (!allowed.variables.includes(v)) {
        return deny('variable-not-allowed', { table: item.table, variable: v });
      }
    }
  }
  // ISO dates compare as text.
  if (req.period.from < scope.period.from || req.period.to > scope.period.to) {
    return deny('period-outside', { from: scope.period.from, to: scope.period.to });
  }
  return budgetDecision(permit, req.epsilon ?? 0, req.delta ?? 0);
}

/**
 * The permit's standing at `now`, whatever is asked of it: status (revoked, suspended, expired),
 * then the validity window `[validFrom, expiresAt)`. The first checks of `evaluatePermit`.
 */
export function evaluatePermitStanding(
  permit: Pick<PermitForEvaluation, 'status' | 'scope'>,
  now: Date,
): PermitDecision {
  const { scope } = permit;
  if (permit.status === 'revoked') return deny('permit-revoked');
  if (permit.status === 'suspended') return deny('permit-suspended');
  const t = now.getTime();
  if (permit.status === 'expired' || t >= Date.parse(scope.expiresAt)) {
    return deny('permit-expired', { expiresAt: scope.expiresAt });
  }
  if (t < Date.parse(scope.validFrom)) {
    return deny('permit-not-yet-valid', { validFrom: scope.validFrom });
  }
  return { decision: 'allow' };
}

function budgetDecision(
  permit: PermitForEvaluation,
  epsilon: number,
  delta: number,
): PermitDecision {
  const { scope } = permit;
  const deltaSpent = permit.deltaSpent ?? 0;
  if (
    (epsilon > 0 && !withinBudget(permit.epsilonSpent, epsilon, scope.epsilonBudget)) ||
    (delta > 0 && !withinBudget(deltaSpent, delta, scope.deltaBudget))
  ) {
    return deny('budget-exhausted', {
      epsilonBudget: scope.epsilonBudget,
      epsilonSpent: permit.epsilonSpent,
      deltaBudget: scope.deltaBudget,
      deltaSpent,
    });
  }
  return { decision: 'allow' };
}

/**
 * May `cost` be debited from the permit at `now`? Its standing first (a suspended permit spends
 * nothing), then the (ε, δ) budget (`withinBudget`). Throws `HYG_INVALID_ARGUMENT` for a malformed
 * cost. The store repeats the budget condition in its conditional UPDATE, which is what makes the
 * debit atomic; this function gives the reason when that UPDATE changes nothing.
 */
export function evaluateBudgetDebit(
  permit: PermitForEvaluation,
  now: Date,
  cost: PrivacyCostInput,
): PermitDecision {
  const c = parseGovernanceInput(privacyCostSchema, cost, 'privacy cost');
  const standing = evaluatePermitStanding(permit, now);
  if (standing.decision === 'deny') return standing;
  return budgetDecision(permit, c.epsilon, c.delta);
}

/** The error a caller gets for a refusal (status 403; `details.reason` is the reason code). */
export function permitDenialError(
  reason: PermitDenyReason,
  details: PermitDenyDetails = {},
  permitId?: string,
): HygieError {
  const safe = { ...details, reason, ...(permitId ? { permitId } : {}) };
  switch (reason) {
    case 'permit-revoked':
      return new HygieError('HYG_PERMIT_REVOKED', 'the permit is revoked', safe);
    case 'permit-suspended':
      return new HygieError('HYG_PERMIT_SUSPENDED', 'the permit is suspended', safe);
    case 'permit-expired':
      return new HygieError('HYG_PERMIT_EXPIRED', 'the permit has expired', safe);
    default:
      return new HygieError('HYG_FORBIDDEN', `the permit does not allow this: ${reason}`, safe);
  }
}
