/**
 * Shows its children to the given roles only; otherwise says who the page is for (the server
 * refuses the calls anyway: this is for the reader, not for security).
 */
import type { ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Navigate, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import type { Role } from '../auth/session';
import { Loading } from './Loading';

export function RequireRole({
  roles,
  children,
}: {
  roles: readonly Role[];
  children: ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  const { me, checking, hasRole } = useSession();
  const location = useLocation();
  if (checking) return <Loading />;
  if (me === null) {
    return (
      <Navigate
        to={`/connexion?next=${encodeURIComponent(location.pathname + location.search)}`}
        replace
      />
    );
  }
  if (!hasRole(...roles)) {
    return (
      <Alert
        severity="warning"
        title={t('forbiddenTitle')}
        description={t('forbiddenBody', { roles: roles.map((r) => t(`roles.${r}`)).join(', ') })}
      />
    );
  }
  return children;
}
