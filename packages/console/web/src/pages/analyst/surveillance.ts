/**
 * What the analyst pages share: the shapes of the surveillance API (docs/api.md § Surveillance),
 * the map's geometry, names of areas, indicator labels in words and number formatting.
 */
import type { TFunction } from 'i18next';
import mapJson from './france-map.json';

/** `GET /api/v1/surveillance/indicators`. */
export interface Indicators {
  readonly syndromes: readonly { id: string; label: string; diagnoses: readonly string[] }[];
  readonly hospitalisations: readonly string[];
  readonly mortality: readonly string[];
  readonly deathCauses: readonly { id: string; indicator: string; label: string }[];
  readonly standardPopulation: string;
  readonly levels: readonly string[];
  readonly units: readonly string[];
  readonly algorithms: readonly string[];
  readonly minCellSize: number;
}

/** One value of a series; rates per 100,000, null when withheld (`suppressed`) or undefined. */
export interface SeriesValue {
  readonly area: string;
  readonly period: string;
  readonly cases: number | null;
  readonly population: number | null;
  readonly rate: number | null;
  readonly rateLower: number | null;
  readonly rateUpper: number | null;
  readonly standardisedRate: number | null;
  readonly standardisedLower: number | null;
  readonly standardisedUpper: number | null;
  readonly expected: number | null;
  readonly excess: number | null;
  readonly excessLower: number | null;
  readonly excessUpper: number | null;
  readonly suppressed: boolean;
}

/** `GET /api/v1/surveillance/series`. */
export interface Series {
  readonly values: readonly SeriesValue[];
  readonly minCellSize: number;
}

/** A detection result of a run. */
export interface Alert {
  readonly indicator: string;
  readonly level: Level;
  readonly area: string;
  readonly period: string;
  readonly algorithm: string;
  readonly observed: number | null;
  readonly expected: number | null;
  readonly threshold: number | null;
  readonly pValue: number | null;
  readonly alarm: boolean;
  readonly suppressed: boolean;
  readonly runId: string;
  readonly computedAt: string;
}

/** `GET /api/v1/surveillance/alerts`. */
export interface Alerts {
  readonly runId: string | null;
  readonly alerts: readonly Alert[];
}

/** A run of the surveillance computation. */
export interface Run {
  readonly runId: string;
  readonly trigger: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly status: string;
  readonly error: string | null;
}

/** `GET /api/v1/surveillance/runs`. */
export interface Runs {
  readonly runs: readonly Run[];
  readonly running: boolean;
}

export type Level = 'nation' | 'region' | 'departement';
export type Unit = 'isoweek' | 'month';

/** The map's geometry (`scripts/build-map.mjs`). */
export interface MapDepartement {
  readonly code: string;
  readonly name: string;
  readonly region: string;
  readonly path: string;
  readonly cx: number;
  readonly cy: number;
}
export interface MapRegion {
  readonly code: string;
  readonly name: string;
  readonly departements: readonly string[];
  /** SVG path of the région's outline. */
  readonly outline: string;
  readonly cx: number;
  readonly cy: number;
}
export interface MapInset {
  readonly code: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
/** Paris and its inner ring again, enlarged. */
export interface MapZoom {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly departements: readonly { code: string; path: string }[];
}
export interface FranceMap {
  readonly attribution: string;
  readonly viewBox: string;
  readonly insets: readonly MapInset[];
  readonly zoom: MapZoom;
  readonly regions: readonly MapRegion[];
  readonly departements: readonly MapDepartement[];
}

export const FRANCE: FranceMap = mapJson;

const DEPARTEMENTS = new Map(FRANCE.departements.map((d) => [d.code, d]));
const REGIONS = new Map(FRANCE.regions.map((r) => [r.code, r]));

/** The name of an area of a level (the nation, a région, a département). */
export function areaName(t: TFunction, level: string, area: string): string {
  if (level === 'nation' || area === 'FR') return t('analyst:nation');
  const known = level === 'region' ? REGIONS.get(area) : DEPARTEMENTS.get(area);
  return known === undefined ? area : `${known.name} (${area})`;
}

/** The family of an indicator, which fixes its units and what its value means. */
export type IndicatorKind = 'syndrome' | 'hospitalisation' | 'deaths' | 'excess' | 'cause';

export function indicatorKind(indicator: string): IndicatorKind {
  if (indicator === 'excess-mortality') return 'excess';
  if (indicator === 'deaths') return 'deaths';
  if (indicator.startsWith('deaths-')) return 'cause';
  if (indicator.startsWith('hospitalisations-')) return 'hospitalisation';
  return 'syndrome';
}

/** The units an indicator is computed in (causes of death monthly, excess mortality weekly). */
export function unitsOf(indicator: string): readonly Unit[] {
  const kind = indicatorKind(indicator);
  if (kind === 'cause') return ['month'];
  if (kind === 'excess') return ['isoweek'];
  return ['isoweek', 'month'];
}

/** An indicator in words: the translated label when known, else the API's (English) label. */
export function indicatorLabel(t: TFunction, indicator: string, apiLabel?: string): string {
  const kind = indicatorKind(indicator);
  const id =
    kind === 'hospitalisation'
      ? indicator.slice('hospitalisations-'.length)
      : kind === 'cause'
        ? indicator.slice('deaths-'.length)
        : indicator;
  const key =
    kind === 'cause'
      ? `analyst:causes.${id}`
      : kind === 'syndrome'
        ? `analyst:syndromes.${id}`
        : '';
  const base = key === '' ? '' : t(key, { defaultValue: apiLabel ?? id });
  switch (kind) {
    case 'syndrome':
      return t('analyst:indicator.syndrome', { name: base });
    case 'hospitalisation':
      return t('analyst:indicator.hospitalisation', {
        name: t(`analyst:syndromes.${id}`, { defaultValue: id }),
      });
    case 'deaths':
      return t('analyst:indicator.deaths');
    case 'excess':
      return t('analyst:indicator.excess');
    case 'cause':
      return t('analyst:indicator.cause', { name: base });
  }
}

/** A number in the reader's language, with a few significant digits. */
export function formatNumber(lang: string, value: number | null, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value);
}

/** A period in words: `2024-W05` → "2024, semaine 5"; `2024-02` → "février 2024". */
export function formatPeriod(t: TFunction, lang: string, period: string): string {
  const week = /^(\d{4})-W(\d{2})$/.exec(period);
  if (week) return t('analyst:week', { year: week[1], week: Number(week[2]) });
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) {
    const d = new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1));
    return new Intl.DateTimeFormat(lang, {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(d);
  }
  return period;
}

/** A timestamp of the API (`2026-11-29 02:45:58.41`, UTC) in the reader's words. */
export function formatTime(lang: string, value: string | null): string {
  if (value === null) return '—';
  const d = new Date(`${value.replace(' ', 'T')}Z`);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** The address of an area's series. */
export function seriesPath(level: string, area: string, indicator: string, unit?: Unit): string {
  const q = new URLSearchParams({ indicator });
  if (unit !== undefined) q.set('unit', unit);
  return `/veille/serie/${encodeURIComponent(level)}/${encodeURIComponent(area)}?${q.toString()}`;
}
