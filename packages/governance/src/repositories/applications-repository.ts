/**
 * Applications for data and their workflow. The decisions are the core state machine's
 * (`applyTransition`); this repository loads what it decides on (team, reviews of the version
 * under review), records the outcome — the new state, an application event saying who, when,
 * from, to and why, the review — and, on approval, issues the permit, all in one transaction.
 *
 * Versions: a submission freezes the content as version N (`gov_application_versions`); reviews
 * are given on that version. After changes are requested, the team edits and resubmits, which
 * freezes version N+1 and starts a fresh round of reviews.
 */
import {
  HygieError,
  applicationContentSchema,
  applyTransition,
  assertMayEditApplication,
  parseGovernanceInput,
} from '@hygie/core';
import type {
  Actor,
  ApplicationContent,
  ApplicationContentInput,
  ApplicationEvent,
  ApplicationStatus,
  ReviewDecision,
} from '@hygie/core';
import type { Kysely, Selectable } from 'kysely';
import { runAudited } from '../audited-operation.js';
import type { Operation } from '../audited-operation.js';
import type { ApplicationsTable, GovernanceDatabase } from '../database.js';
import { newId, notFound, requireUserActor } from '../guards.js';
import type { StoreContext } from '../store-context.js';
import { issuePermit } from './permits-repository.js';
import type { Permit } from './permits-repository.js';
import { getProject, projectMemberIds } from './projects-repository.js';

/** An application. */
export interface Application {
  readonly id: string;
  readonly projectId: string;
  /** The version being drafted, or the last one submitted. */
  readonly version: number;
  readonly status: ApplicationStatus;
  readonly content: ApplicationContent;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt: string | null;
  readonly decidedAt: string | null;
}

/** One workflow event of an application. */
export interface ApplicationEventRecord {
  readonly id: number;
  readonly applicationId: string;
  readonly version: number;
  readonly at: string;
  readonly actorId: string | null;
  /** `create`, `submit`, `start_review`, `review:approve`, `review:reject`, `review:changes_requested`. */
  readonly event: string;
  readonly fromStatus: ApplicationStatus | null;
  readonly toStatus: ApplicationStatus;
  /** Why (the reason or review comment given). */
  readonly reason: string | null;
}

/** A review. */
export interface Review {
  readonly id: string;
  readonly applicationId: string;
  readonly version: number;
  readonly reviewerId: string;
  readonly decision: ReviewDecision;
  readonly comment: string | null;
  readonly createdAt: string;
}

/** A submitted version, frozen. */
export interface ApplicationVersion {
  readonly applicationId: string;
  readonly version: number;
  readonly content: ApplicationContent;
  readonly submittedBy: string;
  readonly submittedAt: string;
}

/** The outcome of a review. */
export interface ReviewOutcome {
  readonly application: Application;
  readonly review: Review;
  /** Approvals that count on this version, and how many are needed. */
  readonly approvals: number;
  readonly requiredApprovals: number;
  /** The permit issued when this review approved the application, else null. */
  readonly permit: Permit | null;
}

type Db = Kysely<GovernanceDatabase>;

function contentOf(row: Selectable<ApplicationsTable>): ApplicationContent {
  return applicationContentSchema.parse({
    data: JSON.parse(row.requested_data),
    population: JSON.parse(row.population_filters),
    period: { from: row.period_from, to: row.period_to },
    durationMonths: Number(row.duration_months),
    accessMode: row.access_mode,
    justification: row.justification,
    requestedEpsilon: Number(row.requested_epsilon),
  });
}

function contentColumns(c: ApplicationContent) {
  return {
    requested_data: JSON.stringify(c.data),
    population_filters: JSON.stringify(c.population),
    period_from: c.period.from,
    period_to: c.period.to,
    duration_months: c.durationMonths,
    access_mode: c.accessMode,
    justification: c.justification,
    requested_epsilon: c.requestedEpsilon,
  };
}

function toApplication(row: Selectable<ApplicationsTable>): Application {
  return {
    id: row.id,
    projectId: row.project_id,
    version: Number(row.version),
    status: row.status as ApplicationStatus,
    content: contentOf(row),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
  };
}

async function getApplication(db: Db, id: string): Promise<Application> {
  const row = await db
    .selectFrom('gov_applications')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('application', id);
  return toApplication(row);
}

async function reviewsOf(db: Db, applicationId: string, version?: number): Promise<Review[]> {
  let q = db.selectFrom('gov_reviews').selectAll().where('application_id', '=', applicationId);
  if (version !== undefined) q = q.where('version', '=', version);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    applicationId: r.application_id,
    version: Number(r.version),
    reviewerId: r.reviewer_id,
    decision: r.decision as ReviewDecision,
    comment: r.comment,
    createdAt: r.created_at,
  }));
}

