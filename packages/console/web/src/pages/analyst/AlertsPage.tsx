/**
 * The alarms of the latest surveillance run (`/veille/alertes`): the run's status and time, a
 * "run now" button, and the alarms in a table that can be filtered by indicator and level and
 * sorted by column, each leading to its area's series.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Alert as DsfrAlert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { ApiError, api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import {
  areaName,
  formatNumber,
  formatPeriod,
  formatTime,
  indicatorLabel,
  seriesPath,
} from './surveillance';
import type { Alert, Alerts, Runs } from './surveillance';
import './analyst.css';

type SortKey = 'indicator' | 'level' | 'area' | 'period' | 'algorithm' | 'observed' | 'pValue';

const LEVEL_ORDER: Record<string, number> = { nation: 0, region: 1, departement: 2 };

function compare(a: Alert, b: Alert, key: SortKey): number {
  switch (key) {
    case 'level':
      return (LEVEL_ORDER[a.level] ?? 9) - (LEVEL_ORDER[b.level] ?? 9);
    case 'observed':
      return (a.observed ?? -1) - (b.observed ?? -1);
    case 'pValue':
      return (a.pValue ?? 2) - (b.pValue ?? 2);
    default:
      return a[key].localeCompare(b[key]);
  }
}

/** The status of the latest run, and the button that starts one. */
function RunPanel({ onDone }: { onDone(): void }): ReactNode {
  const { t, i18n } = useTranslation('analyst');
  const lang = i18n.language;
  const runs = useApi(() => api.get<Runs>('/api/v1/surveillance/runs'), []);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<{ alarms: number; results: number } | null>(null);
  const busy = running || runs.data?.running === true;
  const { reload } = runs;
  // While a run started elsewhere (the schedule, another analyst) is under way, check again.
  useEffect(() => {
    if (runs.data?.running !== true || running) return;
    const timer = setTimeout(() => {
      reload();
      onDone();
    }, 5000);
    return () => clearTimeout(timer);
  }, [runs.data, running, reload, onDone]);
  const latest = runs.data?.runs[0];
  const lastCompleted = runs.data?.runs.find((r) => r.status === 'completed');
  const start = (): void => {
    setRunning(true);
    setError(null);
    setReport(null);
    api
      .post<{ alarms: number; results: number }>('/api/v1/surveillance/runs', {})
      .then((r) => {
        setReport(r);
        onDone();
      })
      .catch((e: unknown) => setError(e))
      .finally(() => {
        setRunning(false);
        reload();
      });
  };
  const conflict = error instanceof ApiError && error.code === 'HYG_CONFLICT';
  return (
    <section className="fr-mb-4w" aria-labelledby="analyst-run-title">
      <h2 id="analyst-run-title" className="fr-h4">
        {t('alerts.runTitle')}
      </h2>
      <ErrorAlert error={runs.error} />
      {latest !== undefined && (
        <p>
          {t('alerts.latestRun', {
            status: t(`runStatus.${latest.status}`, { defaultValue: latest.status }),
            started: formatTime(lang, latest.startedAt),
            finished: formatTime(lang, latest.finishedAt),
            trigger: t(`triggers.${latest.trigger}`, { defaultValue: latest.trigger }),
          })}
          {latest.error !== null ? ` ${latest.error}` : ''}
        </p>
      )}
      {lastCompleted !== undefined && lastCompleted !== latest && (
        <p>{t('alerts.shownRun', { finished: formatTime(lang, lastCompleted.finishedAt) })}</p>
      )}
      {runs.data !== null && runs.data.runs.length === 0 && <p>{t('alerts.noRun')}</p>}
      <Button iconId="fr-icon-refresh-line" onClick={start} disabled={busy}>
        {t('alerts.runNow')}
      </Button>
      {busy && <Loading label={t('alerts.running')} />}
      {conflict ? (
        <div role="alert" className="fr-mt-2w">
          <DsfrAlert severity="info" small description={t('alerts.conflict')} />
        </div>
      ) : (
        <ErrorAlert error={error} className="fr-mt-2w" />
      )}
      {report !== null && (
        <p role="status" className="fr-mt-2w">
          {t('alerts.runDone', { alarms: report.alarms, results: report.results })}
        </p>
      )}
    </section>
  );
}

