/** The pages of the citizen area. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { AreaRoute } from '../area-route';

function CitizenHome(): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('nav.citizen')}</h1>
    </>
  );
}

export const citizenRoutes: readonly AreaRoute[] = [
  { path: '/mes-donnees', element: <CitizenHome /> },
];
