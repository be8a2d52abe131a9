/** One project of the public directory: its purpose, team, data, permits and published results. */
import type { ReactNode } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import type { DataItem, DirectoryEntry } from './directory-types';
import { formatDay } from './format';

export function ProjectPage(): ReactNode {
  const { t } = useTranslation('public');
  const { projectId = '' } = useParams();
  const { data, error, loading } = useApi(
    () => api.get<DirectoryEntry>(`/api/v1/directory/projects/${encodeURIComponent(projectId)}`),
    [projectId],
  );
  return (
    <>
      <p>
        <Link to="/projets" className="fr-link fr-icon-arrow-left-line fr-link--icon-left">
          {t('project.back')}
        </Link>
      </p>
      <ErrorAlert error={error} />
      {loading && <Loading />}
      {data !== null && <ProjectDetail entry={data} />}
    </>
  );
}

function DataTable({ items, caption }: { items: readonly DataItem[]; caption: string }): ReactNode {
  const { t } = useTranslation('public');
  return (
    <Table
      caption={caption}
      headers={[t('project.table'), t('project.variables')]}
      data={items.map((d) => [<code key="t">{d.table}</code>, d.variables.join(', ')])}
    />
  );
}

function ProjectDetail({ entry }: { entry: DirectoryEntry }): ReactNode {
  const { t } = useTranslation('public');
  return (
    <>
      <h1>{entry.title}</h1>
      <ul className="fr-badges-group fr-mb-3w">
        <li>
          <Badge severity={entry.status === 'active' ? 'info' : undefined}>
            {t('project.status', { status: t(`labels.projectStatus.${entry.status}`) })}
          </Badge>
        </li>
        <li>
          <Badge severity={entry.applicationStatus === 'approved' ? 'success' : undefined}>
            {t('project.application', {
              status: t(`labels.applicationStatus.${entry.applicationStatus}`),
            })}
          </Badge>
        </li>
      </ul>
      <h2>{t('project.summary')}</h2>
      <p>{entry.publicSummary}</p>
      <h2>{t('project.purpose')}</h2>
      <p>{entry.purpose}</p>
      <h2>{t('project.team')}</h2>
      {entry.team.length === 0 ? (
        <p>{t('project.noTeam')}</p>
      ) : (
        <ul>
          {entry.team.map((m) => (
            <li key={`${m.displayName}-${m.projectRole}`}>
              {m.displayName} — {t(`labels.projectRole.${m.projectRole}`, m.projectRole)}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('project.permits')}</h2>
      {entry.permits.length === 0 ? (
        <p>{t('project.noPermit')}</p>
      ) : (
        <>
          <p className="fr-text--sm">{t('project.permitIdHint')}</p>
          <Table
            caption={t('project.permitsCaption')}
            headers={[
              t('project.permitId'),
              t('project.permitStatus'),
              t('project.validity'),
              t('project.accessMode'),
              t('project.permitData'),
            ]}
            data={entry.permits.map((p) => [
              <span key="id">
                <code>{p.permitId}</code>
                <br />
                <Link to={`/transparence?permis=${encodeURIComponent(p.permitId)}`}>
                  {t('transparency.permitLog')}
                </Link>
              </span>,
              t(`labels.permitStatus.${p.status}`),
              t('project.validityRange', {
                from: formatDay(p.validFrom),
                to: formatDay(p.expiresAt),
              }),
              t(`labels.accessMode.${p.accessMode}`),
              p.data.map((d) => d.table).join(', '),
            ])}
          />
        </>
      )}
      <h2>{t('project.dataUsed')}</h2>
      <DataTable items={entry.dataUsed} caption={t('project.dataCaption')} />
      <h2>{t('project.results')}</h2>
      {entry.results.length === 0 ? (
        <p>{t('project.noResults')}</p>
      ) : (
        <ul>
          {entry.results.map((r, i) => (
            <li key={i} className="fr-mb-2w">
              <strong>{r.title}</strong> ({t(`labels.resultKind.${r.kind}`, r.kind)}
              {r.publishedOn !== null
                ? `, ${t('project.publishedOn', { date: formatDay(r.publishedOn) })}`
                : ''}
              ){r.summary !== null ? ` — ${r.summary}` : ''}
              {r.url !== null && (
                <>
                  {' '}
                  <a href={r.url} target="_blank" rel="noopener noreferrer" className="fr-link">
                    {t('project.link')}
                  </a>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
