/** Expected access of the data and citizen routes (`METHOD url` → who may call), for route-access.test. */
import type { ExpectedAccess } from './access-table.js';

/** The data and citizen routes' access table. */
export const DATA_ACCESS: Readonly<Record<string, ExpectedAccess>> = {
  'GET /api/v1/permits/:permitId/population': ['researcher'],
  'POST /api/v1/projects/:projectId/queries': ['researcher'],
  'GET /api/v1/projects/:projectId/queries': ['researcher', 'output_checker', 'admin', 'auditor'],
  'GET /api/v1/queries/:runId': ['researcher', 'output_checker', 'admin', 'auditor'],
  'POST /api/v1/queries/:runId/release-requests': ['researcher'],
  'GET /api/v1/release-requests': ['output_checker', 'admin'],
  'GET /api/v1/release-requests/:requestId': ['researcher', 'output_checker', 'admin', 'auditor'],
  'GET /api/v1/projects/:projectId/release-requests': [
    'researcher',
    'output_checker',
    'admin',
    'auditor',
  ],
  'POST /api/v1/release-requests/:requestId/decision': ['output_checker'],
  'POST /api/v1/release-requests/:requestId/withdraw': ['researcher'],
  'GET /api/v1/releases/:releaseId/download': ['researcher'],
  'POST /api/v1/citizen/identify': 'public',
  'GET /api/v1/citizen/opt-out': ['citizen'],
  'POST /api/v1/citizen/opt-out': ['citizen'],
  'DELETE /api/v1/citizen/opt-out': ['citizen'],
  'GET /api/v1/citizen/data-uses': ['citizen'],
};
