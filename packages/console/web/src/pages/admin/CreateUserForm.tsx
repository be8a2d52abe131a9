/** Creates an account: login, display name, roles, and an optional first password. */
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ActionError } from '../reviewer/ActionError';
import { RolesFieldset } from './RolesFieldset';
import type { AccountRole, User } from './types';

export function CreateUserForm({ onCreated }: { onCreated: (u: User) => void }): ReactNode {
  const { t } = useTranslation('admin');
  const [login, setLogin] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<readonly AccountRole[]>([]);
  const [missing, setMissing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setError(null);
    if (!/^[a-z0-9._@-]{2,64}$/i.test(login)) return setMissing('login');
    if (displayName.trim() === '') return setMissing('displayName');
    if (roles.length === 0) return setMissing('roles');
    if (password !== '' && password.length < 12) return setMissing('password');
    setMissing(null);
    setSending(true);
    api
      .post<User>('/api/v1/users', {
        login,
        displayName: displayName.trim(),
        roles,
        ...(password !== '' ? { password } : {}),
      })
      .then((u) => {
        setLogin('');
        setDisplayName('');
        setPassword('');
        setRoles([]);
        onCreated(u);
      })
      .catch((err: unknown) => setError(err))
      .finally(() => setSending(false));
  };

  const state = (field: string) =>
    missing === field
      ? { state: 'error' as const, stateRelatedMessage: t(`create.invalid.${field}`) }
      : {};

  return (
    <form onSubmit={submit} noValidate aria-labelledby="create-title" className="fr-mb-4w">
      <h2 id="create-title" className="fr-h4">
        {t('create.title')}
      </h2>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={t('create.login')}
            hintText={t('create.loginHint')}
            {...state('login')}
            nativeInputProps={{
              value: login,
              autoComplete: 'off',
              onChange: (e) => setLogin(e.target.value),
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label={t('create.displayName')}
            hintText={t('create.displayNameHint')}
            {...state('displayName')}
            nativeInputProps={{
              value: displayName,
              onChange: (e) => setDisplayName(e.target.value),
            }}
          />
        </div>
      </div>
      <RolesFieldset
        legend={t('create.roles')}
        name="create-roles"
        value={roles}
        onChange={setRoles}
        error={missing === 'roles' ? t('create.invalid.roles') : null}
      />
      <Input
        label={t('create.password')}
        hintText={t('create.passwordHint')}
        {...state('password')}
        nativeInputProps={{
          type: 'password',
          value: password,
          autoComplete: 'new-password',
          onChange: (e) => setPassword(e.target.value),
        }}
      />
      <ActionError error={error} ns="admin" />
      <Button type="submit" disabled={sending} iconId="fr-icon-user-add-line">
        {t('create.submit')}
      </Button>
    </form>
  );
}