/** `/veille/alertes`. */
export function AlertsPage(): ReactNode {
  const { t, i18n } = useTranslation('analyst');
  const lang = i18n.language;
  const alerts = useApi(() => api.get<Alerts>('/api/v1/surveillance/alerts'), []);
  const [indicator, setIndicator] = useState('');
  const [level, setLevel] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; up: boolean }>({ key: 'indicator', up: true });
  const all = useMemo(() => alerts.data?.alerts ?? [], [alerts.data]);
  const indicators = [...new Set(all.map((a) => a.indicator))].sort();
  const rows = useMemo(
    () =>
      all
        .filter((a) => a.alarm)
        .filter((a) => indicator === '' || a.indicator === indicator)
        .filter((a) => level === '' || a.level === level)
        .sort((a, b) => {
          const c = compare(a, b, sort.key);
          return (sort.up ? c : -c) || compare(a, b, 'level') || a.area.localeCompare(b.area);
        }),
    [all, indicator, level, sort],
  );
  const { reload } = alerts;

  const header = (key: SortKey, label: string): ReactNode => {
    const active = sort.key === key;
    return (
      <th
        scope="col"
        aria-sort={active ? (sort.up ? 'ascending' : 'descending') : 'none'}
        key={key}
      >
        <button
          type="button"
          className="analyst-sort"
          onClick={() => setSort({ key, up: active ? !sort.up : true })}
        >
          {label}
          <span className="fr-sr-only">
            {active
              ? sort.up
                ? t('alerts.sortedUp')
                : t('alerts.sortedDown')
              : t('alerts.sortable')}
          </span>
          <span aria-hidden="true">{active ? (sort.up ? ' ▲' : ' ▼') : ' ↕'}</span>
        </button>
      </th>
    );
  };

  return (
    <>
      <h1>{t('alerts.title')}</h1>
      <p className="fr-text--lead">{t('alerts.lead')}</p>
      <p>
        <Link to="/veille" className="fr-link fr-icon-map-pin-2-line fr-link--icon-left">
          {t('alerts.toMap')}
        </Link>
      </p>
      <RunPanel onDone={reload} />
      <h2 className="fr-h4">{t('alerts.listTitle')}</h2>
      <ErrorAlert error={alerts.error} />
      {alerts.loading && alerts.data === null && <Loading />}
      {alerts.data !== null && (
        <>
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-md-6">
              <Select
                label={t('alerts.filterIndicator')}
                nativeSelectProps={{
                  value: indicator,
                  onChange: (e) => setIndicator(e.target.value),
                }}
              >
                <option value="">{t('alerts.allIndicators')}</option>
                {indicators.map((i) => (
                  <option key={i} value={i}>
                    {indicatorLabel(t, i)}
                  </option>
                ))}
              </Select>
            </div>
            <div className="fr-col-12 fr-col-md-6">
              <Select
                label={t('alerts.filterLevel')}
                nativeSelectProps={{ value: level, onChange: (e) => setLevel(e.target.value) }}
              >
                <option value="">{t('alerts.allLevels')}</option>
                {(['nation', 'region', 'departement'] as const).map((l) => (
                  <option key={l} value={l}>
                    {t(`levels.${l}`)}
                  </option>
                ))}
              </Select>
            </div>
          </div>
          <p role="status" className="fr-text--sm">
            {t('alerts.count', { count: rows.length })}
          </p>
          {rows.length > 0 && (
            <div className="fr-table analyst-table">
              <table>
                <caption>{t('alerts.caption')}</caption>
                <thead>
                  <tr>
                    {header('indicator', t('alerts.columns.indicator'))}
                    {header('level', t('alerts.columns.level'))}
                    {header('area', t('alerts.columns.area'))}
                    {header('period', t('alerts.columns.period'))}
                    {header('algorithm', t('alerts.columns.algorithm'))}
                    {header('observed', t('alerts.columns.observed'))}
                    <th scope="col">{t('alerts.columns.expected')}</th>
                    <th scope="col">{t('alerts.columns.threshold')}</th>
                    {header('pValue', t('alerts.columns.pValue'))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((a) => (
                    <tr key={`${a.indicator}:${a.level}:${a.area}:${a.period}:${a.algorithm}`}>
                      <td>{indicatorLabel(t, a.indicator)}</td>
                      <td>{t(`level.${a.level}`)}</td>
                      <th scope="row">
                        <Link to={seriesPath(a.level, a.area, a.indicator, 'isoweek')}>
                          {areaName(t, a.level, a.area)}
                        </Link>
                      </th>
                      <td>{formatPeriod(t, lang, a.period)}</td>
                      <td>{a.algorithm}</td>
                      <td>
                        {a.suppressed ? (
                          <Badge small severity="info" noIcon>
                            {t('common:suppressed')}
                          </Badge>
                        ) : (
                          formatNumber(lang, a.observed, 0)
                        )}
                      </td>
                      <td>{formatNumber(lang, a.expected, 2)}</td>
                      <td>{formatNumber(lang, a.threshold, 2)}</td>
                      <td>{a.pValue === null ? '—' : formatNumber(lang, a.pValue, 4)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </>
  );
}
