/** The citizen identifies (demonstration: NIR and birth date; FranceConnect in production). */
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Notice } from '@codegouvfr/react-dsfr/Notice';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import type { CitizenSession } from './citizen-session';

/** The identification failures this page explains itself (the shared words are for accounts). */
function ownMessage(error: unknown): 'failed' | 'tooMany' | 'disabled' | null {
  if (!(error instanceof ApiError)) return null;
  const reason = error.details['reason'];
  if (error.code === 'HYG_UNAUTHENTICATED') return 'failed';
  if (error.code === 'HYG_INVALID_ARGUMENT' && error.details['field'] === 'nir') return 'failed';
  if (reason === 'too-many-attempts') return 'tooMany';
  if (reason === 'nir-login-disabled') return 'disabled';
  return null;
}

export function IdentifyForm({
  onIdentified,
}: {
  onIdentified: (s: CitizenSession) => void;
}): ReactNode {
  const { t } = useTranslation('citizen');
  const [form, setForm] = useState({ nir: '', birthDate: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    // No account token: identification is anonymous, whoever is signed in in this tab.
    api
      .withToken<CitizenSession>(null, 'POST', '/api/v1/citizen/identify', {
        nir: form.nir.trim(),
        birthDate: form.birthDate,
      })
      .then((s) => onIdentified({ token: s.token, expiresAt: s.expiresAt }))
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };
  const own = ownMessage(error);
  return (
    <section aria-labelledby="identify-title">
      <h2 id="identify-title">{t('identify.title')}</h2>
      <Notice
        className="fr-mb-3w"
        title={t('identify.demoNotice')}
        description={t('identify.demoNoticeBody')}
      />
      {own !== null ? (
        <div role="alert" className="fr-mb-3w">
          <Alert severity="error" small description={t(`identify.${own}`)} />
        </div>
      ) : (
        <ErrorAlert error={error} />
      )}
      <div className="fr-grid-row">
        <form className="fr-col-12 fr-col-md-6" onSubmit={submit} aria-labelledby="identify-title">
          <Input
            label={t('identify.nir')}
            hintText={t('identify.nirHint')}
            nativeInputProps={{
              name: 'nir',
              inputMode: 'numeric',
              autoComplete: 'off',
              required: true,
              minLength: 13,
              maxLength: 32,
              value: form.nir,
              onChange: (e) => setForm({ ...form, nir: e.target.value }),
            }}
          />
          <Input
            label={t('identify.birthDate')}
            hintText={t('identify.birthDateHint')}
            nativeInputProps={{
              name: 'birthDate',
              type: 'date',
              autoComplete: 'bday',
              required: true,
              value: form.birthDate,
              onChange: (e) => setForm({ ...form, birthDate: e.target.value }),
            }}
          />
          <p className="fr-text--sm">{t('identify.privacy')}</p>
          <Button type="submit" disabled={busy}>
            {t('identify.submit')}
          </Button>
        </form>
      </div>
    </section>
  );
}
