/** The public pages: home, project directory, transparency log. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AreaRoute } from '../area-route';
import { HomePage } from './HomePage';

function Placeholder({ title }: { title: string }): ReactNode {
  const { t } = useTranslation();
  return <h1>{t(title)}</h1>;
}

export const publicRoutes: readonly AreaRoute[] = [
  { path: '/', element: <HomePage /> },
  { path: '/projets', element: <Placeholder title="nav.directory" /> },
  { path: '/transparence', element: <Placeholder title="nav.transparency" /> },
];
