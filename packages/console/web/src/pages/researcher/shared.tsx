/** Small pieces shared by the researcher pages: statuses, dates, controlled numbers. */
import type { ReactNode } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useTranslation } from 'react-i18next';
import type { ControlledCount } from './types';

type Severity = 'success' | 'info' | 'warning' | 'error' | 'new';

const SEVERITY: Readonly<Record<string, Severity>> = {
  draft: 'new',
  submitted: 'info',
  under_review: 'info',
  approved: 'success',
  rejected: 'error',
  changes_requested: 'warning',
  active: 'success',
  suspended: 'warning',
  revoked: 'error',
  expired: 'warning',
  closed: 'warning',
  pending: 'info',
  withdrawn: 'warning',
  completed: 'success',
  failed: 'error',
};

/** A status as a badge: its words carry the meaning, the colour only repeats it. */
export function StatusBadge({ status }: { status: string }): ReactNode {
  const { t } = useTranslation('researcher');
  return (
    <Badge as="span" small severity={SEVERITY[status] ?? 'info'}>
      {t(`status.${status}`, { defaultValue: status })}
    </Badge>
  );
}

/** A number in the page's language (`1 234`, `1,234`). */
export function useNumber(): (n: number, digits?: number) => string {
  const { i18n } = useTranslation();
  return (n, digits) =>
    n.toLocaleString(i18n.language, digits === undefined ? {} : { maximumFractionDigits: digits });
}

/** A date (or instant) as a day in the page's language. */
export function useDay(): (iso: string | null) => string {
  const { i18n } = useTranslation();
  return (iso) => (iso === null ? '—' : new Date(iso).toLocaleDateString(i18n.language));
}

/**
 * A count under disclosure control: a withheld one says so in words — never shown as 0, which
 * would be a false statement.
 */
export function Controlled({ count }: { count: ControlledCount | null | undefined }): ReactNode {
  const { t } = useTranslation();
  const num = useNumber();
  if (count === null || count === undefined) return '—';
  if (count.suppressed || count.value === null) {
    return <em className="fr-text--sm">{t('common:suppressed')}</em>;
  }
  return num(count.value);
}
