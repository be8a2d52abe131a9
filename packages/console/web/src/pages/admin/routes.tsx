/** The administrators' pages: ingestion batches and their quarantine, keys, accounts. */
import type { AreaRoute } from '../area-route';
import { BatchesPanel } from './BatchesPanel';
import { KeysPanel } from './KeysPanel';
import { QuarantinePage } from './QuarantinePage';
import { UsersPanel } from './UsersPanel';

export const adminRoutes: readonly AreaRoute[] = [
  { path: '/admin', element: <BatchesPanel /> },
  { path: '/admin/lots/:batchId', element: <QuarantinePage /> },
  { path: '/admin/cles', element: <KeysPanel /> },
  { path: '/admin/comptes', element: <UsersPanel /> },
];
