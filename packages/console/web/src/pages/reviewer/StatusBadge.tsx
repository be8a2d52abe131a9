/** The state of an application as a badge: a word (never colour alone) on the DSFR severity. */
import type { ReactNode } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useTranslation } from 'react-i18next';
import type { ApplicationStatus } from './types';

const SEVERITY = {
  draft: undefined,
  submitted: 'new',
  under_review: 'info',
  approved: 'success',
  rejected: 'error',
  changes_requested: 'warning',
} as const;

export function StatusBadge({ status }: { status: ApplicationStatus }): ReactNode {
  const { t } = useTranslation('reviewer');
  const severity = SEVERITY[status];
  return (
    <Badge small {...(severity !== undefined ? { severity } : {})}>
      {t(`status.${status}`)}
    </Badge>
  );
}
