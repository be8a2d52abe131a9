/** What one ingestion batch did: per source table read/loaded/quarantined, rows per CDM table. */
import type { ReactNode } from 'react';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useTranslation } from 'react-i18next';
import { formatNumber } from './format';
import type { Batch } from './types';

export function BatchDetails({ batch }: { batch: Batch }): ReactNode {
  const { t, i18n } = useTranslation('admin');
  const n = (x: number): string => formatNumber(x, i18n.language);
  return (
    <>
      {batch.error !== null && (
        <p className="fr-error-text">{t('batches.failed', { error: batch.error })}</p>
      )}
      <p>
        {t('batches.keyUsed', {
          keyId: batch.keyId ?? '—',
          version: batch.platformKeyVersion ?? '—',
        })}
      </p>
      {batch.sourceTables === null ? (
        <p>{t('batches.notRecorded')}</p>
      ) : (
        <Table
          caption={t('batches.sourceCaption', { source: batch.source })}
          headers={[
            t('batches.sourceTable'),
            t('batches.read'),
            t('batches.loaded'),
            t('batches.quarantinedCol'),
          ]}
          data={Object.entries(batch.sourceTables).map(([name, c]) => [
            <code key="n">{name}</code>,
            n(c.read),
            n(c.loaded),
            c.quarantined > 0 ? <strong key="q">{n(c.quarantined)}</strong> : n(c.quarantined),
          ])}
        />
      )}
      {batch.cdmRows !== null && (
        <Table
          caption={t('batches.cdmCaption', { source: batch.source })}
          headers={[t('batches.cdmTable'), t('batches.rows')]}
          data={Object.entries(batch.cdmRows).map(([name, rows]) => [
            <code key="n">{name}</code>,
            n(rows),
          ])}
        />
      )}
    </>
  );
}
