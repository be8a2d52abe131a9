/** The pages of the researcher area, each for the `researcher` role. */
import type { ReactNode } from 'react';
import { RequireRole } from '../../components/RequireRole';
import type { AreaRoute } from '../area-route';
import { ApplicationPage } from './ApplicationPage';
import { CataloguePage } from './CataloguePage';
import { CatalogueTablePage } from './CatalogueTablePage';
import { NewProjectPage } from './NewProjectPage';
import { ProjectPage } from './ProjectPage';
import { QueryPage } from './QueryPage';
import { ResearchHome } from './ResearchHome';

function researcherOnly(page: ReactNode): ReactNode {
  return <RequireRole roles={['researcher']}>{page}</RequireRole>;
}

export const researcherRoutes: readonly AreaRoute[] = [
  { path: '/recherche', element: researcherOnly(<ResearchHome />) },
  { path: '/recherche/catalogue', element: researcherOnly(<CataloguePage />) },
  { path: '/recherche/catalogue/:table', element: researcherOnly(<CatalogueTablePage />) },
  { path: '/recherche/projets/nouveau', element: researcherOnly(<NewProjectPage />) },
  { path: '/recherche/projets/:projectId', element: researcherOnly(<ProjectPage />) },
  { path: '/recherche/projets/:projectId/demande', element: researcherOnly(<ApplicationPage />) },
  {
    path: '/recherche/projets/:projectId/demande/:applicationId',
    element: researcherOnly(<ApplicationPage />),
  },
  { path: '/recherche/permis/:permitId/requete', element: researcherOnly(<QueryPage />) },
];
