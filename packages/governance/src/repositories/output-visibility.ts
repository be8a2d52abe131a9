/**
 * Who sees a project's outputs (runs, release requests, releases): the rule is core's
 * `assertMayViewProjectOutputs`; this helper applies it to the team as stored now and records a
 * refusal in the audit trail (an allowed read changes nothing and records nothing, like every
 * read of the store).
 */
import { assertMayViewProjectOutputs, isHygieError } from '@hygie/core';
import type { Actor, HygieError } from '@hygie/core';
import { recordRefusal } from '../audited-operation.js';
import type { AuditTarget } from '../audited-operation.js';
import type { StoreContext } from '../store-context.js';
import { projectMemberIds } from './projects-repository.js';

/** Records `error` as a refusal of `target` and returns it, for `throw await refuseRead(…)`. */
export function refuseRead(
  ctx: StoreContext,
  actor: Actor,
  target: AuditTarget,
  error: HygieError,
): Promise<HygieError> {
  return recordRefusal(ctx, actor, target, error);
}

/** Throws (and records) `HYG_FORBIDDEN` unless the actor may see the project's outputs. */
export async function requireOutputViewer(
  ctx: StoreContext,
  actor: Actor,
  projectId: string,
  target: AuditTarget,
): Promise<void> {
  const members = await projectMemberIds(ctx.db, projectId);
  try {
    assertMayViewProjectOutputs({ actor, projectMemberIds: members });
  } catch (e) {
    if (isHygieError(e)) throw await recordRefusal(ctx, actor, target, e);
    throw e;
  }
}
