/**
 * Deny by default: every route must declare its access (`config.access`) or registration fails;
 * each request is authenticated, then checked against the route's access. A refused request is
 * recorded in the audit trail (DESIGN.md §4.3: refused accesses too).
 */
import { HygieError } from '@hygie/core';
import type { HygieApp, RouteInfo } from '../app-types.js';
import type { ResolvedDeps } from '../deps.js';
import { allows, roleLabel } from '../roles.js';

/** Installs authentication and the access check; fills `routes` as routes are registered. */
export function registerAccessControl(
  app: HygieApp,
  deps: ResolvedDeps,
  routes: RouteInfo[],
): void {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    const url = route.url;
    if (route.config?.access === undefined) {
      // The documentation pages of @fastify/swagger-ui are public by design; nothing else is.
      if (url === '/docs' || url.startsWith('/docs/')) {
        route.config = { ...(route.config ?? {}), access: { public: true } };
      } else {
        throw new HygieError(
          'HYG_INTERNAL',
          `route ${String(route.method)} ${url} declares no access: refused (deny by default)`,
        );
      }
    }
    const access = route.config?.access ?? { public: true };
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (method === 'HEAD') continue;
      routes.push({ method, url, access });
    }
  });
  // onRequest, before the body is parsed and validated: a caller who may not call the route
  // learns nothing of its schema, and an anonymous body is never parsed.
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    // Only the not-found handler has no declared access (onRoute refuses every other route).
    if (access === undefined) return;
    try {
      request.principal = await deps.authenticator.authenticate(request.headers.authorization);
    } catch (err) {
      // A public route answers anonymous callers, even with a stale token in the header.
      if (!('public' in access)) throw err;
      request.principal = null;
    }
    if (allows(access, request.principal)) return;
    const code = request.principal === null ? 'HYG_UNAUTHENTICATED' : 'HYG_FORBIDDEN';
    await deps.audit.record({
      actorRole: roleLabel(request.principal),
      actorId: request.principal?.actorId ?? null,
      action: 'http.request',
      targetType: 'route',
      targetId: `${request.method} ${request.routeOptions.url ?? ''}`,
      decision: 'deny',
      reason: code,
    });
    throw new HygieError(
      code,
      request.principal === null ? 'authentication required' : 'your role does not allow this',
      {
        reason: 'route-access',
      },
    );
  });
}
