/**
 * Every area's routes, in registration order. Each file registers the routes of one area and
 * declares, per route, who may call it (deny by default).
 */
import type { RoutePlugin } from '../deps.js';
import { adminRoutes } from './admin-routes.js';
import { catalogueRoutes } from './catalogue-routes.js';
import { conceptRoutes } from './concept-routes.js';
import { DATA_ROUTES } from './data-routes.js';
import { GOVERNANCE_ROUTES } from './governance-routes.js';
import { healthRoutes } from './health-routes.js';
import { surveillanceRoutes } from './surveillance-routes.js';
import { transparencyRoutes } from './transparency-routes.js';
import { whoamiRoutes } from './whoami-routes.js';

/** The route plugins of the API. */
export const ROUTE_PLUGINS: readonly RoutePlugin[] = [
  healthRoutes,
  whoamiRoutes,
  ...GOVERNANCE_ROUTES,
  ...DATA_ROUTES,
  surveillanceRoutes,
  transparencyRoutes,
  catalogueRoutes,
  conceptRoutes,
  adminRoutes,
];
