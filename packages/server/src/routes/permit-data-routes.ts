/**
 * Data through a permit: every route here opens a permit-scoped data access object for the
 * request (`openPermitDataAccess`), which checks membership and scope and records the access,
 * allowed or refused. Routes never touch the warehouse themselves.
 */
import { z } from 'zod';
import { isHygieError } from '@hygie/core';
import type { PermitScope } from '@hygie/core';
import {
  openPermitDataAccess,
  populationCountRequest,
  suppressSmallCount,
} from '../data-access/permit-data-access.js';
import type { RoutePlugin } from '../deps.js';
import { callerOf } from './governance-caller.js';
import { idSchema } from './governance-schemas.js';

/** Registers `/api/v1/permits/:permitId/population`. */
export const permitDataRoutes: RoutePlugin = (app, deps) => {
  app.get(
    '/api/v1/permits/:permitId/population',
    {
      config: { access: { roles: ['researcher'] } },
      schema: {
        tags: ['data'],
        summary:
          "Size of the permit's population (opted-out persons excluded), for members of its " +
          'project; below the minimum cell size the count is withheld',
        params: z.object({ permitId: idSchema }),
        response: {
          200: z.object({
            permitId: z.string(),
            count: z.number().int().nullable(),
            suppressed: z.boolean(),
            minCellSize: z.number().int(),
          }),
        },
      },
    },
    async (request) => {
      const { permitId } = request.params;
      // The scope says which table's person_id the count reads; authorize decides (and records)
      // whether the caller may, also when the permit does not exist.
      let scope: PermitScope | null = null;
      try {
        scope = (await deps.governance.permits.get(permitId)).scope;
      } catch (e) {
        if (!isHygieError(e, 'HYG_NOT_FOUND')) throw e;
      }
      const access = await openPermitDataAccess({
        store: deps.governance,
        warehouse: deps.warehouse,
        principal: callerOf(request),
        permitId,
        request: populationCountRequest(scope),
        audit: deps.audit,
        optOutMirror: deps.optOutMirror,
      });
      const count = await access.countPersons();
      return {
        permitId: access.permitId,
        ...suppressSmallCount(count, access.minCellSize),
        minCellSize: access.minCellSize,
      };
    },
  );
};
