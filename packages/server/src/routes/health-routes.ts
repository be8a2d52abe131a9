/** Liveness and readiness probes, public and without detail. */
import { z } from 'zod';
import type { RoutePlugin } from '../deps.js';

/** Registers `/healthz` (the process answers) and `/readyz` (the stores answer). */
export const healthRoutes: RoutePlugin = (app, deps) => {
  app.get(
    '/healthz',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['health'],
        summary: 'Liveness',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['health'],
        summary: 'Readiness: warehouse and governance store answer',
        response: {
          200: z.object({ status: z.literal('ready') }),
          503: z.object({ status: z.literal('not ready') }),
        },
      },
    },
    async (request, reply) => {
      try {
        await deps.warehouse.query('SELECT 1 AS ok');
        await deps.governance.ping();
        await deps.ready?.();
        return { status: 'ready' as const };
      } catch (err) {
        request.log.warn({ err }, 'not ready');
        return reply.status(503).send({ status: 'not ready' as const });
      }
    },
  );
};
