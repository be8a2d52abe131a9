/** Expected access of the data and citizen routes (`METHOD url` → who may call), for route-access.test. */
import type { ExpectedAccess } from './access-table.js';

/** The data and citizen routes' access table. */
export const DATA_ACCESS: Readonly<Record<string, ExpectedAccess>> = {
  'GET /api/v1/permits/:permitId/population': ['researcher'],
  'POST /api/v1/citizen/identify': 'public',
  'GET /api/v1/citizen/opt-out': ['citizen'],
  'POST /api/v1/citizen/opt-out': ['citizen'],
  'DELETE /api/v1/citizen/opt-out': ['citizen'],
  'GET /api/v1/citizen/data-uses': ['citizen'],
};
