/** The researcher's overview: their projects, their permits, and where to go next. */
import type { ReactNode } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import { StatusBadge, useDay } from './shared';
import type { Permit, Project } from './types';

/** `/recherche`: my projects and permits, with links to the catalogue and a new project. */
export function ResearchHome(): ReactNode {
  const { t } = useTranslation('researcher');
  const day = useDay();
  const projects = useApi(() => api.get<Project[]>('/api/v1/projects'), []);
  const permits = useApi(() => api.get<Permit[]>('/api/v1/permits'), []);
  const titleOf = (id: string): string =>
    projects.data?.find((p) => p.id === id)?.title ?? id.slice(0, 8);
  return (
    <>
      <h1>{t('home.title')}</h1>
      <p className="fr-text--lead">{t('home.lead')}</p>
      <div className="fr-btns-group fr-btns-group--inline-md fr-mb-4w">
        <Button linkProps={{ to: '/recherche/catalogue' }} iconId="fr-icon-table-line">
          {t('home.catalogue')}
        </Button>
        <Button
          priority="secondary"
          linkProps={{ to: '/recherche/projets/nouveau' }}
          iconId="fr-icon-add-line"
        >
          {t('home.newProject')}
        </Button>
      </div>

      <h2>{t('home.projects')}</h2>
      <ErrorAlert error={projects.error} />
      {projects.loading && <Loading />}
      {projects.data !== null &&
        (projects.data.length === 0 ? (
          <p>{t('home.noProject')}</p>
        ) : (
          <Table
            caption={t('home.projectsCaption')}
            headers={[t('project.title'), t('project.status'), t('project.createdAt')]}
            data={projects.data.map((p) => [
              <Link key="l" to={`/recherche/projets/${p.id}`}>
                {p.title}
              </Link>,
              <StatusBadge key="s" status={p.status} />,
              day(p.createdAt),
            ])}
          />
        ))}

      <h2>{t('home.permits')}</h2>
      <ErrorAlert error={permits.error} />
      {permits.loading && <Loading />}
      {permits.data !== null &&
        (permits.data.length === 0 ? (
          <p>{t('home.noPermit')}</p>
        ) : (
          <Table
            caption={t('home.permitsCaption')}
            headers={[
              t('permit.project'),
              t('permit.status'),
              t('permit.validity'),
              t('permit.epsilon'),
              t('permit.actions'),
            ]}
            data={permits.data.map((p) => [
              <Link key="l" to={`/recherche/projets/${p.projectId}`}>
                {titleOf(p.projectId)}
              </Link>,
              <StatusBadge key="s" status={p.status} />,
              t('permit.validityValue', { from: day(p.validFrom), to: day(p.expiresAt) }),
              t('permit.epsilonValue', { spent: p.epsilonSpent, budget: p.epsilonBudget }),
              p.status === 'active' ? (
                <Link key="q" to={`/recherche/permis/${p.id}/requete`}>
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
