/**
 * Progress for something under way: a label with the elapsed seconds (long operations — a query
 * over the whole warehouse, a surveillance run — show that they are alive), announced politely.
 */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function Loading({ label }: { label?: string }): ReactNode {
  const { t } = useTranslation();
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    const start = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - start) / 1000)), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <p role="status" aria-live="polite" className="fr-my-2w">
      <span className="fr-icon-refresh-line fr-mr-1w" aria-hidden="true" />
      {label ?? t('loading')}
      {seconds >= 2 ? ` — ${t('working', { seconds })}` : ''}
    </p>
  );
}