async function recordEvent(
  op: Operation,
  a: { id: string; version: number },
  event: string,
  from: ApplicationStatus | null,
  to: ApplicationStatus,
  reason: string | null | undefined,
): Promise<void> {
  const why = reason?.trim() ? reason.trim() : null;
  await op.db
    .insertInto('gov_application_events')
    .values({
      application_id: a.id,
      version: a.version,
      at: op.nowIso,
      actor_id: op.actor.userId,
      event,
      from_status: from,
      to_status: to,
      reason: why,
    })
    .execute();
}

async function requireActiveProject(db: Db, projectId: string) {
  const project = await getProject(db, projectId);
  if (project.status !== 'active') {
    throw new HygieError('HYG_CONFLICT', 'the project is closed', { reason: 'project-closed' });
  }
  return project;
}

/** The applications repository. */
export interface ApplicationsRepository {
  /** Creates a draft for a project (team members); the content must be complete and valid. */
  createDraft(
    actor: Actor,
    projectId: string,
    content: ApplicationContentInput,
  ): Promise<Application>;
  /** Edits a draft, or an application sent back for changes (team members); fields given replace the current ones. */
  editDraft(
    actor: Actor,
    id: string,
    patch: Partial<ApplicationContentInput>,
  ): Promise<Application>;
  /** Submits (team members); from changes_requested, the resubmission is a new version. */
  submit(actor: Actor, id: string, reason?: string | null): Promise<Application>;
  /** Opens the review (a non-member reviewer or an administrator). */
  startReview(actor: Actor, id: string, reason?: string | null): Promise<Application>;
  /**
   * Reviews the version under review (non-member reviewers). The decision follows the workflow:
   * a rejection rejects, a request for changes sends back, the N-th approval approves and issues
   * the permit in the same transaction.
   */
  review(
    actor: Actor,
    id: string,
    review: { decision: ReviewDecision; comment?: string | null },
  ): Promise<ReviewOutcome>;
  /** An application; throws `HYG_NOT_FOUND`. */
  get(id: string): Promise<Application>;
  /** Applications of a project, newest first. */
  listByProject(projectId: string): Promise<Application[]>;
  /** Applications in a state (the committee's queue), oldest first. */
  listByStatus(status: ApplicationStatus): Promise<Application[]>;
  /** Workflow events, oldest first. */
  events(id: string): Promise<ApplicationEventRecord[]>;
  /** Reviews, of one version or all. */
  reviews(id: string, version?: number): Promise<Review[]>;
  /** Submitted versions, oldest first. */
  versions(id: string): Promise<ApplicationVersion[]>;
}

