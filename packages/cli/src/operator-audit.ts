/**
 * Records an operation done from the shell in the platform's audit trail — and so in its
 * transparency log, which the server feeds from the trail (DESIGN.md §4.3) — on success
 * (`allow`, with the target and what changed) and on failure (`error`, with the error code).
 * Only when the data directory exists: an operation before any platform (a key made first) has
 * nowhere to be recorded yet. The operator acting from the shell is `operator`; there is no
 * account behind them.
 */
import { existsSync } from 'node:fs';
import { isHygieError } from '@hygie/core';
import type { AuditDetails } from '@hygie/core';
import { governanceSqliteFile, openGovernanceStore } from '@hygie/governance';

/** What an operation reports for its audit event. */
export interface OperatorOutcome<T> {
  readonly result: T;
  readonly targetId: string;
  readonly details?: AuditDetails;
}

/** Runs `run` and records it as `action` on a `targetType` (see the module comment). */
export async function operatorOperation<T>(
  dataDir: string,
  action: string,
  targetType: string,
  run: () => Promise<OperatorOutcome<T>>,
): Promise<T> {
  const record = async (event: {
    decision: 'allow' | 'error';
    targetId?: string;
    reason?: string;
    details?: AuditDetails;
  }): Promise<void> => {
    if (!existsSync(dataDir)) return;
    const store = await openGovernanceStore({
      kind: 'sqlite',
      file: governanceSqliteFile(dataDir),
    });
    try {
      await store.migrate();
      await store.audit.record({
        actorRole: 'operator',
        actorId: null,
        action,
        targetType,
        targetId: event.targetId ?? null,
        decision: event.decision,
        reason: event.reason ?? null,
        details: event.details ?? {},
      });
    } finally {
      await store.close();
    }
  };
  let out: OperatorOutcome<T>;
  try {
    out = await run();
  } catch (e) {
    await record({ decision: 'error', reason: isHygieError(e) ? e.code : 'HYG_INTERNAL' });
    throw e;
  }
  await record({
    decision: 'allow',
    targetId: out.targetId,
    ...(out.details ? { details: out.details } : {}),
  });
  return out.result;
}
