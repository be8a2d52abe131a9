/**
 * Policy settings of the governance store (configuration, parsed once by the caller and passed
 * down). Defaults follow the issue: 2 approvals, lockout after 5 failures for 15 minutes, minimum
 * cell size 10.
 */
import { DEFAULT_MIN_CELL_SIZE, DEFAULT_REQUIRED_APPROVALS, HygieError } from '@hygie/core';

/** Policy settings. */
export interface GovernanceSettings {
  /** Approvals from non-member reviewers an application needs. */
  requiredApprovals: number;
  /** Consecutive failed logins that lock an account. */
  maxFailedLogins: number;
  /** How long a locked account stays locked (ms). */
  lockoutMs: number;
  /** Minimum cell size written into every new permit. */
  defaultMinCellSize: number;
  /**
   * Whether public-health surveillance is exempt from a citizen's opt-out (configuration, shown
   * to the citizen and recorded with each opt-out). Default false: the opt-out applies to
   * surveillance too.
   */
  surveillanceExemptFromOptOut: boolean;
  /** A token's `last_used_at` is written at most this often (ms), not at every request. */
  tokenTouchIntervalMs: number;
}

/** The default settings. */
export const DEFAULT_GOVERNANCE_SETTINGS: Readonly<GovernanceSettings> = Object.freeze({
  requiredApprovals: DEFAULT_REQUIRED_APPROVALS,
  maxFailedLogins: 5,
  lockoutMs: 15 * 60 * 1000,
  defaultMinCellSize: DEFAULT_MIN_CELL_SIZE,
  surveillanceExemptFromOptOut: false,
  tokenTouchIntervalMs: 60 * 1000,
});

function wholeAtLeast(name: keyof GovernanceSettings, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new HygieError(
      'HYG_INVALID_CONFIG',
      `governance setting ${name} must be a whole number ≥ ${min}`,
      {
        setting: name,
      },
    );
  }
}

/** Defaults overlaid with `partial`, checked. */
export function resolveSettings(partial: Partial<GovernanceSettings> = {}): GovernanceSettings {
  const s = { ...DEFAULT_GOVERNANCE_SETTINGS, ...partial };
  wholeAtLeast('requiredApprovals', s.requiredApprovals, 1);
  wholeAtLeast('maxFailedLogins', s.maxFailedLogins, 1);
  wholeAtLeast('lockoutMs', s.lockoutMs, 0);
  wholeAtLeast('defaultMinCellSize', s.defaultMinCellSize, 1);
  wholeAtLeast('tokenTouchIntervalMs', s.tokenTouchIntervalMs, 0);
  if (typeof s.surveillanceExemptFromOptOut !== 'boolean') {
    throw new HygieError(
      'HYG_INVALID_CONFIG',
      'governance setting surveillanceExemptFromOptOut must be a boolean',
      {
        setting: 'surveillanceExemptFromOptOut',
      },
    );
  }
  return s;
}
