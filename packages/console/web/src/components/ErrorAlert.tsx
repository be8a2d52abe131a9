/** An error shown in words (`describeError`), as a DSFR alert announced to screen readers. */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/errors';

export function ErrorAlert({
  error,
  className,
}: {
  error: unknown;
  className?: string;
}): ReactNode {
  const { t } = useTranslation();
  if (error === null || error === undefined) return null;
  const { title, detail } = describeError(t, error);
  // The DSFR alert announces itself (role="alert"): the wrapper only spaces it.
  return (
    <div className={className ?? 'fr-mb-3w'}>
      <Alert severity="error" small={detail === null} title={title} description={detail ?? ''} />
    </div>
  );
}
