/**
 * The quarantine of one ingestion batch: the rules rejected rows broke, with counts, and where
 * each rejected row is (file, line, field, rule) — never its value, which is not stored.
 */
import type { ReactNode } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { RequireRole } from '../../components/RequireRole';
import { useApi } from '../../components/use-api';
import { BatchDetails } from './BatchDetails';
import { BatchStatus } from './BatchesPanel';
import { formatInstant, formatNumber } from './format';
import type { Batch, BatchPage, Quarantine } from './types';

const PAGE_SIZE = 50;

interface Loaded {
  readonly batch: Batch | null;
  readonly quarantine: Quarantine;
}

async function load(batchId: string, page: number): Promise<Loaded> {
  // No route gives one batch: the list (at most 1000, newest first) carries its counts.
  const [list, quarantine] = await Promise.all([
    api.get<BatchPage>('/api/v1/admin/batches', { limit: 1000 }),
    api.get<Quarantine>(`/api/v1/admin/batches/${batchId}/quarantine`, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    }),
  ]);
  return { batch: list.batches.find((b) => b.batchId === batchId) ?? null, quarantine };
}

function QuarantineView({
  data,
  page,
  batchId,
}: {
  data: Loaded;
  page: number;
  batchId: string;
}): ReactNode {
  const { t, i18n } = useTranslation('admin');
  const { batch, quarantine } = data;
  const pages = Math.max(1, Math.ceil(quarantine.total / PAGE_SIZE));
  return (
    <>
      {batch !== null && (
        <>
          <p>
            <BatchStatus status={batch.status} />{' '}
            {t('quarantine.meta', {
              format: batch.format,
              started: formatInstant(batch.startedAt, i18n.language),
              finished: formatInstant(batch.finishedAt, i18n.language),
            })}
          </p>
          <BatchDetails batch={batch} />
        </>
      )}
      <h2>{t('quarantine.rulesTitle')}</h2>
      <p role="status">
        {quarantine.total === 0
          ? t('quarantine.none')
          : t('quarantine.total', { count: quarantine.total })}
      </p>
      {quarantine.rules.length > 0 && (
        <Table
          caption={t('quarantine.rulesCaption')}
          headers={[
            t('quarantine.sourceTable'),
            t('quarantine.field'),
            t('quarantine.rule'),
            t('quarantine.count'),
          ]}
          data={quarantine.rules.map((r) => [
            <code key="s">{r.sourceTable}</code>,
            r.field ?? '—',
            <code key="r">{r.rule}</code>,
            formatNumber(r.count, i18n.language),
          ])}
        />
      )}
      {quarantine.records.length > 0 && (
        <>
          <h2>{t('quarantine.recordsTitle')}</h2>
          <Table
            caption={t('quarantine.recordsCaption', { page, pages })}
            headers={[
              t('quarantine.path'),
              t('quarantine.line'),
              t('quarantine.sourceTable'),
              t('quarantine.field'),
              t('quarantine.rule'),
            ]}
            data={quarantine.records.map((r) => [
              <code key="p">{r.path}</code>,
              r.line ?? '—',
              r.sourceTable,
              r.field ?? '—',
              <code key="r">{r.rule}</code>,
            ])}
          />
          {pages > 1 && (
            <Pagination
              count={pages}
              defaultPage={page}
              getPageLinkProps={(p) => ({ to: `/admin/lots/${batchId}?page=${p}` })}
            />
          )}
        </>
      )}
    </>
  );
}

/** The page of one batch's quarantine. */
export function QuarantinePage(): ReactNode {
  const { t } = useTranslation('admin');
  const { batchId = '' } = useParams();
  const [params] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const { data, error, loading } = useApi(() => load(batchId, page), [batchId, page]);
  return (
    <RequireRole roles={['admin']}>
      <Breadcrumb
        currentPageLabel={t('quarantine.breadcrumb')}
        segments={[{ label: t('title'), linkProps: { to: '/admin' } }]}
      />
      <h1>{t('quarantine.title', { source: data?.batch?.source ?? batchId.slice(0, 8) })}</h1>
      {error !== null && <ErrorAlert error={error} />}
      {data !== null ? (
        <QuarantineView data={data} page={page} batchId={batchId} />
      ) : (
        loading && <Loading />
      )}
    </RequireRole>
  );
}
