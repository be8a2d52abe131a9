/**
 * Release requests of a run's result, and the project's requests so far with their status
 * (`GET /api/v1/projects/:projectId/release-requests`): an approved one can be downloaded.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useTranslation } from 'react-i18next';
import { api, downloadFile } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StatusBadge, useDay } from './shared';
import type { ReleaseRequest } from './types';

/**
 * The project's release requests, newest first, from the server; `add` shows a request just
 * made or updated at once, and the list is then re-read (an approval may have come meanwhile).
 */
export function useReleaseRequests(projectId: string): {
  list: readonly ReleaseRequest[];
  add(r: ReleaseRequest): void;
  error: unknown;
} {
  const [list, setList] = useState<readonly ReleaseRequest[]>([]);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    if (projectId === '') return;
    api
      .get<ReleaseRequest[]>(`/api/v1/projects/${encodeURIComponent(projectId)}/release-requests`)
      .then((r) => {
        setList(r);
        setError(null);
      })
      .catch((e: unknown) => setError(e));
  }, [projectId]);
  useEffect(reload, [reload]);
  return {
    list,
    error,
    add: (r) => {
      setList((prev) =>
        prev.some((x) => x.id === r.id) ? prev.map((x) => (x.id === r.id ? r : x)) : [r, ...prev],
      );
      reload();
    },
  };
}

/** The form asking the output checkers to release a run's result. */
export function RequestRelease({
  runId,
  onRequested,
}: {
  runId: string;
  onRequested: (r: ReleaseRequest) => void;
}): ReactNode {
  const { t } = useTranslation('researcher');
  const [justification, setJustification] = useState('');
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const submit = (): void => {
    if (justification.trim() === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(null);
    api
      .post<ReleaseRequest>(`/api/v1/queries/${runId}/release-requests`, {
        justification: justification.trim(),
      })
      .then((r) => {
        onRequested(r);
        setDone(true);
      })
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(false));
  };
  return (
    <section className="fr-mb-4w">
      <h2>{t('release.title')}</h2>
      <p>{t('release.lead')}</p>
      <ErrorAlert error={error} />
      {done ? (
        <p role="status">{t('release.sent')}</p>
      ) : (
        <>
          <Input
            textArea
            label={t('release.justification')}
            hintText={t('release.justificationHint')}
            state={missing ? 'error' : 'default'}
            stateRelatedMessage={t('form.required')}
            nativeTextAreaProps={{
              rows: 3,
              maxLength: 4000,
              value: justification,
              onChange: (e) => setJustification(e.target.value),
            }}
          />
          <Button type="button" disabled={busy} onClick={submit} iconId="fr-icon-send-plane-line">
            {t('release.request')}
          </Button>
        </>
      )}
    </section>
  );
}

/** The researcher's requests: status, and the download of an approved one. */
export function ReleaseList({
  list,
  onUpdated,
}: {
  list: readonly ReleaseRequest[];
  onUpdated: (r: ReleaseRequest) => void;
}): ReactNode {
  const { t } = useTranslation('researcher');
  const day = useDay();
  const [error, setError] = useState<unknown>(null);
  const withdraw = (id: string): void => {
    setError(null);
    api
      .post<ReleaseRequest>(`/api/v1/release-requests/${id}/withdraw`, {})
      .then(onUpdated)
      .catch((e: unknown) => setError(e));
  };
  return (
    <section className="fr-mb-4w">
      <h2>{t('release.listTitle')}</h2>
      <p className="fr-text--sm">{t('release.listNote')}</p>
      <ErrorAlert error={error} />
      {list.length === 0 ? (
        <p>{t('release.none')}</p>
      ) : (
        <div className="fr-table">
          <table>
            <caption>{t('release.listCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('release.requestedAt')}</th>
                <th scope="col">{t('release.run')}</th>
                <th scope="col">{t('release.justification')}</th>
                <th scope="col">{t('release.status')}</th>
                <th scope="col">{t('release.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.id}>
                  <td>{day(r.requestedAt)}</td>
                  <td>
                    <code>{r.runId.slice(0, 8)}</code>
                  </td>
                  <td>{r.justification}</td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>
                    {r.release !== null ? (
                      <span className="fr-btns-group fr-btns-group--inline-sm">
                        {(['csv', 'json'] as const).map((f) => (
                          <Button
                            key={f}
                            type="button"
                            size="small"
                            priority="secondary"
                            iconId="fr-icon-download-line"
                            onClick={() =>
                              void downloadFile(
                                `/api/v1/releases/${r.release?.id ?? ''}/download?format=${f}`,
                                `hygie-release.${f}`,
                              ).catch((e: unknown) => setError(e))
                            }
                          >
                            {t('release.downloadAs', { format: f.toUpperCase() })}
                          </Button>
                        ))}
                      </span>
                    ) : r.status === 'pending' ? (
                      <Button
                        type="button"
                        size="small"
                        priority="tertiary"
                        onClick={() => withdraw(r.id)}
                      >
                        {t('release.withdraw')}
                      </Button>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
