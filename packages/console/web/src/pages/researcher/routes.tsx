/** The pages of the researcher area. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { RequireRole } from '../../components/RequireRole';
import type { AreaRoute } from '../area-route';

function ResearcherHome(): ReactNode {
  const { t } = useTranslation();
  return (
    <RequireRole roles={['researcher']}>
      <h1>{t('nav.researcher')}</h1>
    </RequireRole>
  );
}

export const researcherRoutes: readonly AreaRoute[] = [
  { path: '/recherche', element: <ResearcherHome /> },
];
