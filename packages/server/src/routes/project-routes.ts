/**
 * Research projects and their teams. Researchers create projects and see their own; reviewers,
 * administrators and auditors see every project. Who may edit, change the team or close a
 * project (the team, its principal investigator, administrators) is the store's rule: the route
 * admits researchers and administrators and the store refuses the rest, with an audit record.
 */
import { z } from 'zod';
import { projectInputSchema, projectPatchSchema, teamMemberSchema } from '@hygie/core';
import type { RoutePlugin } from '../deps.js';
import { actorOfPrincipal } from '../roles.js';
import { assertMayReadProject, callerOf, oversees } from './governance-caller.js';
import { idSchema, projectResponse } from './governance-schemas.js';

const projectParams = z.object({ projectId: idSchema });

/** Registers `/api/v1/projects` and the team routes. */
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
};
