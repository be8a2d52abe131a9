/** Routes of the governance areas: accounts and sessions, projects, applications, permits, audit, directory. */
import type { RoutePlugin } from '../deps.js';
import { applicationRoutes } from './application-routes.js';
import { auditRoutes } from './audit-routes.js';
import { authRoutes } from './auth-routes.js';
import { directoryRoutes } from './directory-routes.js';
import { permitRoutes } from './permit-routes.js';
import { projectRoutes } from './project-routes.js';
import { userRoutes } from './user-routes.js';

/** The governance route plugins, in registration order. */
export const GOVERNANCE_ROUTES: readonly RoutePlugin[] = [
  authRoutes,
  userRoutes,
  projectRoutes,
  applicationRoutes,
  permitRoutes,
  auditRoutes,
  directoryRoutes,
];
