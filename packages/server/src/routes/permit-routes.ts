/**
 * Permits: reading them (the project's members, reviewers, administrators, auditors) and changing
 * their status — suspend, reinstate, revoke — which the access committee and administrators do,
 * always with a reason. Permits are issued by the approving review (application routes), never
 * here. Expiry is the store's: every read first marks the permits past their date as expired.
 *
 * Helper routes that use a permit (`/api/v1/permits/:permitId/...` for data) are registered by
 * the data routes; the parameter is named `permitId` in both so that the paths do not clash.
 */
import { z } from 'zod';
import { PERMIT_STATUSES } from '@hygie/core';
import type { Permit } from '@hygie/governance';
import type { ResolvedDeps, RoutePlugin } from '../deps.js';
import { actorOfPrincipal } from '../roles.js';
import type { Principal } from '../roles.js';
import { assertMayReadProject, callerOf, oversees } from './governance-caller.js';
import { idSchema, permitEventResponse, permitResponse, reasonBody } from './governance-schemas.js';

const READERS = { roles: ['researcher', 'admin', 'reviewer', 'auditor'] } as const;
const permitParams = z.object({ permitId: idSchema });

/** The permit, once the caller is known to be allowed to read it. */
async function readablePermit(deps: ResolvedDeps, p: Principal, permitId: string): Promise<Permit> {
  const permit = await deps.governance.permits.get(permitId);
  const project = await deps.governance.projects.get(permit.projectId);
  await assertMayReadProject(deps, p, project, {
    action: 'permit.read',
    targetType: 'permit',
    targetId: permit.id,
    permitId: permit.id,
  });
  return permit;
}

/** Registers `/api/v1/permits/*` (reading and status changes). */
export const permitRoutes: RoutePlugin = (app, deps) => {
  const permits = deps.governance.permits;

  app.get(
    '/api/v1/permits',
    {
      config: { access: READERS },
      schema: {
        tags: ['permits'],
        summary:
          'Permits, newest first: all for reviewers, administrators, auditors; a researcher’s projects’',
        querystring: z.object({ status: z.enum(PERMIT_STATUSES).optional() }),
        response: { 200: z.array(permitResponse) },
      },
    },
    async (request) => {
      const p = callerOf(request);
      const all = await permits.list({ status: request.query.status });
      if (oversees(p)) return all;
      if (p.userId === null) return [];
      const mine = new Set(
        (await deps.governance.projects.listForMember(p.userId)).map((x) => x.id),
      );
      return all.filter((permit) => mine.has(permit.projectId));
    },
  );

  app.get(
    '/api/v1/permits/:permitId',
    {
      config: { access: READERS },
      schema: {
        tags: ['permits'],
        summary: 'One permit (members of its project, reviewers, administrators, auditors)',
        params: permitParams,
        response: { 200: permitResponse },
      },
    },
    async (request) => readablePermit(deps, callerOf(request), request.params.permitId),
  );

  app.get(
    '/api/v1/permits/:permitId/history',
    {
      config: { access: READERS },
      schema: {
        tags: ['permits'],
        summary: "A permit's status changes (who, when, from, to, why), oldest first",
        params: permitParams,
        response: { 200: z.array(permitEventResponse) },
      },
    },
    async (request) => {
      const permit = await readablePermit(deps, callerOf(request), request.params.permitId);
      return permits.history(permit.id);
    },
  );

  const actions = {
    suspend: {
      run: permits.suspend,
      summary: 'Suspend an active permit: it refuses every use until reinstated',
    },
    reinstate: {
      run: permits.reinstate,
      summary: 'Reinstate a suspended permit that has not expired',
    },
    revoke: {
      run: permits.revoke,
      summary: 'Revoke an active or suspended permit, for good',
    },
  } as const;
  for (const [name, action] of Object.entries(actions)) {
    app.post(
      `/api/v1/permits/:permitId/${name}`,
      {
        config: { access: { roles: ['reviewer', 'admin'] } },
        schema: {
          tags: ['permits'],
          summary: `${action.summary} (reviewers, administrators; a reason is required)`,
          params: permitParams,
          body: reasonBody,
          response: { 200: permitResponse },
        },
      },
      async (request) =>
        action.run(
          actorOfPrincipal(callerOf(request)),
          request.params.permitId,
          request.body.reason,
        ),
    );
  }
};
