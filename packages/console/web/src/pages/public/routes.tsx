/** The public pages: home, project directory, transparency log. */
import type { AreaRoute } from '../area-route';
import { DirectoryPage } from './DirectoryPage';
import { HomePage } from './HomePage';
import { ProjectPage } from './ProjectPage';
import { TransparencyPage } from './TransparencyPage';

export const publicRoutes: readonly AreaRoute[] = [
  { path: '/', element: <HomePage /> },
  { path: '/projets', element: <DirectoryPage /> },
  { path: '/projets/:projectId', element: <ProjectPage /> },
  { path: '/transparence', element: <TransparencyPage /> },
];
