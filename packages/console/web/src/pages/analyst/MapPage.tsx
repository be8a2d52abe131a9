/**
 * The analyst's main page (`/veille`): pick an indicator, a level, a unit and a period, and see
 * France coloured by the chosen rate, with the areas in alert marked and listed, and the same
 * figures in a table for keyboard and screen-reader users. The series of the level and unit is
 * fetched once (every area, every period) and sliced by period here.
 */
import { useMemo } from 'react';
import type { ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { SegmentedControl } from '@codegouvfr/react-dsfr/SegmentedControl';
import { ToggleSwitch } from '@codegouvfr/react-dsfr/ToggleSwitch';
import { Alert as DsfrAlert } from '@codegouvfr/react-dsfr/Alert';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { useApi } from '../../components/use-api';
import { FranceMap, HatchPattern, fillOf } from './FranceMap';
import type { AreaValue } from './FranceMap';
import { classify, classOf } from './classes';
import type { ValueClass } from './classes';
import {
  FRANCE,
  areaName,
  formatNumber,
  formatPeriod,
  indicatorKind,
  indicatorLabel,
  seriesPath,
  unitsOf,
} from './surveillance';
import type { Alerts, Indicators, Series, SeriesValue, Unit } from './surveillance';
import './analyst.css';

type MapLevel = 'region' | 'departement';

/** The value the map shows for a series value, with its interval. */
interface Shown {
  readonly value: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

function shownOf(v: SeriesValue, standardised: boolean, excess: boolean): Shown {
  if (excess) {
    // Excess deaths per 100,000 inhabitants, so that areas of different sizes compare.
    const per = (x: number | null): number | null =>
      x === null || v.population === null || v.population === 0 ? null : (x / v.population) * 1e5;
    return { value: per(v.excess), lower: per(v.excessLower), upper: per(v.excessUpper) };
  }
  return standardised
    ? { value: v.standardisedRate, lower: v.standardisedLower, upper: v.standardisedUpper }
    : { value: v.rate, lower: v.rateLower, upper: v.rateUpper };
}

/** A value in words: rate, interval and count; or withheld. */
function describe(
  t: TFunction,
  lang: string,
  v: SeriesValue | undefined,
  shown: Shown | null,
  excess: boolean,
): string {
  if (v === undefined || shown === null) return t('map.noData');
  if (v.suppressed) return t('common:suppressed');
  if (shown.value === null) return t('map.noData');
  const interval =
    shown.lower !== null && shown.upper !== null
      ? t('interval', {
          lower: formatNumber(lang, shown.lower),
          upper: formatNumber(lang, shown.upper),
        })
      : '';
  if (excess) {
    return t('map.excessValue', {
      value: formatNumber(lang, shown.value),
      interval,
      observed: formatNumber(lang, v.cases, 0),
      expected: formatNumber(lang, v.expected),
    });
  }
  return t('map.rateValue', {
    value: formatNumber(lang, shown.value),
    interval,
    cases: formatNumber(lang, v.cases, 0),
  });
}

/** The indicator picker's options, grouped by family. */
function IndicatorOptions({ indicators }: { indicators: Indicators }): ReactNode {
  const { t } = useTranslation('analyst');
  return (
    <>
      <optgroup label={t('groups.syndromes')}>
        {indicators.syndromes.map((s) => (
          <option key={s.id} value={s.id}>
            {indicatorLabel(t, s.id, s.label)}
          </option>
        ))}
      </optgroup>
      <optgroup label={t('groups.hospitalisations')}>
        {indicators.hospitalisations.map((h) => (
          <option key={h} value={h}>
            {indicatorLabel(t, h)}
          </option>
        ))}
      </optgroup>
      <optgroup label={t('groups.mortality')}>
        {indicators.mortality.map((m) => (
          <option key={m} value={m}>
            {indicatorLabel(t, m)}
          </option>
        ))}
      </optgroup>
      <optgroup label={t('groups.causes')}>
        {indicators.deathCauses.map((c) => (
          <option key={c.indicator} value={c.indicator}>
            {indicatorLabel(t, c.indicator, c.label)}
          </option>
        ))}
      </optgroup>
    </>
  );
}

/** The legend: each class with its range, then withheld and missing values. */
function Legend({
  classes,
  unitLabel,
}: {
  classes: readonly ValueClass[];
  unitLabel: string;
}): ReactNode {
  const { t, i18n } = useTranslation('analyst');
  const lang = i18n.language;
  const swatch = (fill: string, key: string): ReactNode => (
    <svg width="28" height="18" aria-hidden="true" className="fr-mr-1w" key={key}>
      <HatchPattern />
      <rect width="28" height="18" fill={fill} stroke="#3a3a3a" strokeWidth="1" />
    </svg>
  );
  return (
    <div className="analyst-legend">
      <h3 className="fr-h6 fr-mb-1w">{t('legend.title')}</h3>
      <p className="fr-text--xs fr-mb-1w">{unitLabel}</p>
      <ul className="analyst-legend__list">
        {classes.map((c, i) => (
          <li key={i}>
            {swatch(c.colour, 'c')}
            {c.min === c.max
              ? formatNumber(lang, c.min)
              : t('legend.range', {
                  min: formatNumber(lang, c.min),
                  max: formatNumber(lang, c.max),
                })}
          </li>
        ))}
        <li>
          {swatch(fillOf({ description: '', fill: 'hatch' }), 'h')}
          {t('legend.suppressed')}
        </li>
        <li>
          {swatch(fillOf(undefined), 'n')}
          {t('legend.noData')}
        </li>
        <li>
          <svg width="28" height="24" aria-hidden="true" className="fr-mr-1w">
            <g transform="translate(14 14)">
              <path d="M0 -11L10 8H-10Z" fill="#ffffff" stroke="#1e1e1e" strokeWidth="2" />
              <path d="M0 -4V2" stroke="#1e1e1e" strokeWidth="2.4" />
              <circle cx="0" cy="5" r="1.4" fill="#1e1e1e" />
            </g>
          </svg>
          {t('legend.alarm')}
        </li>
      </ul>
    </div>
  );
}

/** `/veille`. */
export function MapPage(): ReactNode {
  const { t, i18n } = useTranslation('analyst');
  const lang = i18n.language;
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const indicator = params.get('indicator') || 'influenza';
  const level: MapLevel = params.get('level') === 'departement' ? 'departement' : 'region';
  const allowedUnits = unitsOf(indicator);
  const wantedUnit = params.get('unit') === 'month' ? 'month' : 'isoweek';
  const unit: Unit = allowedUnits.includes(wantedUnit)
    ? wantedUnit
    : (allowedUnits[0] ?? 'isoweek');
  const excess = indicatorKind(indicator) === 'excess';
  const standardised = params.get('rate') === 'standardised' && !excess;

  const update = (changes: Record<string, string | null>): void => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const indicators = useApi(() => api.get<Indicators>('/api/v1/surveillance/indicators'), []);
  const series = useApi(
    () => api.get<Series>('/api/v1/surveillance/series', { indicator, level, unit }),
    [indicator, level, unit],
  );
  const alerts = useApi(() => api.get<Alerts>('/api/v1/surveillance/alerts'), []);

  const periods = useMemo(
    () => [...new Set((series.data?.values ?? []).map((v) => v.period))].sort(),
    [series.data],
  );
  const wantedPeriod = params.get('period');
  const period =
    wantedPeriod !== null && periods.includes(wantedPeriod)
      ? wantedPeriod
      : (periods[periods.length - 1] ?? null);

  const byArea = useMemo(() => {
    const m = new Map<string, SeriesValue>();
    for (const v of series.data?.values ?? []) if (v.period === period) m.set(v.area, v);
    return m;
  }, [series.data, period]);

  const classes = useMemo(
    () =>
      classify(
        [...byArea.values()]
          .filter((v) => !v.suppressed)
          .map((v) => shownOf(v, standardised, excess).value)
          .filter((x): x is number => x !== null),
      ),
    [byArea, standardised, excess],
  );

  const mapValues = useMemo(() => {
    const m = new Map<string, AreaValue>();
    for (const [area, v] of byArea) {
      const shown = shownOf(v, standardised, excess);
      const fill = v.suppressed
        ? 'hatch'
        : shown.value === null
          ? 'none'
          : (classOf(classes, shown.value)?.colour ?? 'none');
      m.set(area, { fill, description: describe(t, lang, v, shown, excess) });
    }
    return m;
  }, [byArea, classes, standardised, excess, t, lang]);

  const alarmsHere = (alerts.data?.alerts ?? []).filter(
    (a) => a.alarm && a.indicator === indicator && a.period === period,
  );
  const alarmAreas = new Set(alarmsHere.filter((a) => a.level === level).map((a) => a.area));
  const nationAlarms = alarmsHere.filter((a) => a.level === 'nation');
  const alarmPeriods = [
    ...new Set(
      (alerts.data?.alerts ?? [])
        .filter((a) => a.alarm && a.indicator === indicator)
        .map((a) => a.period),
    ),
  ];
  // One entry per area in alert (several algorithms may flag the same area).
  const alarmList = [
    ...new Map(
      alarmsHere
        .filter((a) => a.level === level || a.level === 'nation')
        .map((a) => [`${a.level}:${a.area}`, a]),
    ).values(),
  ];

  const rateLabel = excess
    ? t('map.excessUnit')
    : standardised
      ? t('map.standardisedUnit')
      : t('map.crudeUnit');
  const areas =
    level === 'region' ? FRANCE.regions.map((r) => r.code) : FRANCE.departements.map((d) => d.code);
  const title = t('map.title', {
    indicator: indicatorLabel(t, indicator),
    period: period === null ? '' : formatPeriod(t, lang, period),
    level: t(`byLevel.${level}`),
  });

  return (
    <>
      <h1>{t('mapPage.title')}</h1>
      <p className="fr-text--lead">{t('mapPage.lead')}</p>
      <p>
        <Link to="/veille/alertes" className="fr-link fr-icon-alert-line fr-link--icon-left">
          {t('mapPage.toAlerts')}
        </Link>
      </p>
      <ErrorAlert error={indicators.error} />
      <form
        className="fr-grid-row fr-grid-row--gutters fr-mb-2w"
        aria-label={t('mapPage.filters')}
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label={t('pickers.indicator')}
            nativeSelectProps={{
              value: indicator,
              onChange: (e) => update({ indicator: e.target.value, period: null }),
            }}
          >
            {indicators.data !== null ? (
              <IndicatorOptions indicators={indicators.data} />
            ) : (
              <option value={indicator}>{indicatorLabel(t, indicator)}</option>
            )}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Select
            label={t('pickers.period')}
            hint={t('pickers.periodHint', { count: periods.length })}
            disabled={periods.length === 0}
            nativeSelectProps={{
              value: period ?? '',
              onChange: (e) => update({ period: e.target.value }),
            }}
          >
            {periods.length === 0 && <option value="">{t('pickers.noPeriod')}</option>}
            {[...periods].reverse().map((p) => (
              <option key={p} value={p}>
                {formatPeriod(t, lang, p)}
                {alarmPeriods.includes(p) ? ` — ${t('pickers.withAlarm')}` : ''}
              </option>
            ))}
          </Select>
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <SegmentedControl
            legend={t('pickers.level')}
            small
            segments={[
              {
                label: t('levels.departement'),
                nativeInputProps: {
                  checked: level === 'departement',
                  onChange: () => update({ level: 'departement' }),
                },
              },
              {
                label: t('levels.region'),
                nativeInputProps: {
                  checked: level === 'region',
                  onChange: () => update({ level: 'region' }),
                },
              },
            ]}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <SegmentedControl
            legend={t('pickers.unit')}
            small
            segments={[
              {
                label: t('units.isoweek'),
                nativeInputProps: {
                  checked: unit === 'isoweek',
                  disabled: !allowedUnits.includes('isoweek'),
                  onChange: () => update({ unit: 'isoweek', period: null }),
                },
              },
              {
                label: t('units.month'),
                nativeInputProps: {
                  checked: unit === 'month',
                  disabled: !allowedUnits.includes('month'),
                  onChange: () => update({ unit: 'month', period: null }),
                },
              },
            ]}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <ToggleSwitch
            label={t('pickers.standardised')}
            helperText={excess ? t('pickers.standardisedExcess') : t('pickers.standardisedHint')}
            checked={standardised}
            disabled={excess}
            onChange={(checked) => update({ rate: checked ? 'standardised' : null })}
          />
        </div>
      </form>

      <ErrorAlert error={series.error} />
      <ErrorAlert error={alerts.error} />
      {series.loading && <Loading label={t('mapPage.loadingSeries')} />}

      {nationAlarms.length > 0 && (
        <DsfrAlert
          className="fr-mb-2w"
          severity="warning"
          title={t('mapPage.nationAlarmTitle')}
          description={
            <>
              {t('mapPage.nationAlarm', {
                indicator: indicatorLabel(t, indicator),
                period: period === null ? '' : formatPeriod(t, lang, period),
                algorithms: [...new Set(nationAlarms.map((a) => a.algorithm))].join(', '),
              })}{' '}
              <Link to={seriesPath('nation', 'FR', indicator, unit)}>{t('mapPage.seeSeries')}</Link>
            </>
          }
        />
      )}

      {!series.loading && series.data !== null && (
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-lg-9">
            <h2 className="fr-h4">{title}</h2>
            <FranceMap
              level={level}
              values={mapValues}
              alarms={alarmAreas}
              title={title}
              onSelect={(area) => navigate(seriesPath(level, area, indicator, unit))}
            />
          </div>
          <div className="fr-col-12 fr-col-lg-3">
            <Legend classes={classes} unitLabel={rateLabel} />
            <h3 className="fr-h6 fr-mt-3w">{t('mapPage.alarmsTitle')}</h3>
            <div role="status">
              {alarmList.length === 0 ? (
                <p className="fr-text--sm">
                  {alarmPeriods.length > 0
                    ? t('mapPage.noAlarmThisPeriod', {
                        periods: alarmPeriods.map((p) => formatPeriod(t, lang, p)).join(', '),
                      })
                    : t('mapPage.noAlarm')}
                </p>
              ) : (
                <ul className="analyst-alarm-list">
                  {alarmList.map((a) => (
                    <li key={`${a.level}:${a.area}`}>
                      <span aria-hidden="true">⚠ </span>
                      <Link to={seriesPath(a.level, a.area, indicator, 'isoweek')}>
                        {areaName(t, a.level, a.area)}
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </div>
      )}

      {!series.loading && series.data !== null && (
        <div className="fr-table fr-table--no-caption-top fr-mt-4w analyst-table">
          <table>
            <caption>{t('table.caption', { title })}</caption>
            <thead>
              <tr>
                <th scope="col">{t(level === 'region' ? 'table.region' : 'table.departement')}</th>
                <th scope="col">{rateLabel}</th>
                <th scope="col">{t('table.interval')}</th>
                <th scope="col">{excess ? t('table.observed') : t('table.cases')}</th>
                <th scope="col">{t('table.alarm')}</th>
              </tr>
            </thead>
            <tbody>
              {areas.map((area) => {
                const v = byArea.get(area);
                const shown = v === undefined ? null : shownOf(v, standardised, excess);
                return (
                  <tr key={area}>
                    <th scope="row">
                      <Link to={seriesPath(level, area, indicator, unit)}>
                        {areaName(t, level, area)}
                      </Link>
                    </th>
                    <td>
                      {v === undefined
                        ? t('map.noData')
                        : v.suppressed
                          ? t('common:suppressed')
                          : formatNumber(lang, shown?.value ?? null)}
                    </td>
                    <td>
                      {shown !== null && shown.lower !== null && shown.upper !== null
                        ? t('legend.range', {
                            min: formatNumber(lang, shown.lower),
                            max: formatNumber(lang, shown.upper),
                          })
                        : '—'}
                    </td>
                    <td>
                      {v === undefined
                        ? '—'
                        : v.suppressed
                          ? t('common:suppressed')
                          : formatNumber(lang, v.cases, 0)}
                    </td>
                    <td>{alarmAreas.has(area) ? t('table.inAlarm') : t('common:no')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="fr-text--xs fr-mt-2w">{t('mapPage.credit')}</p>
    </>
  );
}
