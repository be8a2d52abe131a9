/**
 * The airlock (issue #5) as pure rules: a disclosure-controlled run result leaves the platform
 * only after an output checker has looked at it and approved a release request.
 *
 *   (completed run) ──request──► pending ──decide: approve──► approved  (a release is registered)
 *                                   │    └─decide: reject───► rejected  (a comment says why)
 *                                   └─────withdraw──────────► withdrawn
 *
 * Who may do what:
 * - a run's result, its requests and releases are seen by the project's members, and for
 *   oversight by output checkers, administrators and auditors;
 * - members of the project request a release of a completed run (a justification is required);
 *   at most one request per run is pending, and a released run is not released again;
 * - the requester or a principal investigator of the project withdraws a pending request;
 * - an output checker who is NOT a member of the project (the conflict-of-interest rule of the
 *   application review) and did not make the request decides; a rejection needs a comment;
 * - a decided (approved, rejected) or withdrawn request is final;
 * - members download a release, in CSV, JSON or Parquet.
 *
 * The permit's standing matters where the data would flow out: a request or an approval is
 * refused while the permit is suspended or once it is revoked, and so is a download. An expired
 * permit does not block them: the result was computed while the permit was valid and the team's
 * final outputs are usually checked after the end. A released output is safe to publish by
 * definition, but revocation means the use itself was withdrawn (an unlawful purpose, a breach),
 * and a suspension means it is under investigation: the platform stops handing the outputs out.
 * A rejection or a withdrawal is always allowed — neither lets anything out.
 *
 * Every refusal is a `HygieError` whose `details.reason` is a stable code.
 */