/** The applications repository over a store context. */
export function applicationsRepository(ctx: StoreContext): ApplicationsRepository {
  const { settings } = ctx;

  /** Runs a workflow event through the state machine and records it. */
  async function transition(
    op: Operation,
    id: string,
    event: ApplicationEvent,
  ): Promise<{
    before: Application;
    to: ApplicationStatus;
    approvals: number;
    requiredApprovals: number;
  }> {
    const before = await getApplication(op.db, id);
    const members = await projectMemberIds(op.db, before.projectId);
    const reviews = event.type === 'review' ? await reviewsOf(op.db, id, before.version) : [];
    const r = applyTransition(before.status, event, {
      actor: op.actor,
      projectMemberIds: members,
      reviews,
      requiredApprovals: settings.requiredApprovals,
    });
    op.detail({ from: r.from, to: r.to, version: before.version });
    return { before, to: r.to, approvals: r.approvals, requiredApprovals: r.requiredApprovals };
  }

  return {
    async createDraft(actor, projectId, content) {
      return runAudited(
        ctx,
        actor,
        { action: 'application.create', targetType: 'application' },
        async (op) => {
          const userId = requireUserActor(actor, 'application.create');
          const project = await requireActiveProject(op.db, projectId);
          assertMayEditApplication('draft', {
            actor,
            projectMemberIds: project.team.map((m) => m.userId),
          });
          const c = parseGovernanceInput(applicationContentSchema, content, 'application');
          const id = newId();
          op.setTarget(id);
          op.detail({ projectId, accessMode: c.accessMode });
          await op.db
            .insertInto('gov_applications')
            .values({
              id,
              project_id: projectId,
              version: 1,
              status: 'draft',
              ...contentColumns(c),
              created_by: userId,
              created_at: op.nowIso,
              updated_at: op.nowIso,
            })
            .execute();
          await recordEvent(op, { id, version: 1 }, 'create', null, 'draft', null);
          return getApplication(op.db, id);
        },
      );
    },

    async editDraft(actor, id, patch) {
      return runAudited(
        ctx,
        actor,
        { action: 'application.edit', targetType: 'application', targetId: id },
        async (op) => {
          const a = await getApplication(op.db, id);
          assertMayEditApplication(a.status, {
            actor,
            projectMemberIds: await projectMemberIds(op.db, a.projectId),
          });
          if (typeof patch !== 'object' || patch === null) {
            throw new HygieError('HYG_INVALID_ARGUMENT', 'an edit is an object of fields', {
              argument: 'patch',
            });
          }
          const c = parseGovernanceInput(
            applicationContentSchema,
            { ...a.content, ...patch },
            'application',
          );
          op.detail({ fields: Object.keys(patch).sort().join(','), version: a.version });
          await op.db
            .updateTable('gov_applications')
            .set({ ...contentColumns(c), updated_at: op.nowIso })
            .where('id', '=', id)
            .execute();
          return getApplication(op.db, id);
        },
      );
    },

    async submit(actor, id, reason) {
      return runAudited(
        ctx,
        actor,
        { action: 'application.submit', targetType: 'application', targetId: id },
        async (op) => {
          const { before, to } = await transition(op, id, { type: 'submit', reason });
          await requireActiveProject(op.db, before.projectId);
          const version =
            before.status === 'changes_requested' ? before.version + 1 : before.version;
          op.detail({ version });
          await op.db
            .updateTable('gov_applications')
            .set({
              status: to,
              version,
              submitted_at: op.nowIso,
              decided_at: null,
              updated_at: op.nowIso,
            })
            .where('id', '=', id)
            .execute();
          await op.db
            .insertInto('gov_application_versions')
            .values({
              application_id: id,
              version,
              content: JSON.stringify(before.content),
              submitted_by: requireUserActor(op.actor, 'application.submit'),
              submitted_at: op.nowIso,
            })
            .execute();
          await recordEvent(op, { id, version }, 'submit', before.status, to, reason);
          return getApplication(op.db, id);
        },
      );
    },

    async startReview(actor, id, reason) {
      return runAudited(
        ctx,
        actor,
        { action: 'application.start_review', targetType: 'application', targetId: id },
        async (op) => {
          const { before, to } = await transition(op, id, { type: 'start_review', reason });
          await op.db
            .updateTable('gov_applications')
            .set({ status: to, updated_at: op.nowIso })
            .where('id', '=', id)
            .execute();
          await recordEvent(op, before, 'start_review', before.status, to, reason);
          return getApplication(op.db, id);
        },
      );
    },

    async review(actor, id, input) {
      return runAudited(
        ctx,
        actor,
        { action: 'application.review', targetType: 'application', targetId: id },
        async (op) => {
          const decision = input?.decision;
          const comment = input?.comment?.trim() ? input.comment.trim() : null;
          const { before, to, approvals, requiredApprovals } = await transition(op, id, {
            type: 'review',
            decision,
            comment,
          });
          const reviewerId = requireUserActor(op.actor, 'application.review');
          const reviewId = newId();
          await op.db
            .insertInto('gov_reviews')
            .values({
              id: reviewId,
              application_id: id,
              version: before.version,
              reviewer_id: reviewerId,
              decision,
              comment,
              created_at: op.nowIso,
            })
            .execute();
          const decided = to !== 'under_review';
          await op.db
            .updateTable('gov_applications')
            .set({ status: to, updated_at: op.nowIso, ...(decided && { decided_at: op.nowIso }) })
            .where('id', '=', id)
            .execute();
          await recordEvent(op, before, `review:${decision}`, before.status, to, comment);
          op.detail({ decision, approvals, requiredApprovals });
          let permit: Permit | null = null;
          if (to === 'approved') {
            permit = await issuePermit(op, before, settings.defaultMinCellSize);
            op.setPermit(permit.id);
          }
          const [review] = await reviewsOf(op.db, id, before.version).then((rs) =>
            rs.filter((r) => r.id === reviewId),
          );
          return {
            application: await getApplication(op.db, id),
            review: review as Review,
            approvals,
            requiredApprovals,
            permit,
          };
        },
      );
    },

    get: (id) => getApplication(ctx.db, id),

    async listByProject(projectId) {
      const rows = await ctx.db
        .selectFrom('gov_applications')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toApplication);
    },

    async listByStatus(status) {
      const rows = await ctx.db
        .selectFrom('gov_applications')
        .selectAll()
        .where('status', '=', status)
        .orderBy('updated_at')
        .execute();
      return rows.map(toApplication);
    },

    async events(id) {
      const rows = await ctx.db
        .selectFrom('gov_application_events')
        .selectAll()
        .where('application_id', '=', id)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        applicationId: r.application_id,
        version: Number(r.version),
        at: r.at,
        actorId: r.actor_id,
        event: r.event,
        fromStatus: r.from_status as ApplicationStatus | null,
        toStatus: r.to_status as ApplicationStatus,
        reason: r.reason,
      }));
    },

    reviews: (id, version) => reviewsOf(ctx.db, id, version),

    async versions(id) {
      const rows = await ctx.db
        .selectFrom('gov_application_versions')
        .selectAll()
        .where('application_id', '=', id)
        .orderBy('version')
        .execute();
      return rows.map((r) => ({
        applicationId: r.application_id,
        version: Number(r.version),
        content: applicationContentSchema.parse(JSON.parse(r.content)),
        submittedBy: r.submitted_by,
        submittedAt: r.submitted_at,
      }));
    },
  };
}
