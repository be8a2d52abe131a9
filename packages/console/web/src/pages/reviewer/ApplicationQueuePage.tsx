/**
 * The access committee's queue: applications waiting for a review (submitted or under review),
 * or those in any other state chosen with the filter, oldest first.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { RequireRole } from '../../components/RequireRole';
import { useApi } from '../../components/use-api';
import { formatInstant } from './format';
import { StatusBadge } from './StatusBadge';
import { APPLICATION_STATUSES } from './types';
import type { Application, ApplicationStatus, Project } from './types';

type Filter = 'queue' | ApplicationStatus;

function QueueTable({ filter }: { filter: Filter }): ReactNode {
  const { t, i18n } = useTranslation('reviewer');
  const { data, error, loading } = useApi(
    () =>
      Promise.all([
        api.get<Application[]>(
          '/api/v1/applications',
          filter === 'queue' ? undefined : { status: filter },
        ),
        // Reviewers read every project: the queue names each application by its project.
        api.get<Pick<Project, 'id' | 'title'>[]>('/api/v1/projects'),
      ]),
    [filter],
  );
  if (loading) return <Loading />;
  if (error !== null) return <ErrorAlert error={error} />;
  if (data === null || data[0].length === 0) {
    return <p role="status">{t('queue.empty')}</p>;
  }
  const [applications, projects] = data;
  const titles = new Map(projects.map((p) => [p.id, p.title]));
  return (
    <>
      <p role="status">{t('queue.count', { count: applications.length })}</p>
      <Table
        caption={t(filter === 'queue' ? 'queue.captionQueue' : 'queue.captionStatus', {
          status: t(`status.${filter}`),
        })}
        headers={[
          t('queue.colApplication'),
          t('queue.colStatus'),
          t('queue.colVersion'),
          t('queue.colSubmitted'),
          t('queue.colData'),
          t('queue.colMode'),
        ]}
        data={applications.map((a) => [
          <Link key="l" to={`/comite/demandes/${a.id}`}>
            {titles.get(a.projectId) ?? t('queue.open', { id: a.id.slice(0, 8) })}
          </Link>,
          <StatusBadge key="s" status={a.status} />,
          a.version,
          formatInstant(a.submittedAt, i18n.language),
          a.content.data.map((d) => d.table).join(', '),
          t(`accessMode.${a.content.accessMode}`),
        ])}
      />
    </>
  );
}

/** The review queue of the access committee. */
export function ApplicationQueuePage(): ReactNode {
  const { t } = useTranslation('reviewer');
  const [filter, setFilter] = useState<Filter>('queue');
  return (
    <RequireRole roles={['reviewer']}>
      <h1>{t('queue.title')}</h1>
      <p className="fr-text--lead">{t('queue.lead')}</p>
      <div className="fr-grid-row fr-mb-2w">
        <div className="fr-col-12 fr-col-md-4">
          <Select
            label={t('queue.filter')}
            nativeSelectProps={{
              value: filter,
              onChange: (e) => setFilter(e.target.value as Filter),
            }}
          >
            <option value="queue">{t('status.queue')}</option>
            {APPLICATION_STATUSES.filter((s) => s !== 'draft').map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <QueueTable filter={filter} />
    </RequireRole>
  );
}
