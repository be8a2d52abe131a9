/**
 * The disclosure control policy of a release: which rules run, with which parameters. Defaults
 * (DESIGN.md §3): minimum cell size 10, zeros shown, dominance (2, 85) on sums, secondary
 * suppression always, no rounding, no noise. The minimum cell size should come from the permit
 * (`minCellSize`); a policy may be stricter, never looser — that is for the caller to enforce.
 */
import { z } from 'zod';
import { DEFAULT_MIN_CELL_SIZE, MAX_DELTA, MAX_EPSILON } from '../governance/permit-scope.js';
import { parseGovernanceInput } from '../governance/parse.js';
import { DEFAULT_DOMINANCE_RULES } from './dominance.js';
import type { DominanceRule } from './dominance.js';
import type { PrivacyCost } from '../governance/privacy-budget.js';
import { DEFAULT_SUPPRESS_ZERO } from './primary-suppression.js';
import { checkRoundingBase } from './rounding.js';

/** The zod schema of a dominance rule. */
export const dominanceRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('nk'),
    n: z.union([z.literal(1), z.literal(2)]),
    k: z.number().gt(0).lt(100),
  }),
  z.strictObject({ kind: z.literal('p-percent'), p: z.number().gt(0).lt(100) }),
]);

/**
 * How noise is used: `instead` of suppression and rounding (the only mode with a differential
 * privacy guarantee: nothing else depends on exact values), or `in-addition` to them (the
 * suppression pattern depends on exact counts, so the guarantee is that of SDC plus noise).
 */
export const DP_MODES = ['instead', 'in-addition'] as const;

/** The zod schema of the differential privacy part of a policy. */
export const dpPolicySchema = z
  .strictObject({
    mode: z.enum(DP_MODES),
    mechanism: z.enum(['laplace', 'gaussian']),
    /** ε of the whole release, split evenly across its noised series. */
    epsilon: z.number().positive().max(MAX_EPSILON),
    /** δ of the whole release (Gaussian only), at most a permit's largest δ. */
    delta: z.number().gt(0).max(MAX_DELTA).optional(),
    /**
     * Cells of one grouping set one person can fall in (see `dp-sensitivity.ts`); the sensitivity
     * multiplies it by the number of grouping sets of the table.
     */
    maxCellsPerPerson: z.number().int().min(1).max(100_000).default(1),
  })
  .refine((p) => (p.mechanism === 'gaussian') === (p.delta !== undefined), {
    message: 'delta is required by the Gaussian mechanism and only by it',
    path: ['delta'],
  });

/** The differential privacy part of a policy. */
export type DpPolicy = z.output<typeof dpPolicySchema>;

/** The zod schema of a disclosure policy. */
export const disclosurePolicySchema = z.strictObject({
  minCellSize: z.number().int().min(1).max(1000).default(DEFAULT_MIN_CELL_SIZE),
  suppressZero: z.boolean().default(DEFAULT_SUPPRESS_ZERO),
  dominance: z
    .array(dominanceRuleSchema)
    .max(8)
    .default(() => [...DEFAULT_DOMINANCE_RULES]),
  /** Round released counts to this base (e.g. 5); null for none. */
  roundingBase: z.number().int().min(2).max(1000).nullable().default(null),
  /** What a cell too close to an earlier release gets: withheld, or the release refused. */
  differencingAction: z.enum(['suppress', 'refuse']).default('suppress'),
  dp: dpPolicySchema.nullable().default(null),
});

/** A disclosure policy as written (defaults optional). */
export type DisclosurePolicyInput = z.input<typeof disclosurePolicySchema>;

/** A disclosure policy with its defaults. */
export interface DisclosurePolicy {
  readonly minCellSize: number;
  readonly suppressZero: boolean;
  readonly dominance: readonly DominanceRule[];
  readonly roundingBase: number | null;
  readonly differencingAction: 'suppress' | 'refuse';
  readonly dp: DpPolicy | null;
}

/** Parses a policy; throws `HYG_INVALID_ARGUMENT` (also for a rounding base that fits badly). */
export function parseDisclosurePolicy(raw: unknown): DisclosurePolicy {
  const policy: DisclosurePolicy = parseGovernanceInput(
    disclosurePolicySchema,
    raw,
    'disclosure policy',
  );
  if (policy.roundingBase !== null) checkRoundingBase(policy.roundingBase, policy.minCellSize);
  return policy;
}

/**
 * What a release under `policy` costs in privacy budget: its (ε, δ) if it adds noise, zero
 * otherwise. The store debits it before the release.
 */
export function privacyCostOfPolicy(policy: DisclosurePolicy): PrivacyCost {
  return policy.dp
    ? { epsilon: policy.dp.epsilon, delta: policy.dp.delta ?? 0 }
    : { epsilon: 0, delta: 0 };
}
