/** Routes that reach person data through a permit, the airlock, and the citizens' routes. */
import type { RoutePlugin } from '../deps.js';
import { citizenRoutes } from './citizen-routes.js';
import { permitDataRoutes } from './permit-data-routes.js';
import { queryRoutes } from './query-routes.js';
import { releaseRoutes } from './release-routes.js';

/** The data and citizen route plugins, in registration order. */
export const DATA_ROUTES: readonly RoutePlugin[] = [
  permitDataRoutes,
  queryRoutes,
  releaseRoutes,
  citizenRoutes,
];
