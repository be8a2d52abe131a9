/**
 * Query runs and the privacy budget ledger (issue #5).
 *
 * The ledger: a permit's (ε, δ) totals live on the permit (`epsilon_spent`, `delta_spent`), and
 * each debit is a row of `gov_budget_reservations` (append-only) with the totals after it. A
 * debit is ONE conditional UPDATE of the permit —
 *
 *   UPDATE gov_permits SET epsilon_spent = epsilon_spent + :ε, delta_spent = delta_spent + :δ
 *   WHERE id = :permit AND status = 'active' AND valid_from <= :now AND expires_at > :now
 *     AND epsilon_spent + :ε <= epsilon_budget × (1 + 1e-13)
 *     AND delta_spent + :δ <= delta_budget × (1 + 1e-13)
 *
 * — so the check and the spend are one statement: two concurrent debits cannot both fit in the
 * same remainder (PostgreSQL re-evaluates the condition on the row the first one committed;
 * SQLite runs one writer at a time). Composition is basic sequential composition: the costs add
 * up (`withinBudget` in core).
 *
 * Debit before release: a result computed with noise must never be seen unless its cost is
 * already on the ledger. The server calls `reserveBudget` BEFORE the warehouse draws any noise,
 * computes, then `record`s the run with the reservation, which the run consumes (no second
 * debit). `record` without a reservation debits in its own transaction before the run is stored,
 * so a refused debit stores nothing. A reservation whose computation failed — or that no run ever
 * consumes (the server stopped) — stays debited: the noise may already have been drawn and seen
 * by the process, and refunding would let a caller retry until a draw it likes, each draw leaking
 * more than the ledger says. That is the conservative choice; it costs budget, never privacy.
 */
import {
  HygieError,
  evaluateBudgetDebit,
  parseGovernanceInput,
  permitDenialError,
  privacyCostSchema,
  BUDGET_SLACK_FACTOR,
  MAX_RESULT_JSON_LENGTH,
  parseQuery,
  queryRunInputSchema,
  queryRunResultSchema,
  resultJson,
  canonicalJson,
} from '@hygie/core';
import type {
  Actor,
  PrivacyCost,
  PrivacyCostInput,
  Query,
  QueryEngine,
  QueryRunInput,
  QueryRunResult,
  QueryRunStatus,
} from '@hygie/core';
import { sql } from 'kysely';
import type { Kysely, Selectable, SqlBool } from 'kysely';
import { runAudited } from '../audited-operation.js';
import type { Operation } from '../audited-operation.js';
import type { BudgetReservationsTable, GovernanceDatabase, QueryRunsTable } from '../database.js';
import { newId, notFound, requireUserActor } from '../guards.js';
import type { StoreContext } from '../store-context.js';
import { refuseRead, requireOutputViewer } from './output-visibility.js';
import { findPermit } from './permits-repository.js';
import type { Permit } from './permits-repository.js';
import { projectMemberIds } from './projects-repository.js';

/** One debit of a permit's budget. */
export interface BudgetReservation {
  readonly id: string;
  readonly permitId: string;
  /** Who reserved (the researcher running the query). */
  readonly userId: string;
  readonly epsilon: number;
  readonly delta: number;
  /** The permit's totals right after this debit. */
  readonly epsilonSpentAfter: number;
  readonly deltaSpentAfter: number;
  readonly reservedAt: string;
}

/** A run without its query and result (for lists). */
export interface QueryRunSummary {
  readonly id: string;
  readonly projectId: string;
  readonly permitId: string;
  readonly userId: string;
  /** The run's budget debit. */
  readonly reservationId: string;
  readonly queryHash: string;
  readonly engine: QueryEngine;
  readonly status: QueryRunStatus;
  readonly errorCode: string | null;
  /** Privacy cost charged for the run. */
  readonly epsilon: number;
  readonly delta: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly recordedAt: string;
}

/** A run with its validated query and its disclosure-controlled result (null when it failed). */
export interface QueryRun extends QueryRunSummary {
  readonly query: Query;
  readonly result: QueryRunResult | null;
}

type Db = Kysely<GovernanceDatabase>;

function toReservation(row: Selectable<BudgetReservationsTable>): BudgetReservation {
  return {
    id: row.id,
    permitId: row.permit_id,
    userId: row.user_id,
    epsilon: Number(row.epsilon),
    delta: Number(row.delta),
    epsilonSpentAfter: Number(row.epsilon_spent_after),
    deltaSpentAfter: Number(row.delta_spent_after),
    reservedAt: row.reserved_at,
  };
}

