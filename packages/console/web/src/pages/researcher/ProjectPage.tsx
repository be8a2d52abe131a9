/** A project as its team sees it: the team, the applications and their state, the permits. */
import type { ReactNode } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import { StatusBadge, useDay } from './shared';
import type { Application, Permit, Project } from './types';

/** Application states in which the team may still edit it. */
const EDITABLE = ['draft', 'changes_requested'];

/** `/recherche/projets/:projectId`. */
export function ProjectPage(): ReactNode {
  const { t } = useTranslation('researcher');
  const { projectId = '' } = useParams();
  const day = useDay();
  const project = useApi(() => api.get<Project>(`/api/v1/projects/${projectId}`), [projectId]);
  const applications = useApi(
    () => api.get<Application[]>(`/api/v1/projects/${projectId}/applications`),
    [projectId],
  );
  // The permits route answers a researcher with their projects' permits: keep this one's.
  const permits = useApi(
    () =>
      api
        .get<Permit[]>('/api/v1/permits')
        .then((ps) => ps.filter((p) => p.projectId === projectId)),
    [projectId],
  );
  const p = project.data;
  return (
    <>
      <Breadcrumb
        currentPageLabel={p?.title ?? t('project.page')}
        segments={[{ label: t('home.title'), linkProps: { to: '/recherche' } }]}
      />
      {/* One h1 on the page even when the project could not be read. */}
      {p === null && <h1>{t('project.page')}</h1>}
      <ErrorAlert error={project.error} />
      {project.loading && <Loading />}
      {p !== null && (
        <>
          <h1>{p.title}</h1>
          <p>
            <StatusBadge status={p.status} />
          </p>
          <dl>
            {(['purpose', 'legalBasis', 'funding', 'publicSummary'] as const).map((k) => (
              <div key={k} className="fr-mb-2w">
                <dt className="fr-text--bold">{t(`project.${k}`)}</dt>
                <dd className="fr-ml-0">{p[k] ?? '—'}</dd>
              </div>
            ))}
          </dl>

          <h2>{t('project.team')}</h2>
          <Table
            caption={t('project.teamCaption')}
            headers={[t('project.member'), t('project.role'), t('project.since')]}
            data={p.team.map((m) => [
              m.displayName,
              t(`projectRole.${m.projectRole}`, { defaultValue: m.projectRole }),
              day(m.addedAt),
            ])}
          />
        </>
      )}

      <h2>{t('project.applications')}</h2>
      {p !== null && p.status === 'active' && (
        <Button
          className="fr-mb-2w"
          iconId="fr-icon-add-line"
          linkProps={{ to: `/recherche/projets/${projectId}/demande` }}
        >
          {t('project.newApplication')}
        </Button>
      )}
      <ErrorAlert error={applications.error} />
      {applications.loading && <Loading />}
      {applications.data !== null &&
        (applications.data.length === 0 ? (
          <p>{t('project.noApplication')}</p>
        ) : (
          <Table
            caption={t('project.applicationsCaption')}
            headers={[
              t('application.version'),
              t('application.status'),
              t('application.data'),
              t('application.updatedAt'),
              t('application.actions'),
            ]}
            data={applications.data.map((a) => [
              String(a.version),
              <StatusBadge key="s" status={a.status} />,
              a.content.data.map((d) => d.table).join(', '),
              day(a.updatedAt),
              EDITABLE.includes(a.status) ? (
                <Link key="e" to={`/recherche/projets/${projectId}/demande/${a.id}`}>
                  {t('application.edit')}
                </Link>
              ) : (
                '—'
              ),
            ])}
          />
        ))}

      <h2>{t('project.permits')}</h2>
      <ErrorAlert error={permits.error} />
      {permits.loading && <Loading />}
      {permits.data !== null &&
        (permits.data.length === 0 ? (
          <p>{t('project.noPermit')}</p>
        ) : (
          <Table
            caption={t('project.permitsCaption')}
            headers={[
              t('permit.id'),
              t('permit.status'),
              t('permit.validity'),
              t('permit.period'),
              t('permit.epsilon'),
              t('permit.actions'),
            ]}
            data={permits.data.map((pm) => [
              <code key="i">{pm.id.slice(0, 8)}</code>,
              <StatusBadge key="s" status={pm.status} />,
              t('permit.validityValue', { from: day(pm.validFrom), to: day(pm.expiresAt) }),
              t('permit.validityValue', {
                from: day(pm.scope.period.from),
                to: day(pm.scope.period.to),
              }),
              t('permit.epsilonValue', { spent: pm.epsilonSpent, budget: pm.epsilonBudget }),
              pm.status === 'active' ? (
                <Link key="q" to={`/recherche/permis/${pm.id}/requete`}>
                  {t('permit.query')}
                </Link>
              ) : (
                '—'
              ),
            ])}
          />
        ))}
    </>
  );
}
