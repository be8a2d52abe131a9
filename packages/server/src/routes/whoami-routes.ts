/** `GET /api/v1/me`: the authenticated caller's id and roles (never credentials). */
import { z } from 'zod';
import { ROLES } from '../roles.js';
import type { RoutePlugin } from '../deps.js';

/** Registers `/api/v1/me`. */
export const whoamiRoutes: RoutePlugin = (app) => {
  app.get(
    '/api/v1/me',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: ['identity'],
        summary: 'Who am I',
        response: {
          200: z.object({
            userId: z.string().nullable(),
            roles: z.array(z.enum(ROLES)),
            via: z.enum(['api-token', 'session', 'citizen-session']),
          }),
        },
      },
    },
    async (request) => {
      const p = request.principal;
      if (p === null)
        throw new Error('unreachable: access control admits authenticated callers only');
      return { userId: p.userId, roles: [...p.roles], via: p.via };
    },
  );
};
