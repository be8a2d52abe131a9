/** The public directory of research projects: who uses the data, for what, under which permits. */
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import type { DirectoryEntry } from './directory-types';

type PermitFilter = 'any' | 'active' | 'none';
type StatusFilter = 'any' | 'active' | 'closed';

/** Everything a search may match in an entry, lower-cased once. */
function haystack(e: DirectoryEntry): string {
  return [
    e.title,
    e.publicSummary,
    e.purpose,
    ...e.team.map((m) => m.displayName),
    ...e.dataUsed.map((d) => d.table),
  ]
    .join(' ')
    .toLocaleLowerCase();
}

function matches(
  e: DirectoryEntry,
  text: string,
  status: StatusFilter,
  permit: PermitFilter,
): boolean {
  if (status !== 'any' && e.status !== status) return false;
  const hasActive = e.permits.some((p) => p.status === 'active');
  if (permit === 'active' && !hasActive) return false;
  if (permit === 'none' && hasActive) return false;
  const words = text
    .toLocaleLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const hay = haystack(e);
  return words.every((w) => hay.includes(w));
}

export function DirectoryPage(): ReactNode {
  const { t } = useTranslation('public');
  const { data, error, loading } = useApi(
    () => api.get<DirectoryEntry[]>('/api/v1/directory/projects'),
    [],
  );
  const [text, setText] = useState('');
  const [status, setStatus] = useState<StatusFilter>('any');
  const [permit, setPermit] = useState<PermitFilter>('any');
  const shown = useMemo(
    () => (data ?? []).filter((e) => matches(e, text, status, permit)),
    [data, text, status, permit],
  );
  return (
    <>
      <h1>{t('directory.title')}</h1>
      <p className="fr-text--lead">{t('directory.lead')}</p>
      <p className="fr-text--sm">{t('directory.notShown')}</p>
      <ErrorAlert error={error} />
      {loading && <Loading />}
      {data !== null && data.length === 0 && <p>{t('directory.empty')}</p>}
      {data !== null && data.length > 0 && (
        <>
          <form
            role="search"
            aria-label={t('directory.filters')}
            className="fr-grid-row fr-grid-row--gutters"
            onSubmit={(e) => e.preventDefault()}
          >
            <div className="fr-col-12 fr-col-md-6">
              <Input
                label={t('directory.search')}
                hintText={t('directory.searchHint')}
                nativeInputProps={{
                  type: 'search',
                  value: text,
                  onChange: (e) => setText(e.target.value),
                }}
              />
            </div>
            <div className="fr-col-12 fr-col-md-3">
              <Select
                label={t('directory.status')}
                nativeSelectProps={{
                  value: status,
                  onChange: (e) => setStatus(e.target.value as StatusFilter),
                }}
              >
                <option value="any">{t('directory.any')}</option>
                <option value="active">{t('labels.projectStatus.active')}</option>
                <option value="closed">{t('labels.projectStatus.closed')}</option>
              </Select>
            </div>
            <div className="fr-col-12 fr-col-md-3">
              <Select
                label={t('directory.permitFilter')}
                nativeSelectProps={{
                  value: permit,
                  onChange: (e) => setPermit(e.target.value as PermitFilter),
                }}
              >
                <option value="any">{t('directory.any')}</option>
                <option value="active">{t('directory.withActivePermit')}</option>
                <option value="none">{t('directory.withoutActivePermit')}</option>
              </Select>
            </div>
          </form>
          <p role="status" aria-live="polite" className="fr-mb-2w">
            {t('directory.count', { count: shown.length })}
          </p>
          <ul className="fr-grid-row fr-grid-row--gutters fr-raw-list">
            {shown.map((e) => (
              <li key={e.projectId} className="fr-col-12 fr-col-md-6">
                <ProjectCard entry={e} />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function ProjectCard({ entry }: { entry: DirectoryEntry }): ReactNode {
  const { t } = useTranslation('public');
  const active = entry.permits.filter((p) => p.status === 'active').length;
  return (
    <Card
      title={entry.title}
      titleAs="h2"
      desc={entry.publicSummary}
      linkProps={{ to: `/projets/${entry.projectId}` }}
      enlargeLink
      start={
        <ul className="fr-badges-group">
          <li>
            <Badge small severity={entry.status === 'active' ? 'info' : undefined}>
              {t(`labels.projectStatus.${entry.status}`)}
            </Badge>
          </li>
          <li>
            <Badge small severity={active > 0 ? 'success' : undefined}>
              {t('directory.permits', { count: entry.permits.length })}
            </Badge>
          </li>
        </ul>
      }
      end={
        <p className="fr-card__detail">
          {t('directory.application', {
            status: t(`labels.applicationStatus.${entry.applicationStatus}`),
          })}
          {entry.team.length > 0 ? ` — ${entry.team.map((m) => m.displayName).join(', ')}` : ''}
        </p>
      }
    />
  );
}
