/** The pages of the public-health analyst (surveillance): the map, an area's series, the alarms. */
import { Suspense, lazy } from 'react';
import type { ReactNode } from 'react';
import { Loading } from '../../components/Loading';
import { RequireRole } from '../../components/RequireRole';
import type { AreaRoute } from '../area-route';

// Loaded on demand: the map's geometry and the charts are for analysts only, not every visitor.
const MapPage = lazy(() => import('./MapPage').then((m) => ({ default: m.MapPage })));
const SeriesPage = lazy(() => import('./SeriesPage').then((m) => ({ default: m.SeriesPage })));
const AlertsPage = lazy(() => import('./AlertsPage').then((m) => ({ default: m.AlertsPage })));

/** Analysts and administrators only (the server refuses the calls to anyone else anyway). */
function Analysts({ children }: { children: ReactNode }): ReactNode {
  return (
    <RequireRole roles={['analyst', 'admin']}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </RequireRole>
  );
}

export const analystRoutes: readonly AreaRoute[] = [
  {
    path: '/veille',
    element: (
      <Analysts>
        <MapPage />
      </Analysts>
    ),
  },
  {
    path: '/veille/serie/:level/:area',
    element: (
      <Analysts>
        <SeriesPage />
      </Analysts>
    ),
  },
  {
    path: '/veille/alertes',
    element: (
      <Analysts>
        <AlertsPage />
      </Analysts>
    ),
  },
];
