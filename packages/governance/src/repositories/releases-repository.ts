/**
 * The airlock (issue #5): release requests, decided by output checkers, and the release register.
 * The rules are core's (`release-workflow.ts`: who may do what, states, the permit's standing);
 * this repository loads what they decide on — the team, the run, the permit, pending requests —
 * and records the outcome in one audited transaction each.
 *
 * What is released is the run's tables and attrition, not its disclosure report (core
 * `releasedContent`: the report tells why each position was withheld, which is for the output
 * checker). An approval writes the register row (`gov_releases`, append-only) in the same
 * transaction, with the SHA-256 of the released content's canonical JSON (`releasedJson`):
 * whoever holds the released JSON can check it against the register. A download is an audit
 * event (`release.download`, with the format), not a row; `recordDownload` is also the way to
 * the released content, so that nothing is handed out unrecorded, and it checks the content
 * against the register's hash first.
 *
 * Request statuses other than `pending` are final: the repository changes a request only where it
 * is still pending (conditional UPDATE), and triggers refuse any other change or any deletion.
 */
import {
  HygieError,
  assertMayDownloadRelease,
  assertMayRequestRelease,
  assertMaySeeReleaseQueue,
  downloadFormatSchema,
  isHygieError,
  parseGovernanceInput,
  releaseTransition,
  releasedContent,
  releasedJson,
  resultContentHash,
} from '@hygie/core';
import type {
  Actor,
  DownloadFormat,
  ReleaseDecision,
  ReleaseEvent,
  ReleaseRequestStatus,
  ReleasedResult,
} from '@hygie/core';
import type { Kysely } from 'kysely';
import { recordRefusal, runAudited } from '../audited-operation.js';
import type { Operation } from '../audited-operation.js';
import type { GovernanceDatabase } from '../database.js';
import { newId, notFound, requireUserActor } from '../guards.js';
import type { StoreContext } from '../store-context.js';
import { refuseRead, requireOutputViewer } from './output-visibility.js';
import { findPermit } from './permits-repository.js';
import { projectMemberIds, projectTeam } from './projects-repository.js';
import { findRunRow, parseStoredResult } from './query-runs-repository.js';

/** An entry of the release register. */
export interface Release {
  readonly id: string;
  readonly requestId: string;
  readonly runId: string;
  readonly projectId: string;
  readonly permitId: string;
  readonly releasedAt: string;
  /** The output checker who approved. */
  readonly releasedBy: string;
  /** SHA-256 (hex) of the released content's canonical JSON (`releasedJson` in core). */
  readonly contentHash: string;
}

/** A request to release a run's result. */
export interface ReleaseRequest {
  readonly id: string;
  readonly runId: string;
  readonly projectId: string;
  readonly permitId: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly justification: string;
  readonly status: ReleaseRequestStatus;
  /** The output checker who decided, or who withdrew the request. */
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  /** The checker's comment (always there for a rejection), or the reason for a withdrawal. */
  readonly decisionComment: string | null;
  /** The register entry, once approved. */
  readonly release: Release | null;
}

/** What `recordDownload` hands out. */
export interface ReleaseDownload {
  readonly release: Release;
  readonly format: DownloadFormat;
  /** The released content: the run's tables and attrition (no disclosure report). */
  readonly content: ReleasedResult;
  /** Its canonical JSON, whose SHA-256 is `release.contentHash`. */
  readonly contentJson: string;
}

type Db = Kysely<GovernanceDatabase>;

function requestQuery(db: Db) {
  return db
    .selectFrom('gov_release_requests as q')
    .innerJoin('gov_query_runs as r', 'r.id', 'q.run_id')
    .leftJoin('gov_releases as rel', 'rel.request_id', 'q.id')
    .select([
      'q.id',
      'q.run_id',
      'q.requested_by',
      'q.requested_at',
      'q.justification',
      'q.status',
      'q.decided_by',
      'q.decided_at',
      'q.decision_comment',
      'r.project_id',
      'r.permit_id',
      'rel.id as release_id',
      'rel.released_at',
      'rel.released_by',
      'rel.content_hash',
    ]);
}

