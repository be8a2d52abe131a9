/**
 * The accounts: who has which roles and whether the account is usable; create an account,
 * change its roles, disable or enable it, clear a lockout. Disabling asks for confirmation.
 */
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { ButtonsGroup } from '@codegouvfr/react-dsfr/ButtonsGroup';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import { ActionError } from '../reviewer/ActionError';
import { AdminTabs } from './AdminTabs';
import { CreateUserForm } from './CreateUserForm';
import { RolesFieldset } from './RolesFieldset';
import { formatInstant } from './format';
import { ACCOUNT_ROLES } from './types';
import type { AccountRole, User } from './types';

type Action = 'disable' | 'enable' | 'unlock';

function isLocked(u: User): boolean {
  return u.lockedUntil !== null && new Date(u.lockedUntil).getTime() > Date.now();
}

function AccountState({ user }: { user: User }): ReactNode {
  const { t, i18n } = useTranslation('admin');
  if (user.disabledAt !== null)
    return (
      <Badge small severity="error">
        {t('users.disabled')}
      </Badge>
    );
  if (isLocked(user)) {
    return (
      <Badge small severity="warning">
        {t('users.locked', { until: formatInstant(user.lockedUntil, i18n.language) })}
      </Badge>
    );
  }
  return (
    <Badge small severity="success">
      {t('users.active')}
    </Badge>
  );
}

/** A confirmation before an action that cuts someone off (focused, so it is read out). */
function Confirm({
  user,
  onConfirm,
  onCancel,
}: {
  user: User;
  onConfirm: () => void;
  onCancel: () => void;
}): ReactNode {
  const { t } = useTranslation('admin');
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alertdialog"
      aria-labelledby="confirm-title"
      className="fr-mb-3w"
    >
      <Alert
        severity="warning"
        title={
          <span id="confirm-title">{t('users.confirmDisableTitle', { login: user.login })}</span>
        }
        description={t('users.confirmDisable')}
      />
      <ButtonsGroup
        inlineLayoutWhen="always"
        className="fr-mt-2w"
        buttons={[
          { children: t('users.confirmDisableButton'), priority: 'primary', onClick: onConfirm },
          { children: t('users.cancel'), priority: 'secondary', onClick: onCancel },
        ]}
      />
    </div>
  );
}

function EditRoles({
  user,
  onSaved,
  onCancel,
}: {
  user: User;
  onSaved: () => void;
  onCancel: () => void;
}): ReactNode {
  const { t } = useTranslation('admin');
  const [roles, setRoles] = useState<readonly AccountRole[]>(
    ACCOUNT_ROLES.filter((r) => user.roles.includes(r)),
  );
  const [error, setError] = useState<unknown>(null);
  const [empty, setEmpty] = useState(false);
  return (
    <form
      aria-labelledby="roles-title"
      className="fr-mb-4w"
      onSubmit={(e) => {
        e.preventDefault();
        if (roles.length === 0) return setEmpty(true);
        setEmpty(false);
        setError(null);
        api
          .put(`/api/v1/users/${user.id}/roles`, { roles })
          .then(onSaved)
          .catch((err: unknown) => setError(err));
      }}
    >
      <h2 id="roles-title" className="fr-h4">
        {t('users.rolesTitle', { login: user.login })}
      </h2>
      <RolesFieldset
        legend={t('users.rolesLegend')}
        name="edit-roles"
        value={roles}
        onChange={setRoles}
        error={empty ? t('create.invalid.roles') : null}
      />
      <ActionError error={error} ns="admin" />
      <ButtonsGroup
        inlineLayoutWhen="always"
        buttons={[
          { children: t('users.saveRoles'), type: 'submit', priority: 'primary' },
          { children: t('users.cancel'), priority: 'secondary', onClick: onCancel, type: 'button' },
        ]}
      />
    </form>
  );
}

function UsersList(): ReactNode {
  const { t, i18n } = useTranslation('admin');
  const { data, error, loading, reload } = useApi(() => api.get<User[]>('/api/v1/users'), []);
  const [editing, setEditing] = useState<User | null>(null);
  const [confirming, setConfirming] = useState<User | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const act = (user: User, action: Action): void => {
    setActionError(null);
    setConfirming(null);
    api
      .post(`/api/v1/users/${user.id}/${action}`, {})
      .then(() => {
        setNotice(t(`users.done.${action}`, { login: user.login }));
        reload();
      })
      .catch((e: unknown) => setActionError(e));
  };

  return (
    <>
      <CreateUserForm
        onCreated={(u) => {
          setNotice(t('users.created', { login: u.login }));
          reload();
        }}
      />
      <h2 className="fr-h4">{t('users.listTitle')}</h2>
      {notice !== null && (
        <div role="status" className="fr-mb-2w">
          <Alert severity="success" small description={notice} />
        </div>
      )}
      <ActionError error={actionError} ns="admin" />
      {confirming !== null && (
        <Confirm
          user={confirming}
          onConfirm={() => act(confirming, 'disable')}
          onCancel={() => setConfirming(null)}
        />
      )}
      {editing !== null && (
        <EditRoles
          key={editing.id}
          user={editing}
          onCancel={() => setEditing(null)}
          onSaved={() => {
            setNotice(t('users.rolesSaved', { login: editing.login }));
            setEditing(null);
            reload();
          }}
        />
      )}
      {error !== null && <ErrorAlert error={error} />}
      {data === null ? (
        loading && <Loading />
      ) : (
        <Table
          caption={t('users.caption', { count: data.length })}
          headers={[
            t('users.login'),
            t('users.displayName'),
            t('users.roles'),
            t('users.state'),
            t('users.createdAt'),
            t('users.actions'),
          ]}
          data={data.map((u) => [
            <code key="l">{u.login}</code>,
            u.displayName,
            u.roles.map((r) => t(`common:roles.${r}`)).join(', '),
            <AccountState key="s" user={u} />,
            formatInstant(u.createdAt, i18n.language),
            <ButtonsGroup
              key="a"
              inlineLayoutWhen="always"
              buttonsSize="small"
              buttons={[
                {
                  children: (
                    <>
                      {t('users.editRoles')}
                      <span className="fr-sr-only"> {u.login}</span>
                    </>
                  ),
                  priority: 'secondary',
                  onClick: () => setEditing(u),
                },
                u.disabledAt === null
                  ? {
                      children: (
                        <>
                          {t('users.disable')}
                          <span className="fr-sr-only"> {u.login}</span>
                        </>
                      ),
                      priority: 'tertiary',
                      onClick: () => setConfirming(u),
                    }
                  : {
                      children: (
                        <>
                          {t('users.enable')}
                          <span className="fr-sr-only"> {u.login}</span>
                        </>
                      ),
                      priority: 'tertiary',
                      onClick: () => act(u, 'enable'),
                    },
                ...(isLocked(u) || u.failedAttempts > 0
                  ? [
                      {
                        children: (
                          <>
                            {t('users.unlock')}
                            <span className="fr-sr-only"> {u.login}</span>
                          </>
                        ),
                        priority: 'tertiary' as const,
                        onClick: () => act(u, 'unlock'),
                      },
                    ]
                  : []),
              ]}
            />,
          ])}
        />
      )}
    </>
  );
}

/** The accounts tab. */
export function UsersPanel(): ReactNode {
  return (
    <AdminTabs tab="users">
      <UsersList />
    </AdminTabs>
  );
}
