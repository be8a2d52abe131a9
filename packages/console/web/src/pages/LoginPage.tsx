/** Log in with a login and password; back to the page asked for (`?next=`). */
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';

/** Only a path of this console: never an absolute URL (no open redirect). */
function safeNext(next: string | null): string {
  return next !== null && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage(): ReactNode {
  const { t } = useTranslation();
  const { login } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form, setForm] = useState({ login: '', password: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    login(form.login, form.password)
      .then(() => navigate(safeNext(params.get('next'))))
      .catch((err: unknown) => setError(err))
      .finally(() => setBusy(false));
  };
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-6">
        <h1>{t('loginPage.title')}</h1>
        <p>{t('loginPage.intro')}</p>
        <ErrorAlert error={error} />
        <form onSubmit={submit} aria-label={t('loginPage.title')}>
          <Input
            label={t('loginPage.login')}
            nativeInputProps={{
              name: 'login',
              autoComplete: 'username',
              required: true,
              value: form.login,
              onChange: (e) => setForm({ ...form, login: e.target.value }),
            }}
          />
          <Input
            label={t('loginPage.password')}
            nativeInputProps={{
              name: 'password',
              type: 'password',
              autoComplete: 'current-password',
              required: true,
              value: form.password,
              onChange: (e) => setForm({ ...form, password: e.target.value }),
            }}
          />
          <Button type="submit" disabled={busy}>
            {t('loginPage.submit')}
          </Button>
        </form>
      </div>
    </div>
  );
}
