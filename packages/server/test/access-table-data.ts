/** Expected access of the data and citizen routes (`METHOD url` → who may call), for route-access.test. */
import type { ExpectedAccess } from './access-table.js';

/** The data and citizen routes' access table. */
export const DATA_ACCESS: Readonly<Record<string, ExpectedAccess>> = {};
