/**
 * Permits: issued by an approval (see the applications repository), then suspended, reinstated,
 * revoked, or expired. Expiry is automatic: every read first marks the permits whose `expiresAt`
 * has passed as expired (one audited operation each, by the platform), and `evaluatePermit`
 * refuses an expired permit by its date even before that.
 */
import {
  HygieError,
  actorHasRole,
  SYSTEM_ACTOR,
  evaluatePermit,
  permitDenialError,
  permitScopeSchema,
  permitTransition,
} from '@hygie/core';
import type {
  AccessRequest,
  Actor,
  ApplicationContent,
  PermitAction,
  PermitDecision,
  PermitScope,
  PermitStatus,
} from '@hygie/core';
import { scopeFromApplication } from '@hygie/core';
import type { Kysely, Selectable } from 'kysely';
import {
  recordAllowed,
  recordRefusal,
  runAudited,
  runAuditedUnlessAbandoned,
} from '../audited-operation.js';
import type { Operation } from '../audited-operation.js';
import type { GovernanceDatabase, PermitsTable } from '../database.js';
import { newId, notFound, requireReason, requireRole } from '../guards.js';
import type { StoreContext } from '../store-context.js';
import { projectMemberIds } from './projects-repository.js';

/** A permit. */
export interface Permit {
  readonly id: string;
  readonly applicationId: string;
  readonly projectId: string;
  /** The version of the application that was approved. */
  readonly applicationVersion: number;
  readonly scope: PermitScope;
  readonly validFrom: string;
  readonly expiresAt: string;
  readonly status: PermitStatus;
  readonly epsilonBudget: number;
  readonly epsilonSpent: number;
  /** δ of the (ε, δ) budget (`scope.deltaBudget`). */
  readonly deltaBudget: number;
  readonly deltaSpent: number;
  readonly minCellSize: number;
  readonly issuedAt: string;
  readonly updatedAt: string;
}

/** One change of a permit's status. */
export interface PermitEvent {
  readonly id: number;
  readonly permitId: string;
  readonly at: string;
  readonly actorId: string | null;
  readonly fromStatus: PermitStatus | null;
  readonly toStatus: PermitStatus;
  readonly reason: string | null;
}

type Db = Kysely<GovernanceDatabase>;

function toPermit(row: Selectable<PermitsTable>): Permit {
  return {
    id: row.id,
    applicationId: row.application_id,
    projectId: row.project_id,
    applicationVersion: Number(row.application_version),
    scope: permitScopeSchema.parse(JSON.parse(row.scope)),
    validFrom: row.valid_from,
    expiresAt: row.expires_at,
    status: row.status as PermitStatus,
    epsilonBudget: Number(row.epsilon_budget),
    epsilonSpent: Number(row.epsilon_spent),
    deltaBudget: Number(row.delta_budget),
    deltaSpent: Number(row.delta_spent),
    minCellSize: Number(row.min_cell_size),
    issuedAt: row.issued_at,
    updatedAt: row.updated_at,
  };
}

/** A permit, or null. */
export async function findPermit(db: Db, id: string): Promise<Permit | null> {
  const row = await db
    .selectFrom('gov_permits')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toPermit(row) : null;
}

async function getPermit(db: Db, id: string): Promise<Permit> {
  const p = await findPermit(db, id);
  if (!p) throw notFound('permit', id);
  return p;
}

/**
 * Issues the permit of an approved application, inside the approval's operation: the scope is the
 * application's, valid from now for its duration, with the store's minimum cell size.
 */
export async function issuePermit(
  op: Operation,
  application: { id: string; projectId: string; version: number; content: ApplicationContent },
  minCellSize: number,
): Promise<Permit> {
  const scope = scopeFromApplication(application.content, { validFrom: op.now, minCellSize });
  const id = newId();
  await op.db
    .insertInto('gov_permits')
    .values({
      id,
      application_id: application.id,
      project_id: application.projectId,
      application_version: application.version,
      scope: JSON.stringify(scope),
      valid_from: scope.validFrom,
      expires_at: scope.expiresAt,
      status: 'active',
      epsilon_budget: scope.epsilonBudget,
      delta_budget: scope.deltaBudget,
      min_cell_size: scope.minCellSize,
      issued_at: op.nowIso,
      updated_at: op.nowIso,
    })
    .execute();
  await op.db
    .insertInto('gov_permit_events')
    .values({
      permit_id: id,
      at: op.nowIso,
      actor_id: op.actor.userId,
      from_status: null,
      to_status: 'active',
      reason: `issued on approval of application version ${application.version}`,
    })
    .execute();
  return getPermit(op.db, id);
}

