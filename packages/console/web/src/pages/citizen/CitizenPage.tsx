/**
 * The citizen's space: identify (demonstration login), then see and change one's opt-out and
 * who used one's data, with proofs checked in the browser. Logging out forgets the token.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useTranslation } from 'react-i18next';
import { formatInstant } from '../public/format';
import { loadCitizenSession, saveCitizenSession } from './citizen-session';
import type { CitizenSession } from './citizen-session';
import { DataUsesSection } from './DataUses';
import { IdentifyForm } from './IdentifyForm';
import { OptOutPanel } from './OptOutPanel';

export function CitizenPage(): ReactNode {
  const { t } = useTranslation('citizen');
  const [session, setSession] = useState<CitizenSession | null>(loadCitizenSession);
  const [expired, setExpired] = useState(false);
  const [version, setVersion] = useState(0);
  const forget = useCallback((why: 'logout' | 'expired') => {
    saveCitizenSession(null);
    setSession(null);
    setExpired(why === 'expired');
  }, []);
  const onExpired = useCallback(() => forget('expired'), [forget]);
  const onChanged = useCallback(() => setVersion((v) => v + 1), []);
  // The token is stateless and cannot be revoked: forget it when it expires.
  useEffect(() => {
    if (session === null) return;
    const ms = new Date(session.expiresAt).getTime() - Date.now();
    const timer = setTimeout(onExpired, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [session, onExpired]);
  return (
    <>
      <h1>{t('title')}</h1>
      <p className="fr-text--lead">{t('lead')}</p>
      {session === null ? (
        <>
          {expired && (
            <div role="alert" className="fr-mb-3w">
              <Alert severity="warning" small description={t('identify.expired')} />
            </div>
          )}
          <IdentifyForm
            onIdentified={(s) => {
              saveCitizenSession(s);
              setExpired(false);
              setSession(s);
            }}
          />
        </>
      ) : (
        <>
          <div className="fr-mb-4w">
            <p className="fr-mb-1w">
              {t('session.identified', { time: formatInstant(session.expiresAt) })}
            </p>
            <Button
              priority="tertiary"
              size="small"
              iconId="fr-icon-logout-box-r-line"
              onClick={() => forget('logout')}
            >
              {t('session.forget')}
            </Button>
            <p className="fr-text--xs fr-mt-1w">{t('session.forgetHint')}</p>
          </div>
          <OptOutPanel token={session.token} onChanged={onChanged} onExpired={onExpired} />
          <DataUsesSection token={session.token} version={version} onExpired={onExpired} />
        </>
      )}
    </>
  );
}
