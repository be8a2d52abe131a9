/**
 * Applications for data and their workflow: a project's team drafts, edits and submits; a
 * reviewer who is not a member of the project opens the review; non-member reviewers approve,
 * reject or request changes, and the approval that reaches the required count issues the permit.
 * The workflow rules (states, membership, distinct approvals, comments) are the core state
 * machine's, applied by the store; these routes add only who may read an application.
 */
import { z } from 'zod';
import {
  APPLICATION_STATUSES,
  MAX_REASON_LENGTH,
  REVIEW_DECISIONS,
  accessModeSchema,
  applicationContentSchema,
  dataRequestSchema,
  epsilonSchema,
  MAX_DURATION_MONTHS,
  periodSchema,
  populationFiltersSchema,
} from '@hygie/core';
import type { Application } from '@hygie/governance';
import type { ResolvedDeps, RoutePlugin } from '../deps.js';
import { actorOfPrincipal } from '../roles.js';
import type { Principal } from '../roles.js';
import { assertMayReadProject, callerOf } from './governance-caller.js';
import {
  applicationEventResponse,
  applicationResponse,
  applicationVersionResponse,
  idSchema,
  optionalReasonBody,
  permitResponse,
  reviewResponse,
} from './governance-schemas.js';

const READERS = { roles: ['researcher', 'admin', 'reviewer', 'auditor'] } as const;
const applicationParams = z.object({ applicationId: idSchema });

/**
 * An edit: any content field, replacing the current one. Written out because the core content
 * schema carries a refinement (workspace needs a justification) and zod cannot make such a
 * schema partial; the store checks the merged content against the full schema.
 */
const applicationPatchSchema = z.strictObject({
  data: dataRequestSchema.optional(),
  population: populationFiltersSchema.optional(),
  period: periodSchema.optional(),
  durationMonths: z.number().int().min(1).max(MAX_DURATION_MONTHS).optional(),
  accessMode: accessModeSchema.optional(),
  justification: z.string().trim().max(10_000).optional(),
  requestedEpsilon: epsilonSchema.optional(),
});

/** The answer of a review: the application after it, the review, the count, and any permit. */
const reviewOutcomeResponse = z.object({
  application: applicationResponse,
  review: reviewResponse,
  approvals: z.number().int(),
  requiredApprovals: z.number().int(),
  permit: permitResponse.nullable().describe('The permit this review issued, if it approved'),
});

/** The application, once the caller is known to be allowed to read it. */
async function readableApplication(
  deps: ResolvedDeps,
  p: Principal,
  applicationId: string,
): Promise<Application> {
  const application = await deps.governance.applications.get(applicationId);
  const project = await deps.governance.projects.get(application.projectId);
  await assertMayReadProject(deps, p, project, {
    action: 'application.read',
    targetType: 'application',
    targetId: application.id,
  });
  return application;
}