/** Options of `authorize`. */
export interface AuthorizeOptions {
  /** Audit action name (default `data.access`). */
  action?: string;
}

/** The permits repository. */
export interface PermitsRepository {
  /** A permit (expiry applied first); throws `HYG_NOT_FOUND`. */
  get(id: string): Promise<Permit>;
  /** Permits of a project, newest first (expiry applied first). */
  listByProject(projectId: string): Promise<Permit[]>;
  /** Every permit, optionally of one status, newest first (expiry applied first). */
  list(filter?: { status?: PermitStatus }): Promise<Permit[]>;
  /** Suspends an active permit (administrators, reviewers); a reason is required. */
  suspend(actor: Actor, id: string, reason: string): Promise<Permit>;
  /** Reinstates a suspended permit that has not expired (administrators, reviewers). */
  reinstate(actor: Actor, id: string, reason: string): Promise<Permit>;
  /** Revokes an active or suspended permit, for good (administrators, reviewers). */
  revoke(actor: Actor, id: string, reason: string): Promise<Permit>;
  /** Marks every permit past its expiry as expired; returns how many. */
  expireDue(): Promise<number>;
  /** A permit's status history, oldest first. */
  history(id: string): Promise<PermitEvent[]>;
  /**
   * Decides a data access under a permit and records the decision (allowed or refused — DESIGN.md
   * §4.3): the actor must be a member of the permit's project, and `evaluatePermit` must allow the
   * request. Returns the permit; throws the refusal (`permitDenialError`, or `HYG_FORBIDDEN`
   * `not-a-project-member`, or `HYG_NOT_FOUND`).
   */
  authorize(
    actor: Actor,
    permitId: string,
    request: AccessRequest,
    options?: AuthorizeOptions,
  ): Promise<Permit>;
  /** `evaluatePermit` on a stored permit at the store's clock, without recording anything. */
  evaluate(permitId: string, request: AccessRequest): Promise<PermitDecision>;
}

