/** Expected access of the governance routes (`METHOD url` → who may call), for route-access.test. */
import type { ExpectedAccess } from './access-table.js';

const ADMIN = ['admin'] as const;
/** Readers of projects, applications and permits (researchers: their own projects only). */
const READERS = ['researcher', 'admin', 'reviewer', 'auditor'] as const;
/** Who may change a project (the store narrows it to the team, its lead, administrators). */
const PROJECT_WRITERS = ['researcher', 'admin'] as const;
const PERMIT_STEWARDS = ['reviewer', 'admin'] as const;

/** The governance routes' access table. */
export const GOVERNANCE_ACCESS: Readonly<Record<string, ExpectedAccess>> = {
  // Sessions and the caller's own account.
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/oidc': 'public',
  'POST /api/v1/auth/logout': 'authenticated',
  'GET /api/v1/me/tokens': 'authenticated',
  'POST /api/v1/me/tokens': 'authenticated',
  'DELETE /api/v1/me/tokens/:tokenId': 'authenticated',
  'POST /api/v1/me/password': 'authenticated',

  // Account administration.
  'GET /api/v1/users': ADMIN,
  'POST /api/v1/users': ADMIN,
  'GET /api/v1/users/:userId': ADMIN,
  'PUT /api/v1/users/:userId/roles': ADMIN,
  'POST /api/v1/users/:userId/disable': ADMIN,
  'POST /api/v1/users/:userId/enable': ADMIN,
  'POST /api/v1/users/:userId/unlock': ADMIN,
  'POST /api/v1/users/:userId/password': ADMIN,
  'GET /api/v1/users/:userId/tokens': ADMIN,
  'DELETE /api/v1/users/:userId/tokens/:tokenId': ADMIN,
  'GET /api/v1/users/:userId/oidc-identities': ADMIN,
  'POST /api/v1/users/:userId/oidc-identities': ADMIN,
  'DELETE /api/v1/users/:userId/oidc-identities': ADMIN,

  // Projects, teams and results.
  'POST /api/v1/projects': ['researcher'],
  'GET /api/v1/projects': READERS,
  'GET /api/v1/projects/:projectId': READERS,
  'PATCH /api/v1/projects/:projectId': PROJECT_WRITERS,
  'POST /api/v1/projects/:projectId/members': PROJECT_WRITERS,
  'DELETE /api/v1/projects/:projectId/members/:userId': PROJECT_WRITERS,
  'POST /api/v1/projects/:projectId/close': PROJECT_WRITERS,
  'GET /api/v1/projects/:projectId/results': READERS,
  'POST /api/v1/projects/:projectId/results': PROJECT_WRITERS,
  'POST /api/v1/projects/:projectId/results/:resultId/remove': PROJECT_WRITERS,

  // Applications and their workflow.
  'POST /api/v1/projects/:projectId/applications': ['researcher'],
  'GET /api/v1/projects/:projectId/applications': READERS,
  'GET /api/v1/applications': ['reviewer', 'admin', 'auditor'],
  'GET /api/v1/applications/:applicationId': READERS,
  'PATCH /api/v1/applications/:applicationId': ['researcher'],
  'POST /api/v1/applications/:applicationId/submit': ['researcher'],
  'POST /api/v1/applications/:applicationId/start-review': ['reviewer', 'admin'],
  'POST /api/v1/applications/:applicationId/reviews': ['reviewer'],
  'GET /api/v1/applications/:applicationId/events': READERS,
  'GET /api/v1/applications/:applicationId/reviews': READERS,
  'GET /api/v1/applications/:applicationId/versions': READERS,

  // Permits.
  'GET /api/v1/permits': READERS,
  'GET /api/v1/permits/:permitId': READERS,
  'GET /api/v1/permits/:permitId/history': READERS,
  'POST /api/v1/permits/:permitId/suspend': PERMIT_STEWARDS,
  'POST /api/v1/permits/:permitId/reinstate': PERMIT_STEWARDS,
  'POST /api/v1/permits/:permitId/revoke': PERMIT_STEWARDS,

  // The audit trail.
  'GET /api/v1/audit': ['auditor', 'admin'],

  // The public directory.
  'GET /api/v1/directory/projects': 'public',
  'GET /api/v1/directory/projects/:projectId': 'public',
};
