/**
 * A refused or failed action: the shared alert (the error in words), then, when the area knows
 * the rule that refused (`details.reason`), that rule in words too.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { reasonOf } from './format';

export function ActionError({
  error,
  ns,
}: {
  error: unknown;
  ns: 'reviewer' | 'admin';
}): ReactNode {
  const { t } = useTranslation(ns);
  if (error === null || error === undefined) return null;
  const reason = reasonOf(t, error);
  return (
    <div className="fr-mb-3w">
      <ErrorAlert error={error} className="fr-mb-1w" />
      {reason !== null && (
        <p role="status" className="fr-text--bold">
          {reason}
        </p>
      )}
    </div>
  );
}
