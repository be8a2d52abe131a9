/** The permit an approval issued: its id, validity, privacy budget and minimum cell size. */
import type { ReactNode } from 'react';
import { CallOut } from '@codegouvfr/react-dsfr/CallOut';
import { useTranslation } from 'react-i18next';
import { formatInstant } from './format';
import type { Permit } from './types';

export function PermitIssued({ permit }: { permit: Permit }): ReactNode {
  const { t, i18n } = useTranslation('reviewer');
  return (
    <div role="status">
      <CallOut title={t('permit.title')} iconId="fr-icon-success-line" titleAs="h2">
        {t('permit.body', {
          id: permit.id,
          from: formatInstant(permit.validFrom, i18n.language),
          to: formatInstant(permit.expiresAt, i18n.language),
          epsilon: permit.epsilonBudget,
          k: permit.minCellSize,
          status: t(`permitStatus.${permit.status}`, { defaultValue: permit.status }),
        })}
      </CallOut>
    </div>
  );
}
