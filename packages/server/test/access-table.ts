/**
 * The hand-written access table of every route: who may call it. Written out by hand (not read
 * from the routes) so that a route whose access changes, or a new route nobody classified, fails
 * route-access.test.
 */
import type { Role } from '@hygie/core';
import { CONSOLE_ACCESS } from './access-table-console.js';
import { DATA_ACCESS } from './access-table-data.js';
import { GOVERNANCE_ACCESS } from './access-table-governance.js';

/** Who may call a route. */
export type ExpectedAccess = 'public' | 'authenticated' | readonly Role[];

/** Every route (`METHOD url`) and who may call it. */
export const ACCESS_TABLE: Readonly<Record<string, ExpectedAccess>> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/static/*': 'public',
  'GET /docs/json': 'public',
  'GET /docs/yaml': 'public',
  'GET /docs/static/index.html': 'public',
  'GET /docs/static/swagger-initializer.js': 'public',
  'GET /api/v1/me': 'authenticated',
  // The public transparency log (issue #6).
  'GET /api/v1/transparency/head': 'public',
  'GET /api/v1/transparency/heads': 'public',
  'GET /api/v1/transparency/entries': 'public',
  'GET /api/v1/transparency/permits/:permitId/entries': 'public',
  'GET /api/v1/transparency/proofs/inclusion': 'public',
  'GET /api/v1/transparency/proofs/consistency': 'public',
  'GET /api/v1/transparency/export': 'public',
  'GET /api/v1/transparency/public-key': 'public',
  // Population-health monitoring (issue #7): public-health analysts, and administrators.
  'GET /api/v1/surveillance/indicators': ['analyst', 'admin'],
  'GET /api/v1/surveillance/series': ['analyst', 'admin'],
  'GET /api/v1/surveillance/alerts': ['analyst', 'admin'],
  'GET /api/v1/surveillance/runs': ['analyst', 'admin'],
  'POST /api/v1/surveillance/runs': ['analyst', 'admin'],
  ...GOVERNANCE_ACCESS,
  ...DATA_ACCESS,
  ...CONSOLE_ACCESS,
};
