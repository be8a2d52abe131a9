/** Expected access of the governance routes (`METHOD url` → who may call), for route-access.test. */
import type { ExpectedAccess } from './access-table.js';

/** The governance routes' access table. */
export const GOVERNANCE_ACCESS: Readonly<Record<string, ExpectedAccess>> = {};
