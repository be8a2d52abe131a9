/**
 * The application workflow as a pure state machine (issue #4):
 *
 *   draft ──submit──► submitted ──start_review──► under_review ──review──► approved
 *     ▲                   ▲                              │       └──────► rejected
 *     │                   └──────── submit ◄─ changes_requested ◄──┘
 *   (edit)                                         (edit)
 *
 * Who may do what: members of the applicant's project submit and edit; reviewers who are NOT
 * members of the project open the review and review. A rejection by any reviewer rejects, a
 * request for changes sends the application back, and approval needs `requiredApprovals`
 * (default 2) distinct approvals from non-member reviewers on the version under review.
 * `applyTransition` decides; the store records. Every refusal is a `HygieError` whose
 * `details.reason` is a stable code.
 */
import { z } from 'zod';
import { HygieError } from '../errors.js';
import type { Actor } from './roles.js';
import { actorHasRole } from './roles.js';

/** States of an application. */
export const APPLICATION_STATUSES = [
  'draft',
  'submitted',
  'under_review',
  'approved',
  'rejected',
  'changes_requested',
] as const;

/** A state of an application. */
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** A reviewer's decision. */
export const REVIEW_DECISIONS = ['approve', 'reject', 'changes_requested'] as const;

/** A reviewer's decision. */
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** The zod schema of a review decision. */
export const reviewDecisionSchema = z.enum(REVIEW_DECISIONS);

/** Default number of approvals from non-member reviewers an application needs. */
export const DEFAULT_REQUIRED_APPROVALS = 2;

/** Longest free text attached to a transition (reason, review comment). */
export const MAX_REASON_LENGTH = 10_000;

/** An event of the workflow. `reason`/`comment` say why; they are recorded with the transition. */
export type ApplicationEvent =
  | { type: 'submit'; reason?: string | null }
  | { type: 'start_review'; reason?: string | null }
  | { type: 'review'; decision: ReviewDecision; comment?: string | null };

/** A review already given on the version under review. */
export interface ReviewRecord {
  readonly reviewerId: string;
  readonly decision: ReviewDecision;
}

/** What a transition is decided against. */
export interface TransitionContext {
  /** Who acts. */
  readonly actor: Actor;
  /** User ids of the project's team members, as they are now. */
  readonly projectMemberIds: readonly string[];
  /** Reviews already given on the version under review (any order). */
  readonly reviews: readonly ReviewRecord[];
  /** Approvals needed (≥ 1); default `DEFAULT_REQUIRED_APPROVALS`. */
  readonly requiredApprovals?: number;
}

/** The outcome of an allowed transition. */
export interface TransitionResult {
  readonly from: ApplicationStatus;
  readonly to: ApplicationStatus;
  /** Approvals that count after this event: distinct reviewers, none a project member. */
  readonly approvals: number;
  /** Approvals needed. */
  readonly requiredApprovals: number;
  /** True when this event ended the review with a decision (approved, rejected, changes). */
  readonly decided: boolean;
}

/** States from which the team may edit and submit. */
const EDITABLE: readonly ApplicationStatus[] = ['draft', 'changes_requested'];

function refuse(
  code: 'HYG_INVALID_TRANSITION' | 'HYG_FORBIDDEN' | 'HYG_CONFLICT' | 'HYG_INVALID_ARGUMENT',
  message: string,
  from: ApplicationStatus,
  event: string,
  reason: string,
): never {
  throw new HygieError(code, message, { from, event, reason });
}

function isMember(ctx: TransitionContext): boolean {
  return ctx.actor.userId !== null && ctx.projectMemberIds.includes(ctx.actor.userId);
}

function requiredApprovals(ctx: TransitionContext): number {
  const n = ctx.requiredApprovals ?? DEFAULT_REQUIRED_APPROVALS;
  if (!Number.isInteger(n) || n < 1) {
    throw new HygieError('HYG_INVALID_CONFIG', 'required approvals must be a whole number ≥ 1', {
      requiredApprovals: n,
    });
  }
  return n;
}

/** Approvals that count: distinct approving reviewers who are not project members now. */
export function countApprovals(
  reviews: readonly ReviewRecord[],
  projectMemberIds: readonly string[],
): number {
  const approving = new Set<string>();
  for (const r of reviews) {
    if (r.decision === 'approve' && !projectMemberIds.includes(r.reviewerId)) {
      approving.add(r.reviewerId);
    }
  }
  return approving.size;
}

function checkText(
  text: string | null | undefined,
  from: ApplicationStatus,
  event: string,
  required: boolean,
): void {
  const t = text?.trim() ?? '';
  if (required && t.length === 0) {
    refuse(
      'HYG_INVALID_ARGUMENT',
      `${event} needs a comment saying why`,
      from,
      event,
      'comment-required',
    );
  }
  if (t.length > MAX_REASON_LENGTH) {
    refuse(
      'HYG_INVALID_ARGUMENT',
      `the comment is too long (at most ${MAX_REASON_LENGTH} characters)`,
      from,
      event,
      'comment-too-long',
    );
  }
}

