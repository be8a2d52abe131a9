/** The pages of the analyst area. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { RequireRole } from '../../components/RequireRole';
import type { AreaRoute } from '../area-route';

function AnalystHome(): ReactNode {
  const { t } = useTranslation();
  return (
    <RequireRole roles={['analyst', 'admin']}>
      <h1>{t('nav.analyst')}</h1>
    </RequireRole>
  );
}

export const analystRoutes: readonly AreaRoute[] = [{ path: '/veille', element: <AnalystHome /> }];
