/**
 * The transparency log for everyone: the latest signed tree head explained in plain words, its
 * signature checked in the browser, how to verify the whole log offline, and the latest entries.
 */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { CallOut } from '@codegouvfr/react-dsfr/CallOut';
import { Pagination } from '@codegouvfr/react-dsfr/Pagination';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import { formatInstant, formatInstantShort, formatNumber } from './format';
import { checkHeadSignature } from './transparency';
import type { HeadResponse, IndexedEntry, ProofOutcome, SignedTreeHead } from './transparency';

/** Entries per page of the table. */
const PAGE_SIZE = 20;

export function TransparencyPage(): ReactNode {
  const { t } = useTranslation('public');
  const head = useApi(() => api.get<HeadResponse>('/api/v1/transparency/head'), []);
  return (
    <>
      <h1>{t('transparency.title')}</h1>
      <p className="fr-text--lead">{t('transparency.lead')}</p>
      <ErrorAlert error={head.error} />
      {head.loading && <Loading />}
      {head.data !== null && (
        <>
          <HeadSection answer={head.data} />
          <VerifySection />
          {head.data.head !== null && <EntriesSection head={head.data.head} />}
        </>
      )}
    </>
  );
}

/** The outcome of the in-browser signature check, in words and as a badge. */
export function SignatureBadge({ outcome }: { outcome: ProofOutcome | null }): ReactNode {
  const { t } = useTranslation('public');
  if (outcome === null) return <span>{t('transparency.signatureChecking')}</span>;
  const severity = outcome === 'verified' ? 'success' : outcome === 'invalid' ? 'error' : 'warning';
  const text =
    outcome === 'verified'
      ? t('transparency.signatureVerified')
      : outcome === 'invalid'
        ? t('transparency.signatureInvalid')
        : t('transparency.signatureUnavailable');
  return (
    <Badge as="span" small severity={severity}>
      {text}
    </Badge>
  );
}

/** Checks a head's signature once it is known. */
export function useHeadSignature(
  head: SignedTreeHead | null,
  publicKeyPem: string | null,
): ProofOutcome | null {
  const [outcome, setOutcome] = useState<ProofOutcome | null>(null);
  useEffect(() => {
    if (head === null || publicKeyPem === null) return;
    let live = true;
    setOutcome(null);
    void checkHeadSignature(head, publicKeyPem).then((o) => {
      if (live) setOutcome(o);
    });
    return () => {
      live = false;
    };
  }, [head, publicKeyPem]);
  return outcome;
}

/** The fields of a signed tree head, as a description list. */
export function HeadFields({
  head,
  outcome,
}: {
  head: SignedTreeHead;
  outcome: ProofOutcome | null;
}): ReactNode {
  const { t } = useTranslation('public');
  const rows: [string, ReactNode][] = [
    [t('transparency.treeSize'), formatNumber(head.treeSize)],
    [t('transparency.timestamp'), formatInstant(head.timestamp)],
    [t('transparency.rootHash'), <code key="r">{head.rootHash}</code>],
    [t('transparency.logId'), <code key="l">{head.logId}</code>],
    [t('transparency.signature'), <code key="s">{head.signature}</code>],
  ];
  return (
    <dl className="fr-mb-2w">
      {rows.map(([k, v]) => (
        <div key={k} className="fr-mb-1w">
          <dt className="fr-text--bold">{k}</dt>
          <dd className="fr-ml-0" style={{ overflowWrap: 'anywhere' }}>
            {v}
          </dd>
        </div>
      ))}
      <div>
        <dt className="fr-text--bold">{t('transparency.signatureCheck')}</dt>
        <dd className="fr-ml-0">
          {/* The live region inside the definition: a role on <dd> would break the list. */}
          <span role="status" aria-live="polite">
            <SignatureBadge outcome={outcome} />
          </span>
        </dd>
      </div>
    </dl>
  );
}

function HeadSection({ answer }: { answer: HeadResponse }): ReactNode {
  const { t } = useTranslation('public');
  const outcome = useHeadSignature(answer.head, answer.publicKeyPem);
  return (
    <section aria-labelledby="sth-title">
      <h2 id="sth-title">{t('transparency.headTitle')}</h2>
      <p>{t('transparency.headExplain')}</p>
      {answer.head === null ? (
        <p>{t('transparency.noHead')}</p>
      ) : (
        <HeadFields head={answer.head} outcome={outcome} />
      )}
    </section>
  );
}

function VerifySection(): ReactNode {
  const { t } = useTranslation('public');
  const origin = window.location.origin;
  const commands = [
    `curl -s ${origin}/api/v1/transparency/export > log.jsonl`,
    `curl -s ${origin}/api/v1/transparency/public-key > log-key.pem`,
    'hygie audit verify --log log.jsonl --pubkey log-key.pem',
  ].join('\n');
  const since = [
    `curl -s ${origin}/api/v1/transparency/head > head-$(date +%F).json`,
    'hygie audit verify --log log.jsonl --pubkey log-key.pem --since head-kept-last-month.json',
  ].join('\n');
  return (
    <section aria-labelledby="verify-title">
      <h2 id="verify-title">{t('transparency.verifyTitle')}</h2>
      <CallOut>{t('transparency.verifyExplain')}</CallOut>
      <ul className="fr-mb-2w">
        <li>
          <a
            className="fr-link fr-icon-download-line fr-link--icon-left"
            href="/api/v1/transparency/export"
            download="hygie-transparency-log.jsonl"
          >
            {t('transparency.downloadLog')}
          </a>
        </li>
        <li>
          <a
            className="fr-link fr-icon-download-line fr-link--icon-left"
            href="/api/v1/transparency/public-key"
            download="log-key.pem"
          >
            {t('transparency.downloadKey')}
          </a>
        </li>
        <li>
          <a className="fr-link" href="/api/v1/transparency/head">
            {t('transparency.downloadHead')}
          </a>
        </li>
      </ul>
      <pre
        className="fr-p-2w"
        style={{ background: 'var(--background-alt-grey)', overflowX: 'auto' }}
      >
        <code>{commands}</code>
      </pre>
      <p>{t('transparency.verifySince')}</p>
      <pre
        className="fr-p-2w"
        style={{ background: 'var(--background-alt-grey)', overflowX: 'auto' }}
      >
        <code>{since}</code>
      </pre>
    </section>
  );
}

