/** The pages of the admin area. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { RequireRole } from '../../components/RequireRole';
import type { AreaRoute } from '../area-route';

function AdminHome(): ReactNode {
  const { t } = useTranslation();
  return (
    <RequireRole roles={['admin']}>
      <h1>{t('nav.admin')}</h1>
    </RequireRole>
  );
}

export const adminRoutes: readonly AreaRoute[] = [{ path: '/admin', element: <AdminHome /> }];
