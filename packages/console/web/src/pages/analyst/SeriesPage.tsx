/**
 * An area's time series (`/veille/serie/:level/:area?indicator=…&unit=…`): the rate with its 95 %
 * interval (or the counts), the weeks in alarm in the latest run marked with a triangle and
 * listed, the expected count and threshold of the alarm in the tooltip; for excess mortality,
 * observed against expected deaths with the uncertainty band. The last periods in a table too.
 */
import { useMemo } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { SegmentedControl } from '@codegouvfr/react-dsfr/SegmentedControl';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import {
  areaName,
  formatNumber,
  formatPeriod,
  indicatorKind,
  indicatorLabel,
  unitsOf,
} from './surveillance';
import type { Alert, Alerts, Series, SeriesValue, Unit } from './surveillance';
import './analyst.css';

/** A point of the chart. */
interface Point {
  readonly period: string;
  readonly value: number | null;
  readonly band: [number, number] | null;
  readonly expected: number | null;
  /** Where the alarm triangle sits (the value, else the threshold when the count is withheld). */
  readonly alarmAt: number | null;
  readonly source: SeriesValue;
  readonly alarms: readonly Alert[];
}

type Mode = 'rate' | 'standardised' | 'counts';

function pointOf(v: SeriesValue, mode: Mode, excess: boolean, alarms: readonly Alert[]): Point {
  let value: number | null;
  let band: [number, number] | null = null;
  if (excess) {
    value = v.cases;
    // The uncertainty of the excess, drawn around the expected count.
    if (v.excessLower !== null && v.excessUpper !== null && v.cases !== null) {
      band = [v.cases - v.excessUpper, v.cases - v.excessLower];
    }
  } else if (mode === 'counts') {
    value = v.cases;
  } else {
    const std = mode === 'standardised';
    value = std ? v.standardisedRate : v.rate;
    const lo = std ? v.standardisedLower : v.rateLower;
    const hi = std ? v.standardisedUpper : v.rateUpper;
    if (lo !== null && hi !== null) band = [lo, hi];
  }
  const first = alarms[0];
  const alarmAt =
    alarms.length === 0
      ? null
      : (value ?? (mode === 'counts' || excess ? (first?.threshold ?? null) : null) ?? 0);
  return { period: v.period, value, band, expected: v.expected, alarmAt, source: v, alarms };
}

/** The alarm symbol on the chart: a large red triangle outlined in black, apart from the dots. */
function AlarmTriangle(props: {
  cx?: number | null;
  cy?: number | null;
  payload?: Point;
}): ReactElement<SVGElement> {
  const { cx, cy, payload } = props;
  // Recharts calls the shape for every point; only the weeks in alarm have one.
  if (cx == null || cy == null || !Number.isFinite(cx) || !Number.isFinite(cy)) return <g />;
  if (payload !== undefined && payload.alarmAt === null) return <g />;
  return (
    <path
      d={`M${cx} ${cy - 11}L${cx + 9} ${cy + 6}H${cx - 9}Z`}
      fill="#ce0500"
      stroke="#1e1e1e"
      strokeWidth="1.5"
      className="recharts-symbols"
    />
  );
}

/** The tooltip: the period, the value and interval (or withheld), and any alarm's evidence. */
function SeriesTooltip({
  active,
  point,
  t,
  lang,
  excess,
}: {
  active: boolean;
  point: Point | undefined;
  t: TFunction;
  lang: string;
  excess: boolean;
}): ReactNode {
  if (!active || point === undefined) return null;
  const p = point;
  const v = p.source;
  return (
    <div className="analyst-tooltip">
      <p className="fr-text--bold fr-mb-1v">{formatPeriod(t, lang, p.period)}</p>
      {v.suppressed ? (
        <p className="fr-mb-1v">{t('common:suppressed')}</p>
      ) : (
        <>
          <p className="fr-mb-1v">
            {excess
              ? t('series.observedValue', { value: formatNumber(lang, v.cases, 0) })
              : t('series.value', { value: formatNumber(lang, p.value) })}
          </p>
          {p.band !== null && (
            <p className="fr-mb-1v">
              {excess
                ? t('series.bandValue', {
                    label: t('series.excessBand'),
                    min: formatNumber(lang, p.band[0]),
                    max: formatNumber(lang, p.band[1]),
                  })
                : t('interval', {
                    lower: formatNumber(lang, p.band[0]),
                    upper: formatNumber(lang, p.band[1]),
                  })}
            </p>
          )}
          {!excess && (
            <p className="fr-mb-1v">
              {t('series.casesValue', { value: formatNumber(lang, v.cases, 0) })}
            </p>
          )}
        </>
      )}
      {excess && (
        <p className="fr-mb-1v">
          {t('series.expectedValue', { value: formatNumber(lang, v.expected) })}
        </p>
      )}
      {p.alarms.map((a) => (
        <p key={a.algorithm} className="fr-mb-1v">
          <span aria-hidden="true">▲ </span>
          {t('series.alarmDetail', {
            algorithm: a.algorithm,
            expected: formatNumber(lang, a.expected),
            threshold: formatNumber(lang, a.threshold),
          })}
        </p>
      ))}
    </div>
  );
}