/**
 * Applies `event` to an application in `state`. Returns the new state, or throws:
 * `HYG_INVALID_TRANSITION` (the state does not allow the event), `HYG_FORBIDDEN` (the actor may
 * not: not a project member, not a reviewer, a reviewer who is a project member),
 * `HYG_CONFLICT` (a reviewer reviewing the same version twice), `HYG_INVALID_ARGUMENT` (a
 * rejection or a request for changes without a comment).
 */
export function applyTransition(
  state: ApplicationStatus,
  event: ApplicationEvent,
  ctx: TransitionContext,
): TransitionResult {
  const required = requiredApprovals(ctx);
  const approvalsBefore = countApprovals(ctx.reviews, ctx.projectMemberIds);
  const result = (
    to: ApplicationStatus,
    approvals: number,
    decided: boolean,
  ): TransitionResult => ({
    from: state,
    to,
    approvals,
    requiredApprovals: required,
    decided,
  });

  switch (event.type) {
    case 'submit': {
      if (!EDITABLE.includes(state)) {
        refuse(
          'HYG_INVALID_TRANSITION',
          `an application cannot be submitted when ${state}`,
          state,
          event.type,
          'state',
        );
      }
      if (!isMember(ctx)) {
        refuse(
          'HYG_FORBIDDEN',
          'only members of the project may submit its application',
          state,
          event.type,
          'not-a-project-member',
        );
      }
      checkText(event.reason, state, event.type, false);
      return result('submitted', 0, false);
    }
    case 'start_review': {
      if (state !== 'submitted') {
        refuse(
          'HYG_INVALID_TRANSITION',
          `a review cannot start when the application is ${state}`,
          state,
          event.type,
          'state',
        );
      }
      if (ctx.actor.userId === null || !actorHasRole(ctx.actor, 'reviewer', 'admin')) {
        refuse(
          'HYG_FORBIDDEN',
          'only a reviewer or an administrator may open a review',
          state,
          event.type,
          'not-a-reviewer',
        );
      }
      if (isMember(ctx)) {
        refuse(
          'HYG_FORBIDDEN',
          'a member of the project may not open its review',
          state,
          event.type,
          'project-member',
        );
      }
      checkText(event.reason, state, event.type, false);
      return result('under_review', approvalsBefore, false);
    }
    case 'review': {
      if (state !== 'under_review') {
        refuse(
          'HYG_INVALID_TRANSITION',
          `an application cannot be reviewed when ${state}`,
          state,
          event.type,
          'state',
        );
      }
      if (ctx.actor.userId === null || !actorHasRole(ctx.actor, 'reviewer')) {
        refuse(
          'HYG_FORBIDDEN',
          'only a reviewer may review an application',
          state,
          event.type,
          'not-a-reviewer',
        );
      }
      if (isMember(ctx)) {
        refuse(
          'HYG_FORBIDDEN',
          'a reviewer who is a member of the project may not review it',
          state,
          event.type,
          'reviewer-is-project-member',
        );
      }
      const reviewerId = ctx.actor.userId;
      if (ctx.reviews.some((r) => r.reviewerId === reviewerId)) {
        refuse(
          'HYG_CONFLICT',
          'this reviewer has already reviewed this version',
          state,
          event.type,
          'already-reviewed',
        );
      }
      if (!(REVIEW_DECISIONS as readonly string[]).includes(event.decision)) {
        refuse(
          'HYG_INVALID_ARGUMENT',
          'unknown review decision',
          state,
          event.type,
          'bad-decision',
        );
      }
      checkText(event.comment, state, event.type, event.decision !== 'approve');
      if (event.decision === 'reject') return result('rejected', approvalsBefore, true);
      if (event.decision === 'changes_requested') {
        return result('changes_requested', approvalsBefore, true);
      }
      const approvals = approvalsBefore + 1;
      return approvals >= required
        ? result('approved', approvals, true)
        : result('under_review', approvals, false);
    }
  }
}

/**
 * Throws unless the actor may edit the application's content: only in draft or after changes
 * were requested, and only a member of the project.
 */
export function assertMayEditApplication(
  state: ApplicationStatus,
  ctx: Pick<TransitionContext, 'actor' | 'projectMemberIds'>,
): void {
  if (!EDITABLE.includes(state)) {
    refuse(
      'HYG_INVALID_TRANSITION',
      `an application cannot be edited when ${state}`,
      state,
      'edit',
      'state',
    );
  }
  if (ctx.actor.userId === null || !ctx.projectMemberIds.includes(ctx.actor.userId)) {
    refuse(
      'HYG_FORBIDDEN',
      'only members of the project may edit its application',
      state,
      'edit',
      'not-a-project-member',
    );
  }
}
