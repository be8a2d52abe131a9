/** The pages of the reviewer area. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { RequireRole } from '../../components/RequireRole';
import type { AreaRoute } from '../area-route';

function ReviewerHome(): ReactNode {
  const { t } = useTranslation();
  return (
    <RequireRole roles={['reviewer']}>
      <h1>{t('nav.reviewer')}</h1>
    </RequireRole>
  );
}

function AirlockHome(): ReactNode {
  const { t } = useTranslation();
  return (
    <RequireRole roles={['output_checker']}>
      <h1>{t('nav.airlock')}</h1>
    </RequireRole>
  );
}

export const reviewerRoutes: readonly AreaRoute[] = [
  { path: '/comite', element: <ReviewerHome /> },
  { path: '/controle', element: <AirlockHome /> },
];
