/**
 * One application as the access committee examines it: the project, what is requested, the
 * approvals given and required, the earlier reviews, events and versions; opening the review,
 * the decision form, and after the deciding approval the permit it issued.
 */
import { useState } from 'react';
import type { ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useSession } from '../../auth/session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { RequireRole } from '../../components/RequireRole';
import { useApi } from '../../components/use-api';
import { ActionError } from './ActionError';
import { ApplicationContentView } from './ApplicationContentView';
import { EventsTable, ReviewsTable, VersionsList } from './ApplicationHistory';
import type { NameOf } from './ApplicationHistory';
import { DecisionForm } from './DecisionForm';
import { PermitIssued } from './PermitIssued';
import { StatusBadge } from './StatusBadge';
import { formatInstant } from './format';
import type {
  Application,
  ApplicationEvent,
  ApplicationVersion,
  Permit,
  Project,
  Review,
  ReviewOutcome,
} from './types';

interface Dossier {
  /** With the approvals that decide (a platform setting). */
  readonly application: Application & { readonly requiredApprovals: number };
  readonly project: Project;
  readonly reviews: readonly Review[];
  readonly events: readonly ApplicationEvent[];
  readonly versions: readonly ApplicationVersion[];
  readonly permit: Permit | null;
}

async function loadDossier(id: string): Promise<Dossier> {
  const application = await api.get<Application & { requiredApprovals: number }>(
    `/api/v1/applications/${id}`,
  );
  const [project, reviews, events, versions, permits] = await Promise.all([
    api.get<Project>(`/api/v1/projects/${application.projectId}`),
    api.get<Review[]>(`/api/v1/applications/${id}/reviews`),
    api.get<ApplicationEvent[]>(`/api/v1/applications/${id}/events`),
    api.get<ApplicationVersion[]>(`/api/v1/applications/${id}/versions`),
    application.status === 'approved'
      ? api.get<(Permit & { applicationId: string })[]>('/api/v1/permits')
      : Promise.resolve([]),
  ]);
  const permit = permits.find((p) => p.applicationId === id) ?? null;
  return { application, project, reviews, events, versions, permit };
}

function StartReview({ id, onStarted }: { id: string; onStarted: () => void }): ReactNode {
  const { t } = useTranslation('reviewer');
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  return (
    <section aria-labelledby="start-title" className="fr-mb-4w">
      <h2 id="start-title">{t('start.title')}</h2>
      <p>{t('start.body')}</p>
      <ActionError error={error} ns="reviewer" />
      <Button
        iconId="fr-icon-search-line"
        disabled={sending}
        onClick={() => {
          setSending(true);
          setError(null);
          api
            .post(`/api/v1/applications/${id}/start-review`, {})
            .then(onStarted)
            .catch((e: unknown) => setError(e))
            .finally(() => setSending(false));
        }}
      >
        {t('start.button')}
      </Button>
    </section>
  );
}

function Approvals({
  dossier,
  required,
}: {
  dossier: Dossier;
  required: number | null;
}): ReactNode {
  const { t } = useTranslation('reviewer');
  const { application, reviews } = dossier;
  const current = reviews.filter((r) => r.version === application.version);
  const given = new Set(current.filter((r) => r.decision === 'approve').map((r) => r.reviewerId))
    .size;
  return (
    <p role="status" className="fr-text--lg">
      {t('approvals.count', {
        given,
        required: required ?? application.requiredApprovals,
        version: application.version,
      })}
    </p>
  );
}

function DossierView({ dossier, reload }: { dossier: Dossier; reload: () => void }): ReactNode {
  const { t, i18n } = useTranslation('reviewer');
  const { me } = useSession();
  const [outcome, setOutcome] = useState<ReviewOutcome | null>(null);
  const { application, project } = dossier;
  const names = new Map(project.team.map((m) => [m.userId, m.displayName]));
  const nameOf: NameOf = (userId) =>
    userId === null
      ? t('people.platform')
      : userId === me?.userId
        ? t('people.you')
        : (names.get(userId) ?? t('people.account', { id: userId.slice(0, 8) }));
  const permit = outcome?.permit ?? dossier.permit;
  return (
    <>
      <h1>{t('application.title', { project: project.title })}</h1>
      <p>
        <StatusBadge status={application.status} />{' '}
        {t('application.meta', {
          version: application.version,
          submitted: formatInstant(application.submittedAt, i18n.language),
          author: nameOf(application.createdBy),
        })}
      </p>
      {permit !== null && <PermitIssued permit={permit} />}
      {outcome !== null && outcome.permit === null && (
        <div role="status" className="fr-mb-3w">
          <Alert
            severity="success"
            small
            description={t('decision.recorded', {
              decision: t(`decision.${outcome.review.decision}`),
              approvals: outcome.approvals,
              required: outcome.requiredApprovals,
              status: t(`status.${outcome.application.status}`),
            })}
          />
        </div>
      )}
      <Approvals dossier={dossier} required={outcome?.requiredApprovals ?? null} />

      <h2>{t('application.project')}</h2>
      <dl>
        <dt className="fr-text--bold">{t('application.purpose')}</dt>
        <dd>{project.purpose}</dd>
        <dt className="fr-text--bold">{t('application.legalBasis')}</dt>
        <dd>{project.legalBasis}</dd>
        <dt className="fr-text--bold">{t('application.funding')}</dt>
        <dd>{project.funding ?? '—'}</dd>
        <dt className="fr-text--bold">{t('application.team')}</dt>
        <dd>
          <ul>
            {project.team.map((m) => (
              <li key={m.userId}>
                {m.displayName} —{' '}
                {t(`projectRole.${m.projectRole}`, { defaultValue: m.projectRole })}
              </li>
            ))}
          </ul>
        </dd>
      </dl>

      <h2>{t('application.request')}</h2>
      <ApplicationContentView content={application.content} idPrefix="current" />

      {application.status === 'submitted' && <StartReview id={application.id} onStarted={reload} />}
      {application.status === 'under_review' &&
        dossier.reviews.some(
          (r) => r.version === application.version && r.reviewerId === me?.userId,
        ) && <Alert severity="info" small description={t('decision.alreadyGiven')} />}
      {application.status === 'under_review' && (
        <DecisionForm
          applicationId={application.id}
          version={application.version}
          onDecided={(o) => {
            setOutcome(o);
            reload();
          }}
        />
      )}

      <h2 className="fr-mt-4w">{t('history.reviews')}</h2>
      <ReviewsTable reviews={dossier.reviews} nameOf={nameOf} />
      <h2>{t('history.events')}</h2>
      <EventsTable events={dossier.events} nameOf={nameOf} />
      <h2>{t('history.versions')}</h2>
      <VersionsList versions={dossier.versions} nameOf={nameOf} />
    </>
  );
}

/** The committee's page for one application. */
export function ApplicationPage(): ReactNode {
  const { t } = useTranslation('reviewer');
  const { applicationId = '' } = useParams();
  const { data, error, loading, reload } = useApi(
    () => loadDossier(applicationId),
    [applicationId],
  );
  return (
    <RequireRole roles={['reviewer']}>
      <Breadcrumb
        currentPageLabel={t('application.breadcrumb')}
        segments={[{ label: t('queue.title'), linkProps: { to: '/comite' } }]}
      />
      {error !== null && <ErrorAlert error={error} />}
      {data !== null ? <DossierView dossier={data} reload={reload} /> : loading && <Loading />}
    </RequireRole>
  );
}
