/**
 * Research projects, their teams and their results. Researchers create projects and see their
 * own; reviewers, administrators and auditors see every project. Who may edit, change the team,
 * record results or close a project (the team, its principal investigator, administrators) is
 * the store's rule: the route admits researchers and administrators and the store refuses the
 * rest, with an audit record.
 */
import { z } from 'zod';
import {
  projectInputSchema,
  projectPatchSchema,
  projectResultInputSchema,
  teamMemberSchema,
} from '@hygie/core';
import type { RoutePlugin } from '../deps.js';
import { actorOfPrincipal } from '../roles.js';
import { assertMayReadProject, callerOf, oversees } from './governance-caller.js';
import {
  idSchema,
  projectResponse,
  projectResultResponse,
  reasonBody,
} from './governance-schemas.js';

const projectParams = z.object({ projectId: idSchema });

/** Registers `/api/v1/projects`, the team routes and the results routes. */
export const projectRoutes: RoutePlugin = (app, deps) => {
  const projects = deps.governance.projects;

  app.post(
    '/api/v1/projects',
    {
      config: { access: { roles: ['researcher'] } },
      schema: {
        tags: ['projects'],
        summary: 'Create a project; its creator joins the team as principal investigator',
        body: projectInputSchema,
        response: { 201: projectResponse },
      },
    },
    async (request, reply) => {
      const project = await projects.create(actorOfPrincipal(callerOf(request)), request.body);
      return reply.code(201).send(project);
    },
  );

  app.get(
    '/api/v1/projects',
    {
      config: { access: { roles: ['researcher', 'admin', 'reviewer', 'auditor'] } },
      schema: {
        tags: ['projects'],
        summary:
          'Projects: all of them for reviewers, administrators and auditors; a researcher’s own',
        response: { 200: z.array(projectResponse) },
      },
    },
    async (request) => {
      const p = callerOf(request);
      if (oversees(p)) return projects.list();
      return p.userId === null ? [] : projects.listForMember(p.userId);
    },
  );

  app.get(
    '/api/v1/projects/:projectId',
    {
      config: { access: { roles: ['researcher', 'admin', 'reviewer', 'auditor'] } },
      schema: {
        tags: ['projects'],
        summary: 'One project (its members, reviewers, administrators, auditors)',
        params: projectParams,
        response: { 200: projectResponse },
      },
    },
    async (request) => {
      const project = await projects.get(request.params.projectId);
      await assertMayReadProject(deps, callerOf(request), project, {
        action: 'project.read',
        targetType: 'project',
        targetId: project.id,
      });
      return project;
    },
  );

  app.patch(
    '/api/v1/projects/:projectId',
    {
      config: { access: { roles: ['researcher', 'admin'] } },
      schema: {
        tags: ['projects'],
        summary: 'Edit descriptive fields (the team, administrators)',
        params: projectParams,
        body: projectPatchSchema,
        response: { 200: projectResponse },
      },
    },
    async (request) =>
      projects.update(actorOfPrincipal(callerOf(request)), request.params.projectId, request.body),
  );

  app.post(
    '/api/v1/projects/:projectId/members',
    {
      config: { access: { roles: ['researcher', 'admin'] } },
      schema: {
        tags: ['projects'],
        summary: 'Add a team member (the principal investigator, administrators)',
        params: projectParams,
        body: teamMemberSchema,
        response: { 200: projectResponse },
      },
    },
    async (request) =>
      projects.addMember(
        actorOfPrincipal(callerOf(request)),
        request.params.projectId,
        request.body,
      ),
  );

  app.delete(
    '/api/v1/projects/:projectId/members/:userId',
    {
      config: { access: { roles: ['researcher', 'admin'] } },
      schema: {
        tags: ['projects'],
        summary:
          'Remove a team member (the principal investigator, administrators); one principal investigator stays',
        params: z.object({ projectId: idSchema, userId: idSchema }),
        response: { 200: projectResponse },
      },
    },
    async (request) =>
      projects.removeMember(
        actorOfPrincipal(callerOf(request)),
        request.params.projectId,
        request.params.userId,
      ),
  );

  app.post(
    '/api/v1/projects/:projectId/close',
    {
      config: { access: { roles: ['researcher', 'admin'] } },
      schema: {
        tags: ['projects'],
        summary: 'Close a project: no new application (the principal investigator, administrators)',
        params: projectParams,
        response: { 200: projectResponse },
      },
    },
    async (request) =>
      projects.close(actorOfPrincipal(callerOf(request)), request.params.projectId),
  );

  app.get(
    '/api/v1/projects/:projectId/results',
    {
      config: { access: { roles: ['researcher', 'admin', 'reviewer', 'auditor'] } },
      schema: {
        tags: ['projects'],
        summary:
          "A project's results, removed ones included, newest first (its members, reviewers, administrators, auditors)",
        params: projectParams,
        response: { 200: z.array(projectResultResponse) },
      },
    },
    async (request) => {
      const project = await projects.get(request.params.projectId);
      await assertMayReadProject(deps, callerOf(request), project, {
        action: 'project.list_results',
        targetType: 'project',
        targetId: project.id,
      });
      return projects.listResults(project.id);
    },
  );

  app.post(
    '/api/v1/projects/:projectId/results',
    {
      config: { access: { roles: ['researcher', 'admin'] } },
      schema: {
        tags: ['projects'],
        summary:
          'Record a result the project has published; the public directory shows it (the team, administrators)',
        params: projectParams,
        body: projectResultInputSchema,
        response: { 201: projectResultResponse },
      },
    },
    async (request, reply) => {
      const result = await projects.addResult(
        actorOfPrincipal(callerOf(request)),
        request.params.projectId,
        request.body,
      );
      return reply.code(201).send(result);
    },
  );

  // A POST with a body rather than a DELETE: the result is not deleted but marked removed, and
  // the reason travels in a JSON body as for permits (a DELETE body has no defined meaning and
  // some clients and proxies drop it; a query string is length-limited and lands in access logs).
  app.post(
    '/api/v1/projects/:projectId/results/:resultId/remove',
    {
      config: { access: { roles: ['researcher', 'admin'] } },
      schema: {
        tags: ['projects'],
        summary:
          'Withdraw a result from the public directory; it stays on record, marked removed (the team, administrators; a reason is required)',
        params: z.object({ projectId: idSchema, resultId: idSchema }),
        body: reasonBody,
        response: { 200: projectResultResponse },
      },
    },
    async (request) =>
      projects.removeResult(
        actorOfPrincipal(callerOf(request)),
        request.params.projectId,
        request.params.resultId,
        request.body.reason,
      ),
  );
};
