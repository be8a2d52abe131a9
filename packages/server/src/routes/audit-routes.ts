/**
 * The audit trail, read by auditors and administrators: every governance action and data access,
 * allowed, denied or failed, with pseudonymous references only. Paged by id (`afterId`), which
 * is stable under appends, unlike an offset.
 */
import { z } from 'zod';
import { AUDIT_DECISIONS } from '@hygie/core';
import type { RoutePlugin } from '../deps.js';
import { auditEventResponse } from './governance-schemas.js';

/** Events per page by default, and at most. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

const instantQuery = z.iso.datetime({ offset: true });

/** Registers `GET /api/v1/audit`. */
export const auditRoutes: RoutePlugin = (app, deps) => {
  app.get(
    '/api/v1/audit',
    {
      config: { access: { roles: ['auditor', 'admin'] } },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, oldest first, one page at a time',
        description:
          'Every filter narrows. To read on, pass the `nextAfterId` of a page as `afterId`; it is ' +
          'null on the last page.',
        querystring: z.object({
          action: z.string().min(1).max(100).optional(),
          actionPrefix: z.string().min(1).max(100).optional().describe('e.g. `application.`'),
          decision: z.enum(AUDIT_DECISIONS).optional(),
          actorId: z.string().min(1).max(200).optional(),
          targetType: z.string().min(1).max(100).optional(),
          targetId: z.string().min(1).max(200).optional(),
          permitId: z.string().min(1).max(200).optional(),
          from: instantQuery.optional().describe('From this instant, included'),
          to: instantQuery.optional().describe('Until this instant, excluded'),
          afterId: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
        }),
        response: {
          200: z.object({
            events: z.array(auditEventResponse),
            nextAfterId: z.number().int().nullable(),
          }),
        },
      },
    },
    async (request) => {
      const events = await deps.governance.audit.list(request.query);
      // A full page may have a next one; a short page is the last.
      const last = events.at(-1);
      return {
        events,
        nextAfterId: events.length === request.query.limit && last ? last.id : null,
      };
    },
  );
};