import { z } from 'zod';
import { HygieError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { MAX_REASON_LENGTH } from './application-workflow.js';
import { permitDenialError } from './permit-evaluation.js';
import type { PermitStatus } from './permit-evaluation.js';
import type { QueryRunStatus } from './query-run.js';
import type { Actor } from './roles.js';
import { actorHasRole } from './roles.js';

/** States of a release request. */
export const RELEASE_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

/** A state of a release request. */
export type ReleaseRequestStatus = (typeof RELEASE_REQUEST_STATUSES)[number];

/** An output checker's decision. */
export const RELEASE_DECISIONS = ['approve', 'reject'] as const;

/** An output checker's decision. */
export type ReleaseDecision = (typeof RELEASE_DECISIONS)[number];

/** The zod schema of a decision. */
export const releaseDecisionSchema = z.enum(RELEASE_DECISIONS);

/** Formats a release is downloaded in. */
export const DOWNLOAD_FORMATS = ['csv', 'json', 'parquet'] as const;

/** A download format. */
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

/** The zod schema of a download format. */
export const downloadFormatSchema = z.enum(DOWNLOAD_FORMATS);

/** Platform roles that see every project's outputs, for oversight. */
export const OUTPUT_OVERSIGHT_ROLES = ['output_checker', 'admin', 'auditor'] as const;

/** Platform roles that see the airlock's queue. */
export const RELEASE_QUEUE_ROLES = ['output_checker', 'admin'] as const;

/** An event on an existing request. */
export type ReleaseEvent =
  | { type: 'withdraw'; reason?: string | null }
  | { type: 'decide'; decision: ReleaseDecision; comment?: string | null };

/** Who acts, and on which project. */
export interface ProjectActorContext {
  readonly actor: Actor;
  /** User ids of the project's team, as it is now. */
  readonly projectMemberIds: readonly string[];
}

/** What a transition of an existing request is decided against. */
export interface ReleaseTransitionContext extends ProjectActorContext {
  /** User ids of the project's principal investigators. */
  readonly principalInvestigatorIds: readonly string[];
  /** Who made the request. */
  readonly requesterId: string;
  /** The standing of the run's permit now. */
  readonly permitStatus: PermitStatus;
}

/** What a new request is decided against. */
export interface ReleaseRequestContext extends ProjectActorContext {
  readonly runStatus: QueryRunStatus;
  readonly permitStatus: PermitStatus;
  /** True when the run already has a pending request. */
  readonly hasPendingRequest: boolean;
  /** True when the run has been released already. */
  readonly released: boolean;
}

/** The outcome of an allowed transition. */
export interface ReleaseTransitionResult {
  readonly from: ReleaseRequestStatus;
  readonly to: ReleaseRequestStatus;
  /** The trimmed comment or reason to record, or null. */
  readonly comment: string | null;
}

function refuse(code: ErrorCode, message: string, event: string, reason: string): never {
  throw new HygieError(code, message, { event, reason });
}

function isMember(ctx: ProjectActorContext): boolean {
  return ctx.actor.userId !== null && ctx.projectMemberIds.includes(ctx.actor.userId);
}

/** The trimmed text, checked: required or not, at most `MAX_REASON_LENGTH` characters. */
function checkedText(
  text: string | null | undefined,
  event: string,
  required: boolean,
  what: string,
): string | null {
  const t = typeof text === 'string' ? text.trim() : '';
  if (required && t.length === 0) {
    refuse('HYG_INVALID_ARGUMENT', `${event} needs ${what}`, event, `${what}-required`);
  }
  if (t.length > MAX_REASON_LENGTH) {
    refuse(
      'HYG_INVALID_ARGUMENT',
      `the ${what} is too long (at most ${MAX_REASON_LENGTH} characters)`,
      event,
      `${what}-too-long`,
    );
  }
  return t.length > 0 ? t : null;
}

/** Throws the permit's refusal when it is suspended or revoked (see the file comment). */
function requirePermitStanding(status: PermitStatus, event: string): void {
  if (status === 'revoked' || status === 'suspended') {
    const e = permitDenialError(status === 'revoked' ? 'permit-revoked' : 'permit-suspended');
    throw new HygieError(e.code, `${event}: ${e.message}`, { ...e.details, event });
  }
}

/** True when the actor may see a project's runs, requests and releases. */
export function mayViewProjectOutputs(ctx: ProjectActorContext): boolean {
  return (
    ctx.actor.userId !== null &&
    (isMember(ctx) || actorHasRole(ctx.actor, ...OUTPUT_OVERSIGHT_ROLES))
  );
}

/** Throws `HYG_FORBIDDEN` (`not-allowed-to-view`) unless `mayViewProjectOutputs`. */
export function assertMayViewProjectOutputs(ctx: ProjectActorContext): void {
  if (!mayViewProjectOutputs(ctx)) {
    refuse(
      'HYG_FORBIDDEN',
      "a project's outputs are seen by its members, output checkers, administrators and auditors",
      'view',
      'not-allowed-to-view',
    );
  }
}

/** Throws `HYG_FORBIDDEN` (`role-required`) unless the actor may see the airlock's queue. */
export function assertMaySeeReleaseQueue(actor: Actor): void {
  if (actor.userId === null || !actorHasRole(actor, ...RELEASE_QUEUE_ROLES)) {
    refuse(
      'HYG_FORBIDDEN',
      'the release queue is for output checkers and administrators',
      'queue',
      'role-required',
    );
  }
}

/**
 * Checks a new request for release of a run; returns the trimmed justification. Throws
 * `HYG_FORBIDDEN` (not a member), `HYG_INVALID_TRANSITION` (the run failed), `HYG_CONFLICT`
 * (a request is pending, the run is released), the permit's error (suspended, revoked),
 * `HYG_INVALID_ARGUMENT` (no justification).
 */
export function assertMayRequestRelease(
  ctx: ReleaseRequestContext,
  justification: string | null | undefined,
): string {
  const event = 'request';
  if (!isMember(ctx)) {
    refuse(
      'HYG_FORBIDDEN',
      'only members of the project may request the release of its results',
      event,
      'not-a-project-member',
    );
  }
  if (ctx.runStatus !== 'completed') {
    refuse(
      'HYG_INVALID_TRANSITION',
      'only a completed run has a result to release',
      event,
      'run-not-completed',
    );
  }
  if (ctx.released) {
    refuse('HYG_CONFLICT', 'this run has been released already', event, 'already-released');
  }
  if (ctx.hasPendingRequest) {
    refuse(
      'HYG_CONFLICT',
      'a release request for this run is already pending',
      event,
      'request-pending',
    );
  }
  requirePermitStanding(ctx.permitStatus, 'release request');
  return checkedText(justification, event, true, 'justification') as string;
}

/**
 * Applies `event` to a request in `state`. Returns the new state, or throws:
 * `HYG_INVALID_TRANSITION` (the request is no longer pending), `HYG_FORBIDDEN` (not the
 * requester or a principal investigator; not an output checker; an output checker who is a
 * project member or the requester), the permit's error (approving while it is suspended or
 * revoked), `HYG_INVALID_ARGUMENT` (a rejection without a comment, an unknown decision).
 */
export function releaseTransition(
  state: ReleaseRequestStatus,
  event: ReleaseEvent,
  ctx: ReleaseTransitionContext,
): ReleaseTransitionResult {
  if (state !== 'pending') {
    refuse(
      'HYG_INVALID_TRANSITION',
      `a release request that is ${state} is final`,
      event.type,
      'state',
    );
  }
  const userId = ctx.actor.userId;
  switch (event.type) {
    case 'withdraw': {
      const mayWithdraw =
        userId !== null &&
        (userId === ctx.requesterId || ctx.principalInvestigatorIds.includes(userId));
      if (!mayWithdraw) {
        refuse(
          'HYG_FORBIDDEN',
          'only the requester or a principal investigator may withdraw a release request',
          event.type,
          'not-requester-or-lead',
        );
      }
      return {
        from: state,
        to: 'withdrawn',
        comment: checkedText(event.reason, event.type, false, 'reason'),
      };
    }
    case 'decide': {
      if (userId === null || !actorHasRole(ctx.actor, 'output_checker')) {
        refuse(
          'HYG_FORBIDDEN',
          'only an output checker may decide a release request',
          event.type,
          'not-an-output-checker',
        );
      }
      if (isMember(ctx)) {
        refuse(
          'HYG_FORBIDDEN',
          'an output checker who is a member of the project may not decide on its outputs',
          event.type,
          'checker-is-project-member',
        );
      }
      if (userId === ctx.requesterId) {
        refuse(
          'HYG_FORBIDDEN',
          'an output checker may not decide on their own request',
          event.type,
          'checker-is-requester',
        );
      }
      if (!(RELEASE_DECISIONS as readonly string[]).includes(event.decision)) {
        refuse('HYG_INVALID_ARGUMENT', 'unknown release decision', event.type, 'bad-decision');
      }
      const comment = checkedText(
        event.comment,
        event.type,
        event.decision === 'reject',
        'comment',
      );
      if (event.decision === 'reject') return { from: state, to: 'rejected', comment };
      requirePermitStanding(ctx.permitStatus, 'release approval');
      return { from: state, to: 'approved', comment };
    }
  }
}

/**
 * Throws unless the actor may download a release: a member of the project, while the permit is
 * neither suspended nor revoked (see the file comment).
 */
export function assertMayDownloadRelease(
  ctx: ProjectActorContext & { readonly permitStatus: PermitStatus },
): void {
  if (!isMember(ctx)) {
    refuse(
      'HYG_FORBIDDEN',
      'only members of the project may download its releases',
      'download',
      'not-a-project-member',
    );
  }
  requirePermitStanding(ctx.permitStatus, 'release download');
}