/** `/veille/serie/:level/:area`. */
export function SeriesPage(): ReactNode {
  const { t, i18n } = useTranslation('analyst');
  const lang = i18n.language;
  const { level = 'nation', area = 'FR' } = useParams();
  const [params, setParams] = useSearchParams();
  const indicator = params.get('indicator') || 'influenza';
  const allowed = unitsOf(indicator);
  const wanted: Unit = params.get('unit') === 'month' ? 'month' : 'isoweek';
  const unit: Unit = allowed.includes(wanted) ? wanted : (allowed[0] ?? 'isoweek');
  const excess = indicatorKind(indicator) === 'excess';
  const modeParam = params.get('mode');
  const mode: Mode =
    modeParam === 'counts' ? 'counts' : modeParam === 'standardised' ? 'standardised' : 'rate';

  const series = useApi(
    () => api.get<Series>('/api/v1/surveillance/series', { indicator, level, unit, area }),
    [indicator, level, unit, area],
  );
  const alerts = useApi(
    () => api.get<Alerts>('/api/v1/surveillance/alerts', { indicator, level }),
    [indicator, level],
  );
  const alarms = useMemo(
    () => (alerts.data?.alerts ?? []).filter((a) => a.alarm && a.area === area),
    [alerts.data, area],
  );
  const points = useMemo(
    () =>
      (series.data?.values ?? [])
        .filter((v) => v.area === area)
        .sort((a, b) => a.period.localeCompare(b.period))
        .map((v) =>
          pointOf(
            v,
            mode,
            excess,
            unit === 'isoweek' ? alarms.filter((a) => a.period === v.period) : [],
          ),
        ),
    [series.data, area, mode, excess, alarms, unit],
  );
  const alarmPeriods = [...new Set(alarms.map((a) => a.period))].sort();
  const name = areaName(t, level, area);
  const label = indicatorLabel(t, indicator);
  const valueName = excess
    ? t('series.observed')
    : mode === 'counts'
      ? t('series.cases')
      : mode === 'standardised'
        ? t('map.standardisedUnit')
        : t('map.crudeUnit');
  const setMode = (m: Mode): void => {
    const next = new URLSearchParams(params);
    next.set('mode', m);
    setParams(next, { replace: true });
  };
  const setUnit = (u: Unit): void => {
    const next = new URLSearchParams(params);
    next.set('unit', u);
    setParams(next, { replace: true });
  };

  return (
    <>
      <Breadcrumb
        currentPageLabel={name}
        segments={[{ label: t('mapPage.title'), linkProps: { to: '/veille' } }]}
      />
      <h1>{t('series.title', { indicator: label, area: name })}</h1>
      <p>
        <Link to="/veille/alertes" className="fr-link">
          {t('mapPage.toAlerts')}
        </Link>
      </p>
      <div className="fr-grid-row fr-grid-row--gutters fr-mb-2w">
        {!excess && (
          <div className="fr-col-12 fr-col-md-6">
            <SegmentedControl
              legend={t('series.show')}
              small
              segments={[
                {
                  label: t('series.modeRate'),
                  nativeInputProps: { checked: mode === 'rate', onChange: () => setMode('rate') },
                },
                {
                  label: t('series.modeStandardised'),
                  nativeInputProps: {
                    checked: mode === 'standardised',
                    onChange: () => setMode('standardised'),
                  },
                },
                {
                  label: t('series.modeCounts'),
                  nativeInputProps: {
                    checked: mode === 'counts',
                    onChange: () => setMode('counts'),
                  },
                },
              ]}
            />
          </div>
        )}
        {allowed.length > 1 && (
          <div className="fr-col-12 fr-col-md-6">
            <SegmentedControl
              legend={t('pickers.unit')}
              small
              segments={[
                {
                  label: t('units.isoweek'),
                  nativeInputProps: {
                    checked: unit === 'isoweek',
                    onChange: () => setUnit('isoweek'),
                  },
                },
                {
                  label: t('units.month'),
                  nativeInputProps: { checked: unit === 'month', onChange: () => setUnit('month') },
                },
              ]}
            />
          </div>
        )}
      </div>
      <ErrorAlert error={series.error} />
      <ErrorAlert error={alerts.error} />
      {series.loading && <Loading label={t('mapPage.loadingSeries')} />}
      {!series.loading && series.data !== null && points.length === 0 && <p>{t('series.empty')}</p>}
      {points.length > 0 && (
        <>
          <div
            className="analyst-chart"
            role="img"
            aria-label={t('series.chartLabel', {
              indicator: label,
              area: name,
              count: alarmPeriods.length,
            })}
          >
            <ResponsiveContainer width="100%" height={420}>
              <ComposedChart data={points} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#dddddd" />
                <XAxis dataKey="period" minTickGap={40} />
                <YAxis />
                <Tooltip
                  content={(props) => (
                    <SeriesTooltip
                      active={props.active === true}
                      point={props.payload?.[0]?.payload as Point | undefined}
                      t={t}
                      lang={lang}
                      excess={excess}
                    />
                  )}
                />
                <Legend />
                <Area
                  dataKey="band"
                  name={excess ? t('series.excessBand') : t('series.band')}
                  stroke="none"
                  fill="#6a6af4"
                  fillOpacity={0.25}
                  isAnimationActive={false}
                  connectNulls={false}
                />
                <Line
                  dataKey="value"
                  name={valueName}
                  stroke="#000091"
                  strokeWidth={2}
                  // Small dots: a value between two withheld ones would otherwise not show.
                  dot={{ r: 1.5 }}
                  isAnimationActive={false}
                  connectNulls={false}
                />
                {excess && (
                  <Line
                    dataKey="expected"
                    name={t('series.expected')}
                    stroke="#6e445a"
                    strokeDasharray="6 4"
                    strokeWidth={2}
                    dot={false}
                    isAnimationActive={false}
                  />
                )}
                <Scatter
                  dataKey="alarmAt"
                  name={t('series.alarm')}
                  shape={AlarmTriangle}
                  fill="#ce0500"
                  stroke="#1e1e1e"
                  legendType="triangle"
                  isAnimationActive={false}
                  className="analyst-alarm-points"
                />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
          <p className="fr-text--xs">
            {points.some((p) => p.source.suppressed) ? t('series.gaps') : ''}
          </p>
        </>
      )}

      <h2 className="fr-h4 fr-mt-3w">{t('series.alarmsTitle')}</h2>
      <div role="status">
        {alarms.length === 0 ? (
          <p>{alerts.loading ? t('common:loading') : t('series.noAlarm')}</p>
        ) : (
          <ul className="analyst-alarm-list">
            {alarms.map((a) => (
              <li key={`${a.period}:${a.algorithm}`}>
                <span aria-hidden="true">▲ </span>
                {t('series.alarmItem', {
                  period: formatPeriod(t, lang, a.period),
                  algorithm: a.algorithm,
                  observed: a.suppressed
                    ? t('common:suppressed')
                    : formatNumber(lang, a.observed, 0),
                  expected: formatNumber(lang, a.expected),
                  threshold: formatNumber(lang, a.threshold),
                })}
              </li>
            ))}
          </ul>
        )}
      </div>

      {points.length > 0 && (
        <div className="fr-table fr-mt-3w analyst-table">
          <table>
            <caption>{t('series.tableCaption', { count: Math.min(12, points.length) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('series.period')}</th>
                <th scope="col">{valueName}</th>
                {excess && <th scope="col">{t('series.expected')}</th>}
                {excess && <th scope="col">{t('series.excess')}</th>}
                <th scope="col">{excess ? t('series.excessBand') : t('table.interval')}</th>
                <th scope="col">{t('table.alarm')}</th>
              </tr>
            </thead>
            <tbody>
              {points
                .slice(-12)
                .reverse()
                .map((p) => (
                  <tr key={p.period}>
                    <th scope="row">{formatPeriod(t, lang, p.period)}</th>
                    <td>
                      {p.source.suppressed
                        ? t('common:suppressed')
                        : formatNumber(lang, p.value, mode === 'counts' || excess ? 0 : 1)}
                    </td>
                    {excess && <td>{formatNumber(lang, p.expected)}</td>}
                    {excess && (
                      <td>
                        {p.source.suppressed
                          ? t('common:suppressed')
                          : p.source.excess === null
                            ? '—'
                            : `${formatNumber(lang, p.source.excess)} (${t('legend.range', {
                                min: formatNumber(lang, p.source.excessLower),
                                max: formatNumber(lang, p.source.excessUpper),
                              })})`}
                      </td>
                    )}
                    <td>
                      {p.band === null
                        ? '—'
                        : t('legend.range', {
                            min: formatNumber(lang, p.band[0]),
                            max: formatNumber(lang, p.band[1]),
                          })}
                    </td>
                    <td>
                      {p.alarms.length > 0
                        ? t('series.alarmAlgorithms', {
                            algorithms: p.alarms.map((a) => a.algorithm).join(', '),
                          })
                        : t('common:no')}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