function toSummary(row: Selectable<QueryRunsTable>): QueryRunSummary {
  return {
    id: row.id,
    projectId: row.project_id,
    permitId: row.permit_id,
    userId: row.user_id,
    reservationId: row.reservation_id,
    queryHash: row.query_hash,
    engine: row.engine as QueryEngine,
    status: row.status as QueryRunStatus,
    errorCode: row.error_code,
    epsilon: Number(row.epsilon_spent),
    delta: Number(row.delta_spent),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: Number(row.duration_ms),
    recordedAt: row.recorded_at,
  };
}

/** A stored result, validated on read. */
export function parseStoredResult(json: string): QueryRunResult {
  return queryRunResultSchema.parse(JSON.parse(json));
}

function toRun(row: Selectable<QueryRunsTable>): QueryRun {
  return {
    ...toSummary(row),
    query: parseQuery(JSON.parse(row.query_json)),
    result: row.result_json === null ? null : parseStoredResult(row.result_json),
  };
}

/** A run's row, or undefined. */
export async function findRunRow(db: Db, id: string) {
  return db.selectFrom('gov_query_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

async function getRun(db: Db, id: string): Promise<QueryRun> {
  const row = await findRunRow(db, id);
  if (!row) throw notFound('query run', id);
  return toRun(row);
}

async function findReservation(db: Db, id: string): Promise<BudgetReservation | null> {
  const row = await db
    .selectFrom('gov_budget_reservations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toReservation(row) : null;
}

function notAMember(what: string): HygieError {
  return new HygieError('HYG_FORBIDDEN', `only members of the project may ${what}`, {
    reason: 'not-a-project-member',
  });
}

/** The permit, and the actor checked as a member of its project. */
async function permitForMember(op: Operation, permitId: string, what: string): Promise<Permit> {
  const permit = await findPermit(op.db, permitId);
  if (!permit) throw notFound('permit', permitId);
  const members = await projectMemberIds(op.db, permit.projectId);
  if (op.actor.userId === null || !members.includes(op.actor.userId)) throw notAMember(what);
  return permit;
}

/**
 * Debits `cost` from the permit (see the file comment) and writes the ledger row. Throws the
 * permit's refusal: `permit-revoked`, `permit-suspended`, `permit-expired`,
 * `permit-not-yet-valid`, `budget-exhausted` (`HYG_FORBIDDEN`).
 */
async function debit(
  op: Operation,
  permit: Permit,
  userId: string,
  cost: PrivacyCost,
): Promise<BudgetReservation> {
  const decision = evaluateBudgetDebit(permit, op.now, cost);
  if (decision.decision === 'deny') {
    throw permitDenialError(decision.reason, decision.details, permit.id);
  }
  const totals = await op.db
    .updateTable('gov_permits')
    .set((eb) => ({
      epsilon_spent: eb('epsilon_spent', '+', cost.epsilon),
      delta_spent: eb('delta_spent', '+', cost.delta),
    }))
    .where('id', '=', permit.id)
    .where('status', '=', 'active')
    .where('valid_from', '<=', op.nowIso)
    .where('expires_at', '>', op.nowIso)
    .where(sql<SqlBool>`epsilon_spent + ${cost.epsilon} <= epsilon_budget * ${BUDGET_SLACK_FACTOR}`)
    .where(sql<SqlBool>`delta_spent + ${cost.delta} <= delta_budget * ${BUDGET_SLACK_FACTOR}`)
    .returning(['epsilon_spent', 'delta_spent'])
    .executeTakeFirst();
  if (!totals) {
    // Someone else changed the permit since it was read: say why from its state now.
    const now = await findPermit(op.db, permit.id);
    const again = now ? evaluateBudgetDebit(now, op.now, cost) : null;
    if (again?.decision === 'deny') {
      throw permitDenialError(again.reason, again.details, permit.id);
    }
    throw new HygieError('HYG_CONFLICT', 'the permit changed meanwhile; retry', {
      reason: 'concurrent-change',
    });
  }
  const reservation: BudgetReservation = {
    id: newId(),
    permitId: permit.id,
    userId,
    epsilon: cost.epsilon,
    delta: cost.delta,
    epsilonSpentAfter: Number(totals.epsilon_spent),
    deltaSpentAfter: Number(totals.delta_spent),
    reservedAt: op.nowIso,
  };
  await op.db
    .insertInto('gov_budget_reservations')
    .values({
      id: reservation.id,
      permit_id: reservation.permitId,
      user_id: reservation.userId,
      epsilon: reservation.epsilon,
      delta: reservation.delta,
      epsilon_spent_after: reservation.epsilonSpentAfter,
      delta_spent_after: reservation.deltaSpentAfter,
      reserved_at: reservation.reservedAt,
    })
    .execute();
  return reservation;
}

/** The query runs repository (and the budget ledger). */
export interface QueryRunsRepository {
  /**
   * Debits an (ε, δ) cost from a permit BEFORE a computation draws its noise (members of the
   * permit's project). Audited as `budget.reserve`; refused with the permit's reason
   * (`budget-exhausted`, `permit-suspended`, …), audited too. The debit is final (file comment).
   */
  reserveBudget(actor: Actor, permitId: string, cost: PrivacyCostInput): Promise<BudgetReservation>;
  /**
   * Records a run (members of the project). With `reservationId`, the run consumes that
   * reservation (same permit, same user, same cost, not consumed yet) and the permit's standing
   * is not checked again: the computation was allowed when its cost was reserved, and what it
   * did must be on record even if the permit was suspended meanwhile. Without, the cost is
   * debited first, in the same transaction, and a refused debit stores nothing. Audited as
   * `query_run.record`.
   */
  record(actor: Actor, input: QueryRunInput): Promise<QueryRun>;
  /** A run with its query and result: members, output checkers, administrators, auditors. */
  get(actor: Actor, id: string): Promise<QueryRun>;
  /** Runs of a project, newest first (same visibility as `get`). */
  listByProject(actor: Actor, projectId: string): Promise<QueryRunSummary[]>;
  /** Runs under a permit, newest first (same visibility as `get`). */
  listByPermit(actor: Actor, permitId: string): Promise<QueryRunSummary[]>;
  /**
   * A permit's ledger, oldest debit first: by time, then by running totals (two zero-cost debits
   * of the same millisecond come in no set order). Same visibility as `get`.
   */
  reservations(actor: Actor, permitId: string): Promise<BudgetReservation[]>;
}

/** The query runs repository over a store context. */
export function queryRunsRepository(ctx: StoreContext): QueryRunsRepository {
  /** The permit, or a recorded refusal; and the actor checked as a viewer of its outputs. */
  async function viewablePermit(actor: Actor, permitId: string, action: string): Promise<Permit> {
    const target = { action, targetType: 'permit', targetId: permitId, permitId };
    const permit = await findPermit(ctx.db, permitId);
    if (!permit) throw await refuseRead(ctx, actor, target, notFound('permit', permitId));
    await requireOutputViewer(ctx, actor, permit.projectId, target);
    return permit;
  }

  async function listRuns(column: 'project_id' | 'permit_id', value: string) {
    const rows = await ctx.db
      .selectFrom('gov_query_runs')
      .selectAll()
      .where(column, '=', value)
      .orderBy('recorded_at', 'desc')
      .orderBy('started_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toSummary);
  }

  return {
    async reserveBudget(actor, permitId, cost) {
      return runAudited(
        ctx,
        actor,
        { action: 'budget.reserve', targetType: 'permit', targetId: permitId, permitId },
        async (op) => {
          const userId = requireUserActor(actor, 'budget.reserve');
          const c = parseGovernanceInput(privacyCostSchema, cost, 'privacy cost');
          op.detail({ epsilon: c.epsilon, delta: c.delta });
          const permit = await permitForMember(op, permitId, "spend its permit's budget");
          const r = await debit(op, permit, userId, c);
          op.detail({
            reservationId: r.id,
            epsilonSpent: r.epsilonSpentAfter,
            deltaSpent: r.deltaSpentAfter,
          });
          return r;
        },
      );
    },

    async record(actor, input) {
      return runAudited(
        ctx,
        actor,
        { action: 'query_run.record', targetType: 'query_run' },
        async (op) => {
          const userId = requireUserActor(actor, 'query_run.record');
          const r = parseGovernanceInput(queryRunInputSchema, input, 'query run');
          const id = newId();
          op.setTarget(id);
          op.setPermit(r.permitId);
          op.detail({
            queryHash: r.queryHash,
            engine: r.engine,
            status: r.status,
            epsilon: r.epsilon,
            delta: r.delta,
            ...(r.errorCode ? { errorCode: r.errorCode } : {}),
          });
          const permit = await permitForMember(op, r.permitId, 'record runs under its permit');
          if (permit.projectId !== r.projectId) {
            throw new HygieError('HYG_INVALID_ARGUMENT', 'the permit is not of this project', {
              argument: 'projectId',
              reason: 'permit-of-another-project',
            });
          }
          const json = r.result ? resultJson(r.result) : null;
          if (json !== null && json.length > MAX_RESULT_JSON_LENGTH) {
            throw new HygieError('HYG_INVALID_ARGUMENT', 'the result is too large to store', {
              argument: 'result',
              reason: 'result-too-large',
            });
          }

          let reservation: BudgetReservation;
          if (r.reservationId !== undefined) {
            const found = await findReservation(op.db, r.reservationId);
            if (!found) throw notFound('budget reservation', r.reservationId);
            if (found.permitId !== permit.id) {
              throw new HygieError('HYG_INVALID_ARGUMENT', 'the reservation is of another permit', {
                argument: 'reservationId',
                reason: 'reservation-of-another-permit',
              });
            }
            if (found.userId !== userId) {
              throw new HygieError('HYG_FORBIDDEN', 'the reservation is of another user', {
                reason: 'reservation-of-another-user',
              });
            }
            if (found.epsilon !== r.epsilon || found.delta !== r.delta) {
              throw new HygieError(
                'HYG_INVALID_ARGUMENT',
                "the run's cost must be the reservation's",
                { argument: 'epsilon', reason: 'reservation-mismatch' },
              );
            }
            const used = await op.db
              .selectFrom('gov_query_runs')
              .select('id')
              .where('reservation_id', '=', found.id)
              .executeTakeFirst();
            if (used) {
              throw new HygieError('HYG_CONFLICT', 'the reservation has paid for a run already', {
                reason: 'reservation-used',
              });
            }
            reservation = found;
          } else {
            reservation = await debit(op, permit, userId, { epsilon: r.epsilon, delta: r.delta });
          }
          op.detail({ reservationId: reservation.id });

          const durationMs = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
          await op.db
            .insertInto('gov_query_runs')
            .values({
              id,
              project_id: r.projectId,
              permit_id: r.permitId,
              user_id: userId,
              reservation_id: reservation.id,
              query_hash: r.queryHash,
              query_json: canonicalJson(r.query),
              engine: r.engine,
              status: r.status,
              result_json: json,
              error_code: r.errorCode ?? null,
              epsilon_spent: r.epsilon,
              delta_spent: r.delta,
              started_at: r.startedAt,
              finished_at: r.finishedAt,
              duration_ms: durationMs,
              recorded_at: op.nowIso,
            })
            .execute();
          return getRun(op.db, id);
        },
      );
    },

    async get(actor, id) {
      const target = { action: 'query_run.read', targetType: 'query_run', targetId: id };
      const row = await findRunRow(ctx.db, id);
      if (!row) throw await refuseRead(ctx, actor, target, notFound('query run', id));
      await requireOutputViewer(ctx, actor, row.project_id, { ...target, permitId: row.permit_id });
      return toRun(row);
    },

    async listByProject(actor, projectId) {
      const target = { action: 'query_run.list', targetType: 'project', targetId: projectId };
      const project = await ctx.db
        .selectFrom('gov_projects')
        .select('id')
        .where('id', '=', projectId)
        .executeTakeFirst();
      if (!project) throw await refuseRead(ctx, actor, target, notFound('project', projectId));
      await requireOutputViewer(ctx, actor, projectId, target);
      return listRuns('project_id', projectId);
    },

    async listByPermit(actor, permitId) {
      await viewablePermit(actor, permitId, 'query_run.list');
      return listRuns('permit_id', permitId);
    },

    async reservations(actor, permitId) {
      await viewablePermit(actor, permitId, 'budget.list');
      const rows = await ctx.db
        .selectFrom('gov_budget_reservations')
        .selectAll()
        .where('permit_id', '=', permitId)
        .orderBy('reserved_at')
        .orderBy('epsilon_spent_after')
        .orderBy('delta_spent_after')
        .orderBy('id')
        .execute();
      return rows.map(toReservation);
    },
  };
}
