/**
 * Disclosure control of one release, start to end, and the report the output checker reads
 * (DESIGN.md §4.2: no analytic result leaves without passing disclosure control).
 *
 * Order: primary suppression → dominance → differencing (decisions computed beforehand, since
 * they need the warehouse) → secondary suppression (after every other withholding, so that none
 * can be recomputed) → noise, if the policy adds it → rounding (last: it is post-processing of
 * whatever is released). With noise `instead` of SDC, the suppression steps do not run.
 *
 * The report holds counts, reasons, strata and parameters — never a value of a withheld cell.
 * It is for the output checker: handing its per-position reasons to the researcher would tell
 * "fewer than k" (primary) from "k or more" (secondary).
 */
import { HygieError } from '../errors.js';
import { permitDenialError } from '../governance/permit-evaluation.js';
import type { AggregateTable, Strata } from './aggregate-table.js';
import { parseAggregateTable } from './aggregate-table.js';
import type { DifferencingDecision } from './differencing.js';
import type { DisclosurePolicy, DisclosurePolicyInput, DpPolicy } from './disclosure-policy.js';
import { parseDisclosurePolicy, privacyCostOfPolicy } from './disclosure-policy.js';
import type { DominanceRule } from './dominance.js';
import { dominanceSensitivePositions } from './dominance.js';
import { canSpend } from './dp-budget.js';
import type { PrivacyLedger } from './dp-budget.js';
import type { PrivacyCost } from '../governance/privacy-budget.js';
import type { RandomSource } from './dp-random.js';
import { cryptoRandomSource } from './dp-random.js';
import { noiseReleasedTable } from './dp-table-noise.js';
import type { NoiseSeriesReport } from './dp-table-noise.js';
import { primarySensitivePositions } from './primary-suppression.js';
import { releaseTable } from './released-table.js';
import type { ReleasedTable } from './released-table.js';
import { roundReleasedTable } from './rounding.js';
import { secondarySuppression } from './secondary-suppression.js';
import type { SecondarySuppressionOptions } from './secondary-suppression.js';
import { SUPPRESSION_REASONS, withSuppressed } from './suppression-pattern.js';
import type { SuppressionPattern, SuppressionReason } from './suppression-pattern.js';
import { cellKey, indexPositions, positionKey } from './table-positions.js';

/** What a release needs besides the table and the policy. */
export interface DisclosureContext {
  /**
   * Differencing decisions for this table's cells (ids are `cellKey`s), from
   * `checkDifferencing`. Absent: the defence did not run, and the report says so.
   */
  readonly differencing?: readonly DifferencingDecision[];
  /** The permit's ledger: a noisy release it cannot pay for is refused (`budget-exhausted`). */
  readonly ledger?: PrivacyLedger;
  /** Noise source; default the CSPRNG. Tests only may pass a seeded one. */
  readonly random?: RandomSource;
  /** Tuning of secondary suppression's exact audit. */
  readonly secondary?: SecondarySuppressionOptions;
}

/** Counts of withheld positions and cells. */
export interface WithheldCount {
  readonly positions: number;
  readonly cells: number;
}

/** The disclosure report of one release. */
export interface DisclosureReport {
  /**
   * `sdc`: suppression (and rounding) only; `dp`: noise instead of SDC, a differential privacy
   * guarantee; `sdc+noise`: both, the suppression pattern depending on exact values.
   */
  readonly guarantee: 'sdc' | 'dp' | 'sdc+noise';
  readonly minCellSize: number;
  readonly suppressZero: boolean;
  readonly dominanceRules: readonly DominanceRule[];
  readonly roundingBase: number | null;
  readonly positions: {
    readonly total: number;
    readonly released: number;
    readonly withheld: number;
  };
  readonly cells: { readonly total: number; readonly released: number; readonly withheld: number };
  /** Per rule: positions (and their cells) it withheld first. */
  readonly withheldBy: Readonly<Record<SuppressionReason, WithheldCount>>;
  /** Every withheld position, canonical order, with its reason (no values). */
  readonly withheld: readonly { readonly strata: Strata; readonly reason: SuppressionReason }[];
  readonly secondary: {
    /** The exact audit: `complete`, `partial` (hold for manual review), or `not-run`. */
    readonly audit: 'complete' | 'partial' | 'off' | 'not-run';
    /** Withheld positions still recomputable (equal to a total published elsewhere). */
    readonly unprotectable: readonly Strata[];
  };
  readonly differencing: {
    readonly applied: boolean;
    readonly tooClose: number;
    readonly action: 'suppress' | 'refuse';
  };
  readonly dp: {
    readonly mode: DpPolicy['mode'];
    readonly mechanism: DpPolicy['mechanism'];
    /** What the release costs; the store debits it before release. */
    readonly cost: PrivacyCost;
    readonly maxCellsPerPerson: number;
    readonly groupingSets: number;
    readonly series: readonly NoiseSeriesReport[];
  } | null;
}

/** A released table and its report. */
export interface DisclosureResult {
  readonly table: ReleasedTable;
  readonly report: DisclosureReport;
}