/** Registers the application routes. */
export const applicationRoutes: RoutePlugin = (app, deps) => {
  const applications = deps.governance.applications;

  app.post(
    '/api/v1/projects/:projectId/applications',
    {
      config: { access: { roles: ['researcher'] } },
      schema: {
        tags: ['applications'],
        summary: 'Draft an application for data (members of the project)',
        params: z.object({ projectId: idSchema }),
        body: applicationContentSchema,
        response: { 201: applicationResponse },
      },
    },
    async (request, reply) => {
      const draft = await applications.createDraft(
        actorOfPrincipal(callerOf(request)),
        request.params.projectId,
        request.body,
      );
      return reply.code(201).send(draft);
    },
  );

  app.get(
    '/api/v1/projects/:projectId/applications',
    {
      config: { access: READERS },
      schema: {
        tags: ['applications'],
        summary: "A project's applications, newest first",
        params: z.object({ projectId: idSchema }),
        response: { 200: z.array(applicationResponse) },
      },
    },
    async (request) => {
      const project = await deps.governance.projects.get(request.params.projectId);
      await assertMayReadProject(deps, callerOf(request), project, {
        action: 'application.list',
        targetType: 'project',
        targetId: project.id,
      });
      return applications.listByProject(project.id);
    },
  );

  app.get(
    '/api/v1/applications',
    {
      config: { access: { roles: ['reviewer', 'admin', 'auditor'] } },
      schema: {
        tags: ['applications'],
        summary: 'Applications in a state, oldest first (the review queue)',
        description: 'Without `status`: the queue, submitted then under review.',
        querystring: z.object({ status: z.enum(APPLICATION_STATUSES).optional() }),
        response: { 200: z.array(applicationResponse) },
      },
    },
    async (request) => {
      const { status } = request.query;
      if (status !== undefined) return applications.listByStatus(status);
      return [
        ...(await applications.listByStatus('submitted')),
        ...(await applications.listByStatus('under_review')),
      ];
    },
  );

  app.get(
    '/api/v1/applications/:applicationId',
    {
      config: { access: READERS },
      schema: {
        tags: ['applications'],
        summary:
          'One application, with the approvals the platform requires (members of its project, reviewers, administrators, auditors)',
        params: applicationParams,
        response: {
          200: applicationResponse.extend({
            requiredApprovals: z.number().int().describe('approvals that decide (a setting)'),
          }),
        },
      },
    },
    async (request) => ({
      ...(await readableApplication(deps, callerOf(request), request.params.applicationId)),
      requiredApprovals: deps.governance.settings.requiredApprovals,
    }),
  );

  app.patch(
    '/api/v1/applications/:applicationId',
    {
      config: { access: { roles: ['researcher'] } },
      schema: {
        tags: ['applications'],
        summary: 'Edit a draft, or an application sent back for changes (members of the project)',
        params: applicationParams,
        body: applicationPatchSchema,
        response: { 200: applicationResponse },
      },
    },
    async (request) =>
      applications.editDraft(
        actorOfPrincipal(callerOf(request)),
        request.params.applicationId,
        request.body,
      ),
  );

  app.post(
    '/api/v1/applications/:applicationId/submit',
    {
      config: { access: { roles: ['researcher'] } },
      schema: {
        tags: ['applications'],
        summary:
          'Submit (members of the project); after changes were requested, a new version is frozen',
        params: applicationParams,
        body: optionalReasonBody,
        response: { 200: applicationResponse },
      },
    },
    async (request) =>
      applications.submit(
        actorOfPrincipal(callerOf(request)),
        request.params.applicationId,
        request.body?.reason ?? null,
      ),
  );

  app.post(
    '/api/v1/applications/:applicationId/start-review',
    {
      config: { access: { roles: ['reviewer', 'admin'] } },
      schema: {
        tags: ['applications'],
        summary:
          'Open the review of a submitted application (a non-member reviewer or an administrator)',
        params: applicationParams,
        body: optionalReasonBody,
        response: { 200: applicationResponse },
      },
    },
    async (request) =>
      applications.startReview(
        actorOfPrincipal(callerOf(request)),
        request.params.applicationId,
        request.body?.reason ?? null,
      ),
  );

  app.post(
    '/api/v1/applications/:applicationId/reviews',
    {
      config: { access: { roles: ['reviewer'] } },
      schema: {
        tags: ['applications'],
        summary: 'Review the version under review (non-member reviewers)',
        description:
          'A rejection or a request for changes needs a comment. The approval that reaches the ' +
          'required count approves the application and issues its permit, returned in `permit`.',
        params: applicationParams,
        body: z.strictObject({
          decision: z.enum(REVIEW_DECISIONS),
          comment: z.string().max(MAX_REASON_LENGTH).nullable().optional(),
        }),
        response: { 201: reviewOutcomeResponse },
      },
    },
    async (request, reply) => {
      const outcome = await applications.review(
        actorOfPrincipal(callerOf(request)),
        request.params.applicationId,
        { decision: request.body.decision, comment: request.body.comment ?? null },
      );
      return reply.code(201).send(outcome);
    },
  );

  app.get(
    '/api/v1/applications/:applicationId/events',
    {
      config: { access: READERS },
      schema: {
        tags: ['applications'],
        summary: 'Workflow events of an application (who, when, from, to, why), oldest first',
        params: applicationParams,
        response: { 200: z.array(applicationEventResponse) },
      },
    },
    async (request) => {
      const a = await readableApplication(deps, callerOf(request), request.params.applicationId);
      return applications.events(a.id);
    },
  );

  app.get(
    '/api/v1/applications/:applicationId/reviews',
    {
      config: { access: READERS },
      schema: {
        tags: ['applications'],
        summary: 'Reviews of an application, of one version or all',
        params: applicationParams,
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
        response: { 200: z.array(reviewResponse) },
      },
    },
    async (request) => {
      const a = await readableApplication(deps, callerOf(request), request.params.applicationId);
      return applications.reviews(a.id, request.query.version);
    },
  );

  app.get(
    '/api/v1/applications/:applicationId/versions',
    {
      config: { access: READERS },
      schema: {
        tags: ['applications'],
        summary: 'Submitted versions of an application, frozen, oldest first',
        params: applicationParams,
        response: { 200: z.array(applicationVersionResponse) },
      },
    },
    async (request) => {
      const a = await readableApplication(deps, callerOf(request), request.params.applicationId);
      return applications.versions(a.id);
    },
  );
};
