/** One table of the catalogue: its descriptive statistics, under disclosure control. */
import type { ReactNode } from 'react';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { CallOut } from '@codegouvfr/react-dsfr/CallOut';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import { Controlled, useDay, useNumber } from './shared';
import type { TableStats, VariableStats } from './types';

const QUANTILES = ['p5', 'p25', 'p50', 'p75', 'p95'] as const;

function Completeness({ v }: { v: VariableStats }): ReactNode {
  const { t } = useTranslation('researcher');
  const num = useNumber();
  if (v.completenessSuppressed || v.completeness === null) {
    return <em className="fr-text--sm">{t('common:suppressed')}</em>;
  }
  return `${num(v.completeness * 100, 1)} %`;
}

function TopValues({ v }: { v: VariableStats }): ReactNode {
  const { t } = useTranslation('researcher');
  const num = useNumber();
  if (v.topValues === null) return '—';
  return (
    <>
      <ul className="fr-my-0">
        {v.topValues.map((tv) => (
          <li key={tv.value}>
            {tv.concept ? (
              <>
                {tv.concept.name}{' '}
                <span className="fr-text--xs">
                  ({tv.concept.vocabulary} {tv.concept.code})
                </span>
              </>
            ) : (
              <code>{tv.value}</code>
            )}{' '}
            : {num(tv.count)}
          </li>
        ))}
      </ul>
      {v.rareValues !== null && v.rareValues > 0 && (
        <p className="fr-text--xs fr-mb-0">{t('table.rareValues', { count: v.rareValues })}</p>
      )}
    </>
  );
}

function Quantiles({ v }: { v: VariableStats }): ReactNode {
  const { t } = useTranslation('researcher');
  const num = useNumber();
  if (v.quantiles === null) return '—';
  const q = v.quantiles;
  return (
    <dl className="fr-my-0">
      {QUANTILES.map((p) => (
        <div key={p} style={{ whiteSpace: 'nowrap' }}>
          <dt className="fr-text--xs fr-mb-0" style={{ display: 'inline' }}>
            {p.toUpperCase()} :{' '}
          </dt>
          <dd style={{ display: 'inline', margin: 0 }}>
            {q[p] === null ? (
              <em className="fr-text--xs">{t('common:suppressed')}</em>
            ) : typeof q[p] === 'number' ? (
              num(q[p], 2)
            ) : (
              q[p]
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** `/recherche/catalogue/:table`: row count and, per variable, completeness and distributions. */
export function CatalogueTablePage(): ReactNode {
  const { t } = useTranslation('researcher');
  const { table = '' } = useParams();
  const day = useDay();
  const num = useNumber();
  const stats = useApi(
    () => api.get<TableStats>(`/api/v1/catalogue/${encodeURIComponent(table)}`),
    [table],
  );
  return (
    <>
      <Breadcrumb
        currentPageLabel={table}
        segments={[
          { label: t('home.title'), linkProps: { to: '/recherche' } },
          { label: t('catalogue.title'), linkProps: { to: '/recherche/catalogue' } },
        ]}
      />
      <h1>{t('table.title', { table })}</h1>
      <ErrorAlert error={stats.error} />
      {/* The first view of a big table is computed in the warehouse: seconds, even minutes. */}
      {stats.loading && <Loading label={t('table.computing')} />}
      {stats.data !== null && (
        <>
          <CallOut titleAs="h2" title={t('table.rows')}>
            <span role="status">
              <Controlled count={stats.data.rows} />
            </span>
            <br />
            <span className="fr-text--sm">
              {t('table.disclosure', { k: stats.data.minCellSize })}{' '}
              {stats.data.optOutsExcluded ? t('table.optOuts') : ''}{' '}
              {t('table.asOf', { date: day(stats.data.dataAsOf) })}
            </span>
          </CallOut>
          <Table
            caption={t('table.variablesCaption', { table })}
            headers={[
              t('catalogue.variable'),
              t('table.nonNull'),
              t('table.completeness'),
              t('table.distinct'),
              t('table.topValues'),
              t('table.quantiles'),
            ]}
            data={stats.data.variables.map((v) => [
              <span key="n">
                <code>{v.name}</code>
                <br />
                <span className="fr-text--xs">
                  {v.type} — {v.description}
                </span>
              </span>,
              <Controlled key="c" count={v.nonNull} />,
              <Completeness key="p" v={v} />,
              v.distinct === null ? (
                <em key="d" className="fr-text--sm">
                  {t('common:suppressed')}
                </em>
              ) : (
                `≈ ${num(v.distinct)}`
              ),
              <TopValues key="t" v={v} />,
              <Quantiles key="q" v={v} />,
            ])}
          />
        </>
      )}
    </>
  );
}
