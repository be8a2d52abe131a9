/**
 * The data catalogue (issue #8): the tables a permit may grant with their variables, and the
 * disclosure-controlled descriptive statistics of one table (see `catalogue/catalogue-stats.ts`
 * for what is shown, what is withheld and how the statistics are cached). Any logged-in user may
 * read it: researchers use it to choose what to request. Every read is audited (`catalogue.read`,
 * with the table and the shape of the answer, never a value).
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AuditDetails } from '@hygie/core';
import {
  CATALOGUE_TABLES,
  CatalogueCache,
  catalogueTable,
  computeTableStats,
  warehouseFingerprint,
} from '../catalogue/catalogue-stats.js';
import type { ResolvedDeps, RoutePlugin } from '../deps.js';
import { roleLabel } from '../roles.js';
import { callerOf } from './governance-caller.js';

const TAGS = ['catalogue'];
const AUTHENTICATED = { authenticated: true } as const;

const controlledCount = z.object({ value: z.number().nullable(), suppressed: z.boolean() });

const variableStats = z.object({
  name: z.string(),
  type: z.string(),
  description: z.string(),
  nonNull: controlledCount,
  completeness: z.number().nullable(),
  completenessSuppressed: z.boolean(),
  distinct: z.number().nullable(),
  topValues: z
    .array(
      z.object({
        value: z.string(),
        count: z.number(),
        concept: z
          .object({ code: z.string(), vocabulary: z.string(), name: z.string() })
          .nullable()
          .optional(),
      }),
    )
    .nullable(),
  rareValues: z.number().nullable(),
  quantiles: z
    .object({
      p5: z.union([z.number(), z.string()]).nullable(),
      p25: z.union([z.number(), z.string()]).nullable(),
      p50: z.union([z.number(), z.string()]).nullable(),
      p75: z.union([z.number(), z.string()]).nullable(),
      p95: z.union([z.number(), z.string()]).nullable(),
    })
    .nullable(),
});

async function audited(
  deps: ResolvedDeps,
  request: FastifyRequest,
  targetId: string | null,
  details: AuditDetails,
): Promise<void> {
  const p = callerOf(request);
  await deps.audit.record({
    actorRole: roleLabel(p),
    actorId: p.actorId,
    action: 'catalogue.read',
    targetType: 'catalogue',
    targetId,
    decision: 'allow',
    details,
  });
}

/** Registers `/api/v1/catalogue` and `/api/v1/catalogue/:table`. */
export const catalogueRoutes: RoutePlugin = (app, deps) => {
  const k = deps.config.minCellSize;
  const cache = new CatalogueCache();

  app.get(
    '/api/v1/catalogue',
    {
      config: { access: AUTHENTICATED },
      schema: {
        tags: TAGS,
        summary: 'The warehouse tables a permit may grant, and their variables',
        response: {
          200: z.object({
            cdmVersion: z.string(),
            minCellSize: z.number(),
            tables: z.array(
              z.object({
                name: z.string(),
                kind: z.string(),
                description: z.string(),
                personLevel: z.boolean(),
                variables: z.array(
                  z.object({
                    name: z.string(),
                    type: z.string(),
                    nullable: z.boolean(),
                    description: z.string(),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const tables = CATALOGUE_TABLES.map((t) => ({
        name: t.name,
        kind: t.kind,
        description: t.description,
        personLevel: t.personKey !== undefined,
        variables: t.columns.map((c) => ({
          name: c.name,
          type: c.type,
          nullable: c.nullable,
          description: c.description,
        })),
      }));
      await audited(deps, request, null, { result: 'tables', tables: tables.length });
      return { cdmVersion: 'v5.4', minCellSize: k, tables };
    },
  );

  app.get(
    '/api/v1/catalogue/:table',
    {
      config: { access: AUTHENTICATED },
      schema: {
        tags: TAGS,
        summary:
          'Descriptive statistics of a table: rows, completeness, distinct values, top values, quantiles (disclosure-controlled)',
        params: z.object({ table: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/) }),
        response: {
          200: z.object({
            table: z.string(),
            kind: z.string(),
            rows: controlledCount,
            minCellSize: z.number(),
            optOutsExcluded: z.boolean(),
            dataAsOf: z.string().nullable(),
            computedAt: z.string(),
            cached: z.boolean(),
            variables: z.array(variableStats),
          }),
        },
      },
    },
    async (request) => {
      const table = catalogueTable(request.params.table);
      // Opted-out persons are left out of person-level statistics: the mirror must be current.
      if (table.personKey !== undefined) await deps.optOutMirror.ensureFresh();
      const fp = await warehouseFingerprint(deps.warehouse);
      const cached = cache.has(table.name, fp.key);
      const stats = await cache.get(table.name, fp.key, () =>
        computeTableStats(deps.warehouse, table, k, { dataAsOf: fp.dataAsOf, now: deps.clock() }),
      );
      await audited(deps, request, table.name, {
        result: 'table-statistics',
        table: table.name,
        variables: stats.variables.length,
        cached,
      });
      return { ...stats, cached };
    },
  );
};
