/**
 * "Who used my data": the permits whose population includes the citizen, each with its latest
 * transparency log entries, every entry recomputed and its inclusion proof checked in the browser
 * against the signed tree head the server names.
 */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import type { AccessMode, DataItem, PermitStatus } from '../public/directory-types';
import { formatDay, formatInstant, formatInstantShort, formatNumber } from '../public/format';
import { HeadFields, useHeadSignature } from '../public/TransparencyPage';
import { checkEntry } from '../public/transparency';
import type {
  HeadResponse,
  IndexedEntry,
  ProofOutcome,
  SignedTreeHead,
} from '../public/transparency';
import { isSessionExpired } from './citizen-session';

type ProvedEntry = IndexedEntry & { readonly inclusionProof: readonly string[] };

/** One permit whose population includes the citizen. */
interface DataUse {
  readonly permitId: string;
  readonly projectTitle: string;
  readonly publicSummary: string;
  readonly status: PermitStatus;
  readonly issuedAt: string;
  readonly validFrom: string;
  readonly expiresAt: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly accessMode: AccessMode;
  readonly data: readonly DataItem[];
  readonly excludedSince: string | null;
  readonly logEntries: readonly ProvedEntry[];
}

/** `GET /api/v1/citizen/data-uses`. */
interface DataUses {
  readonly optedOutSince: string | null;
  readonly uses: readonly DataUse[];
  readonly transparency: { readonly head: SignedTreeHead | null } | null;
}

const proofKey = (permitId: string, index: number): string => `${permitId}#${index}`;

/** Checks every entry's proof against the head; outcomes keyed by permit and index. */
function useProofs(data: DataUses | null): ReadonlyMap<string, ProofOutcome> {
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, ProofOutcome>>(new Map());
  useEffect(() => {
    const head = data?.transparency?.head ?? null;
    if (data === null || head === null) return;
    let live = true;
    setOutcomes(new Map());
    const jobs = data.uses.flatMap((u) =>
      u.logEntries.map(
        async (e) => [proofKey(u.permitId, e.index), await checkEntry(e, head)] as const,
      ),
    );
    void Promise.all(jobs).then((results) => {
      if (live) setOutcomes(new Map(results));
    });
    return () => {
      live = false;
    };
  }, [data]);
  return outcomes;
}

export function DataUsesSection({
  token,
  version,
  onExpired,
}: {
  token: string;
  /** Bumped when the opt-out changes, to reload. */
  version: number;
  onExpired: () => void;
}): ReactNode {
  const { t } = useTranslation('citizen');
  const uses = useApi(
    () => api.withToken<DataUses>(token, 'GET', '/api/v1/citizen/data-uses'),
    [token, version],
  );
  // The public key comes from the log's public head route, not from the answer being checked.
  const log = useApi(() => api.get<HeadResponse>('/api/v1/transparency/head'), []);
  const head = uses.data?.transparency?.head ?? null;
  const signature = useHeadSignature(head, log.data?.publicKeyPem ?? null);
  const outcomes = useProofs(uses.data);
  const expired = isSessionExpired(uses.error);
  useEffect(() => {
    if (expired) onExpired();
  }, [expired, onExpired]);
  return (
    <section aria-labelledby="uses-title">
      <h2 id="uses-title">{t('uses.title')}</h2>
      <p>{t('uses.intro')}</p>
      <ErrorAlert error={uses.error} />
      {uses.loading && uses.data === null && <Loading />}
      {uses.data !== null && (
        <>
          {uses.data.uses.length === 0 && (
            <div role="status">
              <Alert severity="info" small description={t('uses.empty')} />
            </div>
          )}
          {uses.data.transparency === null && <p>{t('uses.noLog')}</p>}
          {uses.data.uses.map((u) => (
            <UseCard key={u.permitId} use={u} outcomes={outcomes} />
          ))}
          {head !== null && (
            <>
              <h3 className="fr-mt-4w">{t('uses.headTitle')}</h3>
              <HeadFields head={head} outcome={signature} />
              <p>
                <Link to="/transparence" className="fr-link">
                  {t('uses.howTo')}
                </Link>
              </p>
            </>
          )}
        </>
      )}
    </section>
  );
}

