/**
 * The ingestion batches, newest first: source, format, state, times, rows written to the
 * warehouse and rows put in quarantine, each batch's detail, and a link to its quarantine.
 */
import type { ReactNode } from 'react';
import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import { AdminTabs } from './AdminTabs';
import { BatchDetails } from './BatchDetails';
import { formatInstant, formatNumber } from './format';
import type { BatchPage } from './types';

const PAGE_SIZE = 20;

const STATUS_SEVERITY: Record<string, 'success' | 'error' | 'info' | 'warning'> = {
  published: 'success',
  failed: 'error',
  rejected: 'error',
  running: 'info',
};

/** A batch's state as a word on a badge (colour is never the only sign). */
export function BatchStatus({ status }: { status: string }): ReactNode {
  const { t } = useTranslation('admin');
  const severity = STATUS_SEVERITY[status];
  return (
    <Badge small {...(severity !== undefined ? { severity } : {})}>
      {t(`batchStatus.${status}`, { defaultValue: status })}
    </Badge>
  );
}

function sum(record: Record<string, number> | null): number | null {
  return record === null ? null : Object.values(record).reduce((a, b) => a + b, 0);
}

function BatchesList({ page }: { page: number }): ReactNode {
  const { t, i18n } = useTranslation('admin');
  const { data, error, loading } = useApi(
    () =>
      api.get<BatchPage>('/api/v1/admin/batches', {
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      }),
    [page],
  );
  if (loading) return <Loading />;
  if (error !== null) return <ErrorAlert error={error} />;
  if (data === null || data.batches.length === 0) {
    return <p role="status">{t('batches.empty')}</p>;
  }
  const n = (x: number | null): string => (x === null ? '—' : formatNumber(x, i18n.language));
  const pages = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
  return (
    <>
      <p role="status">{t('batches.count', { count: data.total })}</p>
      <Table
        caption={t('batches.caption')}
        headers={[
          t('batches.source'),
          t('batches.format'),
          t('batches.status'),
          t('batches.started'),
          t('batches.finished'),
          t('batches.cdmRows'),
          t('batches.quarantined'),
          t('batches.quarantine'),
        ]}
        data={data.batches.map((b) => [
          b.source,
          b.format,
          <BatchStatus key="s" status={b.status} />,
          formatInstant(b.startedAt, i18n.language),
          formatInstant(b.finishedAt, i18n.language),
          n(sum(b.cdmRows)),
          n(b.quarantined),
          <Link key="q" to={`/admin/lots/${b.batchId}`}>
            {t('batches.openQuarantine', { source: b.source })}
          </Link>,
        ])}
      />
      {pages > 1 && (
        <Pagination
          count={pages}
          defaultPage={page}
          getPageLinkProps={(p) => ({ to: `/admin?page=${p}` })}
        />
      )}
      <h2 className="fr-h4 fr-mt-4w">{t('batches.detailTitle')}</h2>
      <div className="fr-accordions-group">
        {data.batches.map((b) => (
          <Accordion
            key={b.batchId}
            label={t('batches.detailLabel', {
              source: b.source,
              when: formatInstant(b.startedAt, i18n.language),
            })}
          >
            <BatchDetails batch={b} />
          </Accordion>
        ))}
      </div>
    </>
  );
}

/** The ingestion batches tab. */
export function BatchesPanel(): ReactNode {
  const [params] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  return (
    <AdminTabs tab="batches">
      <BatchesList page={page} />
    </AdminTabs>
  );
}
