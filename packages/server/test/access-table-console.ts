/** Expected access of the web console's read routes (issue #8), for route-access.test. */
import type { ExpectedAccess } from './access-table.js';

/** The catalogue, concept search and administration routes' access table. */
export const CONSOLE_ACCESS: Readonly<Record<string, ExpectedAccess>> = {
  // The data catalogue and concept search: any logged-in user (researchers choose data with it).
  'GET /api/v1/catalogue': 'authenticated',
  'GET /api/v1/catalogue/:table': 'authenticated',
  'GET /api/v1/concepts': 'authenticated',
  // Operations views: administrators only.
  'GET /api/v1/admin/batches': ['admin'],
  'GET /api/v1/admin/batches/:batchId/quarantine': ['admin'],
  'GET /api/v1/admin/keys': ['admin'],
};