function ProofBadge({ outcome }: { outcome: ProofOutcome | undefined }): ReactNode {
  const { t } = useTranslation('citizen');
  if (outcome === undefined) return <span>{t('uses.proofChecking')}</span>;
  const [severity, key] =
    outcome === 'verified'
      ? (['success', 'proofVerified'] as const)
      : outcome === 'invalid'
        ? (['error', 'proofInvalid'] as const)
        : (['warning', 'proofUnavailable'] as const);
  return (
    <Badge as="span" small severity={severity}>
      {t(`uses.${key}`)}
    </Badge>
  );
}

function UseCard({
  use,
  outcomes,
}: {
  use: DataUse;
  outcomes: ReadonlyMap<string, ProofOutcome>;
}): ReactNode {
  const { t } = useTranslation('citizen');
  const { t: tp } = useTranslation('public');
  const results = use.logEntries.map((e) => outcomes.get(proofKey(use.permitId, e.index)));
  const checked = results.every((r) => r !== undefined);
  const verified = results.filter((r) => r === 'verified').length;
  const invalid = results.some((r) => r === 'invalid');
  return (
    <article
      className="fr-p-3w fr-mb-4w"
      style={{ border: '1px solid var(--border-default-grey)' }}
      aria-labelledby={`use-${use.permitId}`}
    >
      <h3 id={`use-${use.permitId}`}>{use.projectTitle}</h3>
      <p>{use.publicSummary}</p>
      <ul>
        <li>
          {t('uses.permit', { id: use.permitId })} —{' '}
          {t('uses.status', { status: tp(`labels.permitStatus.${use.status}`) })}
        </li>
        <li>
          {t('uses.validity', { from: formatDay(use.validFrom), to: formatDay(use.expiresAt) })}
        </li>
        <li>
          {t('uses.period', { from: formatDay(use.period.from), to: formatDay(use.period.to) })}
        </li>
        <li>{t('uses.accessMode', { mode: tp(`labels.accessMode.${use.accessMode}`) })}</li>
        <li>{t('uses.dataList', { tables: use.data.map((d) => d.table).join(', ') })}</li>
      </ul>
      {use.excludedSince !== null && (
        <p className="fr-text--bold">
          {t('uses.excludedSince', { date: formatInstant(use.excludedSince) })}
        </p>
      )}
      {use.logEntries.length === 0 ? (
        <p>{t('uses.noEntries')}</p>
      ) : (
        <>
          <p role="status" aria-live="polite">
            {checked
              ? t('uses.summary', { count: results.length, verified })
              : t('uses.proofChecking')}
          </p>
          {invalid && (
            <div role="alert" className="fr-mb-2w">
              <Alert severity="error" small description={t('uses.invalidWarning')} />
            </div>
          )}
          <Table
            caption={t('uses.entriesCaption', { id: use.permitId })}
            headers={[
              tp('transparency.index'),
              tp('transparency.time'),
              tp('transparency.action'),
              tp('transparency.decision'),
              tp('transparency.role'),
              t('uses.proof'),
            ]}
            data={use.logEntries.map((e) => [
              formatNumber(e.index),
              formatInstantShort(e.entry.at),
              <code key="a">{e.entry.action}</code>,
              <span key="d">
                {tp(`labels.decision.${e.entry.decision}`)}
                {e.entry.reason !== undefined && (
                  <>
                    <br />
                    {tp('transparency.reasonIs')} <code>{e.entry.reason}</code>
                  </>
                )}
              </span>,
              e.entry.actorRole,
              <ProofBadge key="p" outcome={outcomes.get(proofKey(use.permitId, e.index))} />,
            ])}
          />
        </>
      )}
    </article>
  );
}