/** A log entry's row cells: decision with its reason, target with its permit (fits the width). */
function useEntryCells(): (e: IndexedEntry) => ReactNode[] {
  const { t } = useTranslation('public');
  return (e) => [
    formatNumber(e.index),
    formatInstantShort(e.entry.at),
    e.entry.actorRole,
    <code key="a" style={{ overflowWrap: 'anywhere' }}>
      {e.entry.actorId}
    </code>,
    <code key="x">{e.entry.action}</code>,
    <span key="d">
      {t(`labels.decision.${e.entry.decision}`)}
      {e.entry.reason !== undefined && (
        <>
          <br />
          {t('transparency.reasonIs')} <code>{e.entry.reason}</code>
        </>
      )}
    </span>,
    <span key="t" style={{ overflowWrap: 'anywhere' }}>
      {e.entry.targetType !== undefined ? e.entry.targetType : '—'}
      {e.entry.targetId !== undefined && (
        <>
          {' '}
          <code>{e.entry.targetId}</code>
        </>
      )}
      {e.entry.permitId !== undefined && (
        <>
          <br />
          {t('transparency.permitIs')} <code>{e.entry.permitId}</code>
        </>
      )}
    </span>,
  ];
}

/** The entries of one permit (`?permis=`), most recent first: what was done under it. */
function PermitEntriesSection({ permitId }: { permitId: string }): ReactNode {
  const { t } = useTranslation('public');
  const entries = useApi(
    () =>
      api.get<{ entries: IndexedEntry[] }>(
        `/api/v1/transparency/permits/${encodeURIComponent(permitId)}/entries`,
        { limit: 200 },
      ),
    [permitId],
  );
  const cells = useEntryCells();
  const rows = entries.data?.entries ?? [];
  return (
    <section aria-labelledby="entries-title">
      <h2 id="entries-title">{t('transparency.permitEntriesTitle', { permit: permitId })}</h2>
      <p>
        <Link to="/transparence">{t('transparency.allEntries')}</Link>
      </p>
      <ErrorAlert error={entries.error} />
      {entries.loading && <Loading />}
      {entries.data !== null && rows.length === 0 && <p>{t('transparency.noEntries')}</p>}
      {rows.length > 0 && (
        <Table
          caption={t('transparency.permitEntriesCaption', { count: rows.length })}
          headers={[
            t('transparency.index'),
            t('transparency.time'),
            t('transparency.role'),
            t('transparency.actor'),
            t('transparency.action'),
            t('transparency.decision'),
            t('transparency.target'),
          ]}
          data={rows.map(cells)}
        />
      )}
    </section>
  );
}

function EntriesSection({ head }: { head: SignedTreeHead }): ReactNode {
  const [params] = useSearchParams();
  const permit = params.get('permis');
  if (permit !== null && permit !== '') return <PermitEntriesSection permitId={permit} />;
  return <AllEntriesSection head={head} page={params.get('page')} />;
}

function AllEntriesSection({
  head,
  page: asked,
}: {
  head: SignedTreeHead;
  page: string | null;
}): ReactNode {
  const { t } = useTranslation('public');
  const pages = Math.max(1, Math.ceil(head.treeSize / PAGE_SIZE));
  const requested = Number(asked ?? '1');
  const page = Number.isInteger(requested) && requested >= 1 && requested <= pages ? requested : 1;
  // Newest first: page 1 holds the last PAGE_SIZE entries of the signed tree.
  const end = head.treeSize - (page - 1) * PAGE_SIZE;
  const start = Math.max(0, end - PAGE_SIZE);
  const entries = useApi(
    () => api.get<{ entries: IndexedEntry[] }>('/api/v1/transparency/entries', { start, end }),
    [start, end],
  );
  const cells = useEntryCells();
  const rows = [...(entries.data?.entries ?? [])].reverse();
  return (
    <section aria-labelledby="entries-title">
      <h2 id="entries-title">{t('transparency.entriesTitle')}</h2>
      <ErrorAlert error={entries.error} />
      {entries.loading && <Loading />}
      {entries.data !== null && rows.length === 0 && <p>{t('transparency.noEntries')}</p>}
      {rows.length > 0 && (
        <Table
          caption={t('transparency.entriesCaption', {
            from: formatNumber(start),
            to: formatNumber(end - 1),
            total: formatNumber(head.treeSize),
          })}
          headers={[
            t('transparency.index'),
            t('transparency.time'),
            t('transparency.role'),
            t('transparency.actor'),
            t('transparency.action'),
            t('transparency.decision'),
            t('transparency.target'),
          ]}
          data={rows.map(cells)}
        />
      )}
      {pages > 1 && (
        <Pagination
          count={pages}
          defaultPage={page}
          showFirstLast
          getPageLinkProps={(n) => ({ to: `/transparence?page=${n}` })}
        />
      )}
    </section>
  );
}
