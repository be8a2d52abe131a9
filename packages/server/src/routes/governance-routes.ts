/** Routes of the governance areas: accounts and sessions, projects, applications, permits, audit, directory. */
import type { RoutePlugin } from '../deps.js';

/** The governance route plugins, in registration order. */
export const GOVERNANCE_ROUTES: readonly RoutePlugin[] = [];
