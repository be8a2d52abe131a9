/**
 * The public directory of projects, without login: what is done with the nation's health data,
 * by whom (display names and project roles), with which data, under which permits and until
 * when. The store builds each entry from a whitelist of public fields; the response schema
 * repeats that whitelist, so a field the store adds later is not published until it is listed
 * here too. Projects appear once an application has been submitted.
 */
import { z } from 'zod';
import type { RoutePlugin } from '../deps.js';
import { directoryEntryResponse, idSchema } from './governance-schemas.js';

const PUBLIC = { public: true } as const;

/** Registers `/api/v1/directory/*`. */
export const directoryRoutes: RoutePlugin = (app, deps) => {
  app.get(
    '/api/v1/directory/projects',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['directory'],
        summary: 'Public directory: every listed project, newest first',
        security: [],
        response: { 200: z.array(directoryEntryResponse) },
      },
    },
    async () => deps.governance.directory.list(),
  );

  app.get(
    '/api/v1/directory/projects/:projectId',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['directory'],
        summary: 'Public directory: one listed project',
        security: [],
        params: z.object({ projectId: idSchema }),
        response: { 200: directoryEntryResponse },
      },
    },
    async (request) => deps.governance.directory.get(request.params.projectId),
  );
};
