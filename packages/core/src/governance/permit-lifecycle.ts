/**
 * Permit lifecycle: which status changes are allowed.
 *
 *   active ⇄ suspended      (suspend / reinstate, by the data steward or the access committee)
 *   active | suspended → revoked   (final)
 *   active | suspended → expired   (final; the store does it once `expiresAt` has passed)
 */
import { HygieError } from '../errors.js';
import type { PermitStatus } from './permit-evaluation.js';

/** Actions on a permit's status. */
export const PERMIT_ACTIONS = ['suspend', 'reinstate', 'revoke', 'expire'] as const;

/** An action on a permit's status. */
export type PermitAction = (typeof PERMIT_ACTIONS)[number];

const MOVES: Readonly<Record<PermitAction, { from: readonly PermitStatus[]; to: PermitStatus }>> = {
  suspend: { from: ['active'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'active' },
  revoke: { from: ['active', 'suspended'], to: 'revoked' },
  expire: { from: ['active', 'suspended'], to: 'expired' },
};

const PAST: Readonly<Record<PermitAction, string>> = {
  suspend: 'suspended',
  reinstate: 'reinstated',
  revoke: 'revoked',
  expire: 'expired',
};

/** The status after `action`; throws `HYG_INVALID_TRANSITION` when `from` does not allow it. */
export function permitTransition(from: PermitStatus, action: PermitAction): PermitStatus {
  const move = MOVES[action];
  if (!move.from.includes(from)) {
    throw new HygieError('HYG_INVALID_TRANSITION', `a ${from} permit cannot be ${PAST[action]}`, {
      from,
      event: action,
      reason: 'state',
    });
  }
  return move.to;
}
