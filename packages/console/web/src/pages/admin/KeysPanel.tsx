/**
 * The master key's status: the key in service, whether the source key was exported (for the
 * data producers), and whether the warehouse is pseudonymised with the key in service — said in
 * words, with a warning when it is not. Never a secret.
 */
import type { ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import { AdminTabs } from './AdminTabs';
import { formatInstant } from './format';
import type { KeyStatus } from './types';

function WarehouseMatch({ status }: { status: KeyStatus }): ReactNode {
  const { t } = useTranslation('admin');
  const match = status.warehouse.matchesKeyRing;
  if (match === true) {
    return (
      <div role="status" className="fr-mb-3w">
        <Alert severity="success" small description={t('keys.matches')} />
      </div>
    );
  }
  return (
    <div role="status" className="fr-mb-3w">
      <Alert
        severity="warning"
        title={match === null ? t('keys.emptyTitle') : t('keys.mismatchTitle')}
        description={match === null ? t('keys.empty') : t('keys.mismatch')}
      />
    </div>
  );
}

function KeysView({ status }: { status: KeyStatus }): ReactNode {
  const { t, i18n } = useTranslation('admin');
  const when = (iso: string | null): string => formatInstant(iso, i18n.language);
  return (
    <>
      <WarehouseMatch status={status} />
      <h2 className="fr-h4">{t('keys.ringTitle')}</h2>
      <dl>
        <dt className="fr-text--bold">{t('keys.keyId')}</dt>
        <dd>
          <code>{status.keyRing.keyId}</code>
        </dd>
        <dt className="fr-text--bold">{t('keys.version')}</dt>
        <dd>{status.keyRing.platformKeyVersion}</dd>
        <dt className="fr-text--bold">{t('keys.created')}</dt>
        <dd>{when(status.keyRing.createdAt)}</dd>
        <dt className="fr-text--bold">{t('keys.sourceKey')}</dt>
        <dd>
          {status.sourceKey.exported
            ? t('keys.exported', {
                count: status.sourceKey.exports,
                when: when(status.sourceKey.lastExportedAt),
              })
            : t('keys.notExported')}
        </dd>
      </dl>
      <Table
        caption={t('keys.warehouseCaption')}
        headers={[
          t('keys.keyId'),
          t('keys.versions'),
          t('keys.batches'),
          t('keys.firstUsed'),
          t('keys.lastUsed'),
          t('keys.inService'),
        ]}
        data={status.warehouse.keys.map((k) => [
          <code key="k">{k.keyId}</code>,
          k.platformKeyVersions.join(', '),
          k.batches,
          when(k.firstUsedAt),
          when(k.lastUsedAt),
          k.keyId === status.keyRing.keyId ? t('common:yes') : t('common:no'),
        ])}
      />
    </>
  );
}

/** The keys tab. */
export function KeysPanel(): ReactNode {
  const { data, error, loading } = useApi(() => api.get<KeyStatus>('/api/v1/admin/keys'), []);
  return (
    <AdminTabs tab="keys">
      {loading && <Loading />}
      {error !== null && <ErrorAlert error={error} />}
      {data !== null && <KeysView status={data} />}
    </AdminTabs>
  );
}