/** The permits repository over a store context. */
export function permitsRepository(ctx: StoreContext): PermitsRepository {
  async function expireDue(): Promise<number> {
    const nowIso = ctx.clock().toISOString();
    const due = await ctx.db
      .selectFrom('gov_permits')
      .select('id')
      .where('status', 'in', ['active', 'suspended'])
      .where('expires_at', '<=', nowIso)
      .execute();
    let expired = 0;
    for (const { id } of due) {
      // Another process may expire it first: then nothing is done and nothing recorded.
      const changed = await runAuditedUnlessAbandoned(
        ctx,
        SYSTEM_ACTOR,
        { action: 'permit.expire', targetType: 'permit', targetId: id, permitId: id },
        (op) => changeStatus(op, id, 'expire', 'expiry date reached', true),
      );
      if (changed) expired++;
    }
    return expired;
  }

  /** Applies a status action; with `ifStillDue`, abandons when another process got there first. */
  async function changeStatus(
    op: Operation,
    id: string,
    action: PermitAction,
    reason: string,
    ifStillDue = false,
  ): Promise<Permit> {
    const permit = await getPermit(op.db, id);
    if (ifStillDue && (permit.status === 'expired' || permit.status === 'revoked')) op.abandon();
    const to = permitTransition(permit.status, action);
    const r = await op.db
      .updateTable('gov_permits')
      .set({ status: to, updated_at: op.nowIso })
      .where('id', '=', id)
      .where('status', '=', permit.status)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      if (ifStillDue) op.abandon();
      throw new HygieError('HYG_CONFLICT', 'the permit changed meanwhile; retry', {
        reason: 'concurrent-change',
      });
    }
    await op.db
      .insertInto('gov_permit_events')
      .values({
        permit_id: id,
        at: op.nowIso,
        actor_id: op.actor.userId,
        from_status: permit.status,
        to_status: to,
        reason,
      })
      .execute();
    op.detail({ from: permit.status, to });
    return getPermit(op.db, id);
  }

  function statusAction(action: Exclude<PermitAction, 'expire'>) {
    return async (actor: Actor, id: string, reason: string): Promise<Permit> => {
      await expireDue();
      return runAudited(
        ctx,
        actor,
        { action: `permit.${action}`, targetType: 'permit', targetId: id, permitId: id },
        async (op) => {
          requireRole(actor, `permit.${action}`, 'admin', 'reviewer', 'system');
          const why = requireReason(reason, `permit.${action}`);
          // A reviewer on the project's own team must not decide on its permit (the same
          // conflict-of-interest rule as reviewing its applications); administrators may.
          if (!actorHasRole(actor, 'admin', 'system') && actor.userId !== null) {
            const permit = await getPermit(op.db, id);
            const member = await op.db
              .selectFrom('gov_project_members')
              .select('user_id')
              .where('project_id', '=', permit.projectId)
              .where('user_id', '=', actor.userId)
              .executeTakeFirst();
            if (member) {
              throw new HygieError(
                'HYG_FORBIDDEN',
                `permit.${action}: a member of the project may not change its permit`,
                { reason: 'reviewer-is-member' },
              );
            }
          }
          return changeStatus(op, id, action, why);
        },
      );
    };
  }

  return {
    async get(id) {
      await expireDue();
      return getPermit(ctx.db, id);
    },

    async listByProject(projectId) {
      await expireDue();
      const rows = await ctx.db
        .selectFrom('gov_permits')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('issued_at', 'desc')
        .execute();
      return rows.map(toPermit);
    },

    async list(filter = {}) {
      await expireDue();
      let q = ctx.db.selectFrom('gov_permits').selectAll();
      if (filter.status) q = q.where('status', '=', filter.status);
      return (await q.orderBy('issued_at', 'desc').execute()).map(toPermit);
    },

    suspend: statusAction('suspend'),
    reinstate: statusAction('reinstate'),
    revoke: statusAction('revoke'),
    expireDue,

    async history(id) {
      const rows = await ctx.db
        .selectFrom('gov_permit_events')
        .selectAll()
        .where('permit_id', '=', id)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        permitId: r.permit_id,
        at: r.at,
        actorId: r.actor_id,
        fromStatus: r.from_status as PermitStatus | null,
        toStatus: r.to_status as PermitStatus,
        reason: r.reason,
      }));
    },

    async authorize(actor, permitId, request, options = {}) {
      const target = {
        action: options.action ?? 'data.access',
        targetType: 'permit',
        targetId: permitId,
        permitId,
      };
      await expireDue();
      const permit = await findPermit(ctx.db, permitId);
      if (!permit) throw await recordRefusal(ctx, actor, target, notFound('permit', permitId));
      const members = await projectMemberIds(ctx.db, permit.projectId);
      if (actor.userId === null || !members.includes(actor.userId)) {
        throw await recordRefusal(
          ctx,
          actor,
          target,
          new HygieError('HYG_FORBIDDEN', 'only members of the project may use its permit', {
            reason: 'not-a-project-member',
            permitId,
          }),
        );
      }
      let decision: PermitDecision;
      try {
        decision = evaluatePermit(permit, ctx.clock(), request);
      } catch (e) {
        if (e instanceof HygieError) throw await recordRefusal(ctx, actor, target, e);
        throw e;
      }
      if (decision.decision === 'deny') {
        throw await recordRefusal(
          ctx,
          actor,
          target,
          permitDenialError(decision.reason, decision.details, permitId),
        );
      }
      await recordAllowed(ctx, actor, target, {
        kind: request.kind,
        tables: [...new Set(request.data.map((d) => d.table))].sort().join(','),
        periodFrom: request.period.from,
        periodTo: request.period.to,
        ...(request.epsilon !== undefined && { epsilon: request.epsilon }),
      });
      return permit;
    },

    async evaluate(permitId, request) {
      const permit = await getPermit(ctx.db, permitId);
      return evaluatePermit(permit, ctx.clock(), request);
    },
  };
}
