/**
 * Governed queries (issue #5): a researcher runs an analytic query under a permit of their
 * project; the result comes back after disclosure control and is recorded as a run. The route
 * never touches the warehouse: `runGovernedQuery` opens the permit's data access object, which
 * checks and audits.
 */
import { z } from 'zod';
import type { DisclosurePolicyInput } from '@hygie/core';
import { memberDisclosureView, runGovernedQuery } from '../analytics/governed-query.js';
import type { RoutePlugin } from '../deps.js';
import { actorOfPrincipal } from '../roles.js';
import type { Principal } from '../roles.js';
import { callerOf } from './governance-caller.js';
import { idSchema } from './governance-schemas.js';

/** Roles that read every project's outputs (the store checks membership for the others). */
const FULL_REPORT_ROLES = ['output_checker', 'admin', 'auditor'] as const;

/** True when the caller reads disclosure reports in full (per-position reasons included). */
export function readsFullReport(p: Principal): boolean {
  return p.roles.some((r) => (FULL_REPORT_ROLES as readonly string[]).includes(r));
}

/** A stored result as `p` may see it (see `memberDisclosureView`). */
export function resultFor<T extends { disclosure: unknown } | null>(p: Principal, result: T): T {
  if (result === null || readsFullReport(p)) return result;
  return { ...result, disclosure: memberDisclosureView(result.disclosure) };
}

const runSummary = z.object({
  id: z.string(),
  projectId: z.string(),
  permitId: z.string(),
  userId: z.string(),
  queryHash: z.string(),
  engine: z.string(),
  status: z.string(),
  errorCode: z.string().nullable(),
  epsilon: z.number(),
  delta: z.number(),
  startedAt: z.string(),
  finishedAt: z.string(),
  recordedAt: z.string(),
});

/** Registers the query routes. */
export const queryRoutes: RoutePlugin = (app, deps) => {
  const runs = deps.governance.queryRuns;

  app.post(
    '/api/v1/projects/:projectId/queries',
    {
      config: { access: { roles: ['researcher'] } },
      schema: {
        tags: ['queries'],
        summary:
          'Run an analytic query under a permit of the project (members); the result comes back ' +
          'after disclosure control, and the run is recorded',
        params: z.object({ projectId: idSchema }),
        body: z.strictObject({
          permitId: idSchema,
          query: z.record(z.string(), z.unknown()),
          disclosure: z.record(z.string(), z.unknown()).optional(),
        }),
      },
    },
    async (request, reply) => {
      const p = callerOf(request);
      const { run, result } = await runGovernedQuery(deps, p, {
        projectId: request.params.projectId,
        permitId: request.body.permitId,
        query: request.body.query,
        // Validated by the disclosure module (HYG_INVALID_ARGUMENT naming the field).
        disclosure: request.body.disclosure as DisclosurePolicyInput | undefined,
      });
      return reply.code(201).send({
        runId: run.id,
        queryHash: run.queryHash,
        status: run.status,
        epsilon: run.epsilon,
        delta: run.delta,
        result: resultFor(p, result),
      });
    },
  );

  app.get(
    '/api/v1/projects/:projectId/queries',
    {
      config: { access: { roles: ['researcher', 'output_checker', 'admin', 'auditor'] } },
      schema: {
        tags: ['queries'],
        summary:
          "The project's query runs, newest first (members, output checkers, admins, auditors)",
        params: z.object({ projectId: idSchema }),
        response: { 200: z.array(runSummary) },
      },
    },
    async (request) =>
      runs.listByProject(actorOfPrincipal(callerOf(request)), request.params.projectId),
  );

  app.get(
    '/api/v1/queries/:runId',
    {
      config: { access: { roles: ['researcher', 'output_checker', 'admin', 'auditor'] } },
      schema: {
        tags: ['queries'],
        summary:
          'A query run with its query and controlled result (members see the disclosure report ' +
          'without per-cell reasons; output checkers, admins and auditors in full)',
        params: z.object({ runId: idSchema }),
      },
    },
    async (request) => {
      const p = callerOf(request);
      const run = await runs.get(actorOfPrincipal(p), request.params.runId);
      return { ...run, result: resultFor(p, run.result) };
    },
  );
};