type RequestRow = Awaited<ReturnType<ReturnType<typeof requestQuery>['executeTakeFirstOrThrow']>>;

function toRequest(row: RequestRow): ReleaseRequest {
  const release: Release | null =
    row.release_id !== null &&
    row.released_at !== null &&
    row.released_by !== null &&
    row.content_hash !== null
      ? {
          id: row.release_id,
          requestId: row.id,
          runId: row.run_id,
          projectId: row.project_id,
          permitId: row.permit_id,
          releasedAt: row.released_at,
          releasedBy: row.released_by,
          contentHash: row.content_hash,
        }
      : null;
  return {
    id: row.id,
    runId: row.run_id,
    projectId: row.project_id,
    permitId: row.permit_id,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    justification: row.justification,
    status: row.status as ReleaseRequestStatus,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionComment: row.decision_comment,
    release,
  };
}

async function findRequest(db: Db, id: string): Promise<ReleaseRequest | null> {
  const row = await requestQuery(db).where('q.id', '=', id).executeTakeFirst();
  return row ? toRequest(row) : null;
}

async function getRequest(db: Db, id: string): Promise<ReleaseRequest> {
  const r = await findRequest(db, id);
  if (!r) throw notFound('release request', id);
  return r;
}

async function findRelease(db: Db, id: string): Promise<Release | null> {
  const row = await db
    .selectFrom('gov_releases as rel')
    .innerJoin('gov_query_runs as r', 'r.id', 'rel.run_id')
    .select([
      'rel.id',
      'rel.request_id',
      'rel.run_id',
      'rel.project_id',
      'r.permit_id',
      'rel.released_at',
      'rel.released_by',
      'rel.content_hash',
    ])
    .where('rel.id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        requestId: row.request_id,
        runId: row.run_id,
        projectId: row.project_id,
        permitId: row.permit_id,
        releasedAt: row.released_at,
        releasedBy: row.released_by,
        contentHash: row.content_hash,
      }
    : null;
}

async function permitStatusOf(db: Db, permitId: string) {
  const permit = await findPermit(db, permitId);
  if (!permit) throw notFound('permit', permitId);
  return permit.status;
}

/** The releases repository (the airlock). */
export interface ReleasesRepository {
  /**
   * Requests the release of a completed run's result (members of the project; a justification
   * is required; none pending for the run, the run not released yet; the permit neither
   * suspended nor revoked).
   */
  request(actor: Actor, runId: string, justification: string): Promise<ReleaseRequest>;
  /** Withdraws a pending request (its requester or a principal investigator of the project). */
  withdraw(actor: Actor, requestId: string, reason?: string | null): Promise<ReleaseRequest>;
  /**
   * Decides a pending request (an output checker who is not a member of the project and not the
   * requester; a rejection needs a comment). Approval registers the release, with the content
   * hash, in the same transaction; it is refused while the permit is suspended or revoked.
   */
  decide(
    actor: Actor,
    requestId: string,
    decision: { decision: ReleaseDecision; comment?: string | null },
  ): Promise<ReleaseRequest>;
  /** Pending requests of every project, oldest first (output checkers, administrators). */
  queue(actor: Actor): Promise<ReleaseRequest[]>;
  /** A request: members, output checkers, administrators, auditors. */
  get(actor: Actor, requestId: string): Promise<ReleaseRequest>;
  /** Requests of a project, newest first (same visibility as `get`). */
  listByProject(actor: Actor, projectId: string): Promise<ReleaseRequest[]>;
  /** A register entry (same visibility as `get`). */
  getRelease(actor: Actor, releaseId: string): Promise<Release>;
  /**
   * Records a download of a release and returns its content (members of the project, while the
   * permit is neither suspended nor revoked; allowed after expiry). Audited as
   * `release.download` with the format.
   */
  recordDownload(actor: Actor, releaseId: string, format: DownloadFormat): Promise<ReleaseDownload>;
}

