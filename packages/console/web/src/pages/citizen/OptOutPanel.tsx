/** The citizen's right to object: the status, what it covers here, object or withdraw (confirmed). */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import { formatDay, formatInstant } from '../public/format';
import { isSessionExpired } from './citizen-session';
import type { OptOutStatus } from './citizen-session';

const PATH = '/api/v1/citizen/opt-out';

export function OptOutPanel({
  token,
  onChanged,
  onExpired,
}: {
  token: string;
  /** Called after an opt-out or a withdrawal (the uses depend on it). */
  onChanged: () => void;
  onExpired: () => void;
}): ReactNode {
  const { t } = useTranslation('citizen');
  const loaded = useApi(() => api.withToken<OptOutStatus>(token, 'GET', PATH), [token]);
  const [status, setStatus] = useState<OptOutStatus | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<'doneObject' | 'doneWithdraw' | null>(null);
  const current = status ?? loaded.data;
  const expired = isSessionExpired(loaded.error) || isSessionExpired(error);
  useEffect(() => {
    if (expired) onExpired();
  }, [expired, onExpired]);
  const change = (): void => {
    if (current === null) return;
    const objecting = !current.optedOut;
    setBusy(true);
    setError(null);
    setDone(null);
    api
      .withToken<OptOutStatus>(token, objecting ? 'POST' : 'DELETE', PATH)
      .then((s) => {
        setStatus(s);
        setConfirming(false);
        setDone(objecting ? 'doneObject' : 'doneWithdraw');
        onChanged();
      })
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };
  return (
    <section aria-labelledby="optout-title" className="fr-mb-6w">
      <h2 id="optout-title">{t('optOut.title')}</h2>
      <ErrorAlert error={loaded.error ?? error} />
      {loaded.loading && current === null && <Loading />}
      {current !== null && (
        <>
          <div role="status" aria-live="polite" className="fr-mb-2w">
            <p className="fr-mb-1w">
              <Badge severity={current.optedOut ? 'warning' : 'info'}>
                {current.optedOut ? t('optOut.badgeOut') : t('optOut.badgeIn')}
              </Badge>
            </p>
            <p>
              {current.optedOut && current.since !== null
                ? t('optOut.statusOut', { date: formatInstant(current.since) })
                : t('optOut.statusIn')}
            </p>
            {done !== null && <Alert severity="success" small description={t(`optOut.${done}`)} />}
          </div>
          <ul>
            <li>{t('optOut.research')}</li>
            <li>
              {current.surveillanceExempt
                ? t('optOut.surveillanceExempt')
                : t('optOut.surveillanceIncluded')}
            </li>
          </ul>
          {!confirming ? (
            <Button
              priority={current.optedOut ? 'secondary' : 'primary'}
              onClick={() => {
                setDone(null);
                setConfirming(true);
              }}
            >
              {current.optedOut ? t('optOut.withdraw') : t('optOut.object')}
            </Button>
          ) : (
            <div
              role="group"
              aria-labelledby="optout-confirm-title"
              className="fr-p-3w fr-mb-2w"
              style={{ border: '1px solid var(--border-default-grey)' }}
            >
              <h3 id="optout-confirm-title" className="fr-h5">
                {current.optedOut
                  ? t('optOut.confirmWithdrawTitle')
                  : t('optOut.confirmObjectTitle')}
              </h3>
              <p>{current.optedOut ? t('optOut.confirmWithdraw') : t('optOut.confirmObject')}</p>
              <ButtonsGroup
                inlineLayoutWhen="sm and up"
                buttons={[
                  {
                    children: current.optedOut
                      ? t('optOut.confirmWithdrawButton')
                      : t('optOut.confirmObjectButton'),
                    onClick: change,
                    disabled: busy,
                  },
                  {
                    children: t('optOut.cancel'),
                    priority: 'secondary',
                    onClick: () => setConfirming(false),
                    disabled: busy,
                  },
                ]}
              />
            </div>
          )}
          {current.history.length > 0 && (
            <>
              <h3 className="fr-mt-4w">{t('optOut.history')}</h3>
              <Table
                caption={t('optOut.historyCaption')}
                noCaption
                headers={[t('optOut.since'), t('optOut.withdrawnAt'), t('optOut.surveillance')]}
                data={current.history.map((h) => [
                  formatDay(h.since),
                  h.withdrawnAt !== null ? formatDay(h.withdrawnAt) : t('optOut.stillActive'),
                  h.surveillanceExempt
                    ? t('optOut.surveillanceExemptCell')
                    : t('optOut.surveillanceIncludedCell'),
                ])}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}
