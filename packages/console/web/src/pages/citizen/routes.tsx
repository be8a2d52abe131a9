/** The pages of the citizen area. */
import type { AreaRoute } from '../area-route';
import { CitizenPage } from './CitizenPage';

export const citizenRoutes: readonly AreaRoute[] = [
  { path: '/mes-donnees', element: <CitizenPage /> },
];
