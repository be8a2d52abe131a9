/** An address that matches no page. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function NotFoundPage(): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFoundBody')}</p>
    </>
  );
}
