/**
 * One release request as the output checker examines it: the justification, the run (period,
 * ε and δ spent), the disclosure report with the result cells, and the decision — approve, or
 * reject with a reason.
 */
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { RequireRole } from '../../components/RequireRole';
import { useApi } from '../../components/use-api';
import { ActionError } from './ActionError';
import { DisclosureReportView } from './DisclosureReportView';
import { formatInstant } from './format';
import type { QueryRun, ReleaseRequest } from './types';

type Decision = 'approve' | 'reject';

interface Examined {
  readonly request: ReleaseRequest;
  readonly run: QueryRun | null;
}

async function loadRequest(requestId: string): Promise<Examined> {
  const request = await api.get<ReleaseRequest>(`/api/v1/release-requests/${requestId}`);
  const run = await api.get<QueryRun>(`/api/v1/queries/${request.runId}`);
  return { request, run };
}

function ReleaseDecisionForm({
  requestId,
  onDecided,
}: {
  requestId: string;
  onDecided: (r: ReleaseRequest) => void;
}): ReactNode {
  const { t } = useTranslation('reviewer');
  const [decision, setDecision] = useState<Decision | null>(null);
  const [comment, setComment] = useState('');
  const [missing, setMissing] = useState<'decision' | 'comment' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setError(null);
    if (decision === null) return setMissing('decision');
    if (decision === 'reject' && comment.trim() === '') return setMissing('comment');
    setMissing(null);
    setSending(true);
    api
      .post<ReleaseRequest>(`/api/v1/release-requests/${requestId}/decision`, {
        decision,
        comment: comment.trim() === '' ? null : comment.trim(),
      })
      .then(onDecided)
      .catch((err: unknown) => setError(err))
      .finally(() => setSending(false));
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="release-decision-title">
      <h2 id="release-decision-title">{t('release.decisionTitle')}</h2>
      <RadioButtons
        legend={t('release.legend')}
        state={missing === 'decision' ? 'error' : 'default'}
        stateRelatedMessage={missing === 'decision' ? t('decision.chooseOne') : undefined}
        options={(['approve', 'reject'] as const).map((d) => ({
          label: t(`release.${d}`),
          nativeInputProps: {
            name: 'release-decision',
            value: d,
            checked: decision === d,
            onChange: () => setDecision(d),
          },
        }))}
      />
      <Input
        label={decision === 'reject' ? t('release.reasonRequired') : t('release.reason')}
        textArea
        state={missing === 'comment' ? 'error' : 'default'}
        stateRelatedMessage={missing === 'comment' ? t('release.reasonMissing') : undefined}
        nativeTextAreaProps={{
          value: comment,
          rows: 3,
          maxLength: 4000,
          required: decision === 'reject',
          onChange: (e) => setComment(e.target.value),
        }}
      />
      <ActionError error={error} ns="reviewer" />
      <Button type="submit" disabled={sending} iconId="fr-icon-check-line">
        {sending ? t('decision.sending') : t('release.submit')}
      </Button>
    </form>
  );
}

function Decided({ request }: { request: ReleaseRequest }): ReactNode {
  const { t, i18n } = useTranslation('reviewer');
  return (
    <div role="status" className="fr-mb-3w">
      <Alert
        severity={request.status === 'approved' ? 'success' : 'info'}
        title={t(`release.outcome.${request.status}`, { defaultValue: request.status })}
        description={
          request.release !== null
            ? t('release.released', {
                id: request.release.id,
                when: formatInstant(request.release.releasedAt, i18n.language),
                hash: request.release.contentHash.slice(0, 16),
              })
            : (request.decisionComment ?? '')
        }
      />
    </div>
  );
}

function RequestView({ examined }: { examined: Examined }): ReactNode {
  const { t, i18n } = useTranslation('reviewer');
  const [decided, setDecided] = useState<ReleaseRequest | null>(null);
  const { request, run } = examined;
  // A request decided earlier (or just now) shows its outcome instead of the form.
  const outcome = decided ?? (request.status === 'pending' ? null : request);
  return (
    <>
      <dl className="fr-mb-4w">
        <dt className="fr-text--bold">{t('release.requestedAt')}</dt>
        <dd>{formatInstant(request.requestedAt, i18n.language)}</dd>
        <dt className="fr-text--bold">{t('release.justification')}</dt>
        <dd>{request.justification}</dd>
        <dt className="fr-text--bold">{t('release.project')}</dt>
        <dd>{request.projectTitle ?? <code>{request.projectId}</code>}</dd>
        {run !== null && (
          <>
            <dt className="fr-text--bold">{t('release.run')}</dt>
            <dd>
              {t('release.runValue', {
                when: formatInstant(run.finishedAt, i18n.language),
                from: run.query.period?.from ?? '?',
                to: run.query.period?.to ?? '?',
                epsilon: run.epsilon,
                delta: run.delta,
              })}
            </dd>
          </>
        )}
      </dl>
      <h2>{t('report.title')}</h2>
      {request.disclosure ? (
        <DisclosureReportView
          disclosure={request.disclosure}
          tables={run?.result?.tables ?? null}
        />
      ) : (
        <p>{t('report.missing')}</p>
      )}
      {outcome !== null ? (
        <Decided request={outcome} />
      ) : (
        <ReleaseDecisionForm requestId={request.id} onDecided={setDecided} />
      )}
    </>
  );
}

/** The output checker's page for one release request. */
export function ReleaseRequestPage(): ReactNode {
  const { t } = useTranslation('reviewer');
  const { requestId = '' } = useParams();
  const { data, error, loading } = useApi(() => loadRequest(requestId), [requestId]);
  return (
    <RequireRole roles={['output_checker']}>
      <Breadcrumb
        currentPageLabel={t('release.breadcrumb')}
        segments={[{ label: t('airlock.title'), linkProps: { to: '/controle' } }]}
      />
      <h1>{t('release.title', { id: requestId.slice(0, 8) })}</h1>
      {error !== null && <ErrorAlert error={error} />}
      {data !== null ? <RequestView examined={data} /> : loading && <Loading />}
    </RequireRole>
  );
}
