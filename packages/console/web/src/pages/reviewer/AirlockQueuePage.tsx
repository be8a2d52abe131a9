/**
 * The airlock queue of the output checker: pending release requests of every project, oldest
 * first, with what their disclosure control withheld.
 */
import type { ReactNode } from 'react';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { RequireRole } from '../../components/RequireRole';
import { useApi } from '../../components/use-api';
import { formatInstant } from './format';
import type { ReleaseRequest } from './types';

function QueueTable(): ReactNode {
  const { t, i18n } = useTranslation('reviewer');
  const { data, error, loading } = useApi(
    () => api.get<ReleaseRequest[]>('/api/v1/release-requests', { status: 'pending' }),
    [],
  );
  if (loading) return <Loading />;
  if (error !== null) return <ErrorAlert error={error} />;
  if (data === null || data.length === 0) return <p role="status">{t('airlock.empty')}</p>;
  return (
    <>
      <p role="status">{t('airlock.count', { count: data.length })}</p>
      <Table
        caption={t('airlock.caption')}
        headers={[
          t('airlock.colRequest'),
          t('airlock.colProject'),
          t('airlock.colRequested'),
          t('airlock.colJustification'),
          t('airlock.colCells'),
          t('airlock.colGuarantee'),
        ]}
        data={data.map((r) => {
          const tables = r.disclosure?.tables ?? [];
          const released = tables.reduce((n, x) => n + x.cells.released, 0);
          const withheld = tables.reduce((n, x) => n + x.cells.withheld, 0);
          return [
            <Link key="l" to={`/controle/demandes/${r.id}`}>
              {t('airlock.open', { id: r.id.slice(0, 8) })}
            </Link>,
            r.projectTitle ?? r.projectId,
            formatInstant(r.requestedAt, i18n.language),
            r.justification,
            t('airlock.cells', { released, withheld }),
            [...new Set(tables.map((x) => t(`report.guarantee.${x.guarantee}`)))].join(', ') || '—',
          ];
        })}
      />
    </>
  );
}

/** The output checker's queue. */
export function AirlockQueuePage(): ReactNode {
  const { t } = useTranslation('reviewer');
  return (
    <RequireRole roles={['output_checker']}>
      <h1>{t('airlock.title')}</h1>
      <p className="fr-text--lead">{t('airlock.lead')}</p>
      <QueueTable />
    </RequireRole>
  );
}