/** Position keys of the cells the differencing decisions find too close. */
function differencingPositions(
  table: AggregateTable,
  decisions: readonly DifferencingDecision[],
): string[] {
  const positionOf = new Map(
    table.cells.map((c) => [cellKey(table.dimensions, c), positionKey(table.dimensions, c.strata)]),
  );
  const out: string[] = [];
  for (const d of decisions) {
    const position = positionOf.get(d.id);
    if (position === undefined) {
      throw new HygieError('HYG_INVALID_ARGUMENT', 'differencing decision for an unknown cell', {
        argument: 'differencing',
      });
    }
    if (d.decision === 'too-close') out.push(position);
  }
  return out;
}

/**
 * Applies `policy` to `table` and returns the released table and the disclosure report. The
 * table and policy are validated (`HYG_INVALID_ARGUMENT`); a noisy release the ledger cannot pay
 * for throws `HYG_FORBIDDEN` `budget-exhausted`; a release with cells too close to earlier ones
 * throws `HYG_FORBIDDEN` `differencing` when the policy says `refuse`.
 */
export function applyDisclosureControl(
  table: AggregateTable,
  policyInput: DisclosurePolicyInput,
  context: DisclosureContext = {},
): DisclosureResult {
  const policy: DisclosurePolicy = parseDisclosurePolicy(policyInput);
  const source = parseAggregateTable(table);
  const cost = privacyCostOfPolicy(policy);
  if (policy.dp && context.ledger) {
    const decision = canSpend(context.ledger, cost);
    if (decision.decision === 'deny') throw permitDenialError(decision.reason, decision.details);
  }

  const sdc = policy.dp?.mode !== 'instead';
  let pattern: SuppressionPattern = new Map();
  let audit: DisclosureReport['secondary']['audit'] = 'not-run';
  let unprotectable: readonly string[] = [];
  let tooClose = 0;
  if (sdc) {
    const options = { minCellSize: policy.minCellSize, suppressZero: policy.suppressZero };
    pattern = withSuppressed(pattern, primarySensitivePositions(source, options), 'primary');
    pattern = withSuppressed(
      pattern,
      dominanceSensitivePositions(source, policy.dominance),
      'dominance',
    );
    if (context.differencing) {
      const close = differencingPositions(source, context.differencing);
      tooClose = context.differencing.filter((d) => d.decision === 'too-close').length;
      if (tooClose > 0 && policy.differencingAction === 'refuse') {
        throw new HygieError(
          'HYG_FORBIDDEN',
          'the release is too close to an earlier one (differencing)',
          { reason: 'differencing', cells: tooClose },
        );
      }
      pattern = withSuppressed(pattern, close, 'differencing');
    }
    const secondary = secondarySuppression(source, pattern, context.secondary);
    pattern = secondary.pattern;
    audit = secondary.audit;
    unprotectable = secondary.unprotectable;
  }

  let released = releaseTable(source, pattern, policy.minCellSize);
  let series: NoiseSeriesReport[] = [];
  if (policy.dp) {
    const noisy = noiseReleasedTable(
      released,
      source,
      policy.dp,
      context.random ?? cryptoRandomSource(),
    );
    released = noisy.table;
    series = noisy.series;
  }
  if (policy.roundingBase !== null) released = roundReleasedTable(released, policy.roundingBase);

  const index = indexPositions(source);
  const withheldBy = Object.fromEntries(
    SUPPRESSION_REASONS.map((r) => [r, { positions: 0, cells: 0 }]),
  ) as Record<SuppressionReason, { positions: number; cells: number }>;
  const withheld: { strata: Strata; reason: SuppressionReason }[] = [];
  let withheldCells = 0;
  for (const p of index.positions) {
    const reason = pattern.get(p.key);
    if (reason === undefined) continue;
    withheldBy[reason].positions++;
    withheldBy[reason].cells += p.cells.length;
    withheldCells += p.cells.length;
    withheld.push({ strata: p.strata, reason });
  }
  const report: DisclosureReport = {
    guarantee: !policy.dp ? 'sdc' : sdc ? 'sdc+noise' : 'dp',
    minCellSize: policy.minCellSize,
    suppressZero: policy.suppressZero,
    dominanceRules: policy.dominance,
    roundingBase: policy.roundingBase,
    positions: {
      total: index.positions.length,
      released: index.positions.length - pattern.size,
      withheld: pattern.size,
    },
    cells: {
      total: source.cells.length,
      released: source.cells.length - withheldCells,
      withheld: withheldCells,
    },
    withheldBy,
    withheld,
    secondary: {
      audit,
      unprotectable: unprotectable.map((k) => index.byKey.get(k)?.strata ?? {}),
    },
    differencing: {
      applied: sdc && context.differencing !== undefined,
      tooClose,
      action: policy.differencingAction,
    },
    dp: policy.dp
      ? {
          mode: policy.dp.mode,
          mechanism: policy.dp.mechanism,
          cost,
          maxCellsPerPerson: policy.dp.maxCellsPerPerson,
          groupingSets: 1 + source.margins.length,
          series,
        }
      : null,
  };
  return { table: released, report };
}