/** The releases repository over a store context. */
export function releasesRepository(ctx: StoreContext): ReleasesRepository {
  /** Applies a withdrawal or a decision to a pending request. */
  async function transition(
    op: Operation,
    requestId: string,
    event: ReleaseEvent,
  ): Promise<ReleaseRequest> {
    const before = await getRequest(op.db, requestId);
    op.setPermit(before.permitId);
    op.detail({ runId: before.runId });
    const team = await projectTeam(op.db, before.projectId);
    const t = releaseTransition(before.status, event, {
      actor: op.actor,
      projectMemberIds: team.map((m) => m.userId),
      principalInvestigatorIds: team
        .filter((m) => m.projectRole === 'principal_investigator')
        .map((m) => m.userId),
      requesterId: before.requestedBy,
      permitStatus: await permitStatusOf(op.db, before.permitId),
    });
    const userId = requireUserActor(op.actor, `release.${event.type}`);
    const changed = await op.db
      .updateTable('gov_release_requests')
      .set({
        status: t.to,
        decided_by: userId,
        decided_at: op.nowIso,
        decision_comment: t.comment,
      })
      .where('id', '=', requestId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) {
      throw new HygieError('HYG_CONFLICT', 'the request changed meanwhile', {
        reason: 'concurrent-change',
      });
    }
    op.detail({ from: t.from, to: t.to });
    if (t.to === 'approved') {
      const run = await findRunRow(op.db, before.runId);
      if (!run || run.result_json === null) {
        throw new HygieError('HYG_INTERNAL', 'the run has no result to release', {
          reason: 'no-result',
        });
      }
      const releaseId = newId();
      const contentHash = resultContentHash(releasedJson(parseStoredResult(run.result_json)));
      await op.db
        .insertInto('gov_releases')
        .values({
          id: releaseId,
          request_id: requestId,
          run_id: run.id,
          project_id: run.project_id,
          released_at: op.nowIso,
          released_by: userId,
          content_hash: contentHash,
        })
        .execute();
      op.detail({ releaseId, contentHash });
    }
    return getRequest(op.db, requestId);
  }

  /** The request, or a recorded refusal; and the actor checked as a viewer. */
  async function viewableRequest(actor: Actor, requestId: string): Promise<ReleaseRequest> {
    const target = { action: 'release.read', targetType: 'release_request', targetId: requestId };
    const r = await findRequest(ctx.db, requestId);
    if (!r) throw await refuseRead(ctx, actor, target, notFound('release request', requestId));
    await requireOutputViewer(ctx, actor, r.projectId, { ...target, permitId: r.permitId });
    return r;
  }

  return {
    async request(actor, runId, justification) {
      return runAudited(
        ctx,
        actor,
        { action: 'release.request', targetType: 'release_request' },
        async (op) => {
          const userId = requireUserActor(actor, 'release.request');
          const run = await findRunRow(op.db, runId);
          if (!run) throw notFound('query run', runId);
          op.setPermit(run.permit_id);
          op.detail({ runId });
          const pending = await op.db
            .selectFrom('gov_release_requests')
            .select('id')
            .where('run_id', '=', runId)
            .where('status', '=', 'pending')
            .executeTakeFirst();
          const released = await op.db
            .selectFrom('gov_releases')
            .select('id')
            .where('run_id', '=', runId)
            .executeTakeFirst();
          const text = assertMayRequestRelease(
            {
              actor,
              projectMemberIds: await projectMemberIds(op.db, run.project_id),
              runStatus: run.status as 'completed' | 'failed',
              permitStatus: await permitStatusOf(op.db, run.permit_id),
              hasPendingRequest: pending !== undefined,
              released: released !== undefined,
            },
            justification,
          );
          const id = newId();
          op.setTarget(id);
          await op.db
            .insertInto('gov_release_requests')
            .values({
              id,
              run_id: runId,
              requested_by: userId,
              requested_at: op.nowIso,
              justification: text,
              status: 'pending',
            })
            .execute();
          return getRequest(op.db, id);
        },
      );
    },

    async withdraw(actor, requestId, reason) {
      return runAudited(
        ctx,
        actor,
        { action: 'release.withdraw', targetType: 'release_request', targetId: requestId },
        (op) => transition(op, requestId, { type: 'withdraw', reason }),
      );
    },

    async decide(actor, requestId, input) {
      return runAudited(
        ctx,
        actor,
        { action: 'release.decide', targetType: 'release_request', targetId: requestId },
        async (op) => {
          const decision = input?.decision;
          op.detail({ decision: typeof decision === 'string' ? decision : null });
          return transition(op, requestId, {
            type: 'decide',
            decision,
            comment: input?.comment,
          });
        },
      );
    },

    async queue(actor) {
      try {
        assertMaySeeReleaseQueue(actor);
      } catch (e) {
        if (isHygieError(e)) {
          throw await recordRefusal(
            ctx,
            actor,
            { action: 'release.queue', targetType: 'release_request' },
            e,
          );
        }
        throw e;
      }
      const rows = await requestQuery(ctx.db)
        .where('q.status', '=', 'pending')
        .orderBy('q.requested_at')
        .orderBy('q.id')
        .execute();
      return rows.map(toRequest);
    },

    get: (actor, requestId) => viewableRequest(actor, requestId),

    async listByProject(actor, projectId) {
      const target = { action: 'release.list', targetType: 'project', targetId: projectId };
      const project = await ctx.db
        .selectFrom('gov_projects')
        .select('id')
        .where('id', '=', projectId)
        .executeTakeFirst();
      if (!project) throw await refuseRead(ctx, actor, target, notFound('project', projectId));
      await requireOutputViewer(ctx, actor, projectId, target);
      const rows = await requestQuery(ctx.db)
        .where('r.project_id', '=', projectId)
        .orderBy('q.requested_at', 'desc')
        .orderBy('q.id')
        .execute();
      return rows.map(toRequest);
    },

    async getRelease(actor, releaseId) {
      const target = { action: 'release.read', targetType: 'release', targetId: releaseId };
      const release = await findRelease(ctx.db, releaseId);
      if (!release) throw await refuseRead(ctx, actor, target, notFound('release', releaseId));
      await requireOutputViewer(ctx, actor, release.projectId, {
        ...target,
        permitId: release.permitId,
      });
      return release;
    },

    async recordDownload(actor, releaseId, format) {
      return runAudited(
        ctx,
        actor,
        { action: 'release.download', targetType: 'release', targetId: releaseId },
        async (op) => {
          requireUserActor(actor, 'release.download');
          const f = parseGovernanceInput(downloadFormatSchema, format, 'download format');
          op.detail({ format: f });
          const release = await findRelease(op.db, releaseId);
          if (!release) throw notFound('release', releaseId);
          op.setPermit(release.permitId);
          op.detail({ runId: release.runId });
          assertMayDownloadRelease({
            actor,
            projectMemberIds: await projectMemberIds(op.db, release.projectId),
            permitStatus: await permitStatusOf(op.db, release.permitId),
          });
          const run = await findRunRow(op.db, release.runId);
          const stored = run?.result_json ?? null;
          const content = stored === null ? null : releasedContent(parseStoredResult(stored));
          const json = content === null ? null : releasedJson(content);
          if (
            content === null ||
            json === null ||
            resultContentHash(json) !== release.contentHash
          ) {
            throw new HygieError(
              'HYG_INTERNAL',
              'the stored result does not match the release register',
              { reason: 'content-hash-mismatch' },
            );
          }
          op.detail({ contentHash: release.contentHash });
          return { release, format: f, content, contentJson: json };
        },
      );
    },
  };
}
