/**
 * The choropleth map of France by département, overseas in insets: each département a
 * focusable shape (its name, value and interval in its accessible name and in the panel shown on
 * hover or focus), coloured by class, hatched when the value is withheld, and areas in alert
 * marked with a warning symbol — a shape, not a colour only.
 */
import { useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FRANCE } from './surveillance';
import type { MapDepartement } from './surveillance';

/** What the map shows for an area. */
export interface AreaValue {
  /** Sentence naming the area's value (and interval), or saying it is withheld / missing. */
  readonly description: string;
  /** Fill: a colour, or `hatch` (withheld) or `none` (no data). */
  readonly fill: string | 'hatch' | 'none';
}

export interface FranceMapProps {
  readonly level: 'region' | 'departement';
  /** By area code (a département's or a région's). */
  readonly values: ReadonlyMap<string, AreaValue>;
  /** Codes of the areas (of `level`) in alert. */
  readonly alarms: ReadonlySet<string>;
  /** Opens an area (its series). */
  onSelect(area: string): void;
  /** The map's title, for its accessible name. */
  readonly title: string;
}

const HATCH_ID = 'analyst-hatch';
const NO_DATA = '#f0f0f0';

/** The fill of an area value, patterns included. */
export function fillOf(value: AreaValue | undefined): string {
  if (value === undefined || value.fill === 'none') return NO_DATA;
  if (value.fill === 'hatch') return `url(#${HATCH_ID})`;
  return value.fill;
}

/** The hatching pattern of withheld values, for the map and its legend. */
export function HatchPattern(): ReactNode {
  return (
    <defs>
      <pattern id={HATCH_ID} patternUnits="userSpaceOnUse" width="6" height="6">
        <rect width="6" height="6" fill="#d9d9d9" />
        <path d="M0 6L6 0M-1 1L1 -1M5 7L7 5" stroke="#5a5a5a" strokeWidth="1.2" />
      </pattern>
    </defs>
  );
}

/** The warning symbol drawn on areas in alert: a triangle with an exclamation mark. */
function AlarmMarker({ x, y, label }: { x: number; y: number; label: string }): ReactNode {
  return (
    <g
      role="img"
      aria-label={label}
      transform={`translate(${x} ${y}) scale(1.4)`}
      className="analyst-alarm"
    >
      <title>{label}</title>
      <path d="M0 -13L12 9H-12Z" fill="#ffffff" stroke="#1e1e1e" strokeWidth="2" />
      <path d="M0 -5V2" stroke="#1e1e1e" strokeWidth="2.6" strokeLinecap="round" />
      <circle cx="0" cy="6" r="1.6" fill="#1e1e1e" />
    </g>
  );
}

/**
 * Paris and its inner ring enlarged, for the pointer only: the keyboard and screen readers reach
 * the same départements through the main map's shapes, so the copies are hidden from them.
 */
function ZoomInset({
  level,
  values,
  label,
  onHover,
  onSelect,
}: {
  level: 'region' | 'departement';
  values: ReadonlyMap<string, AreaValue>;
  label: string;
  onHover(d: MapDepartement): void;
  onSelect(area: string): void;
}): ReactNode {
  const z = FRANCE.zoom;
  return (
    <g aria-hidden="true">
      <rect x={z.x} y={z.y} width={z.width} height={z.height} fill="#ffffff" stroke="#929292" />
      <text x={z.x + 4} y={z.y + z.height + 14} fontSize="12" fill="#3a3a3a">
        {label}
      </text>
      {z.departements.map((zd) => {
        const d = FRANCE.departements.find((x) => x.code === zd.code);
        if (d === undefined) return null;
        const area = level === 'region' ? d.region : d.code;
        return (
          <path
            key={zd.code}
            d={zd.path}
            fill={fillOf(values.get(area))}
            stroke="#3a3a3a"
            strokeWidth="0.8"
            className="analyst-map__zoom"
            onMouseEnter={() => onHover(d)}
            onClick={() => onSelect(area)}
          />
        );
      })}
    </g>
  );
}

export function FranceMap({ level, values, alarms, onSelect, title }: FranceMapProps): ReactNode {
  const { t } = useTranslation('analyst');
  const [active, setActive] = useState<MapDepartement | null>(null);
  const areaOf = (d: MapDepartement): string => (level === 'region' ? d.region : d.code);
  const regionName = (code: string): string =>
    FRANCE.regions.find((r) => r.code === code)?.name ?? code;
  const labelOf = (d: MapDepartement): string => {
    const v = values.get(areaOf(d));
    const where =
      level === 'region'
        ? t('map.departementInRegion', { name: d.name, code: d.code, region: regionName(d.region) })
        : t('map.departement', { name: d.name, code: d.code });
    const alarm = alarms.has(areaOf(d)) ? ` — ${t('map.inAlarm')}` : '';
    return `${where} : ${v?.description ?? t('map.noData')}${alarm}`;
  };
  const onKey = (e: KeyboardEvent<SVGPathElement>, d: MapDepartement): void => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(areaOf(d));
    }
  };
  const markers =
    level === 'region'
      ? FRANCE.regions
          .filter((r) => alarms.has(r.code))
          .map((r) => ({ code: r.code, name: r.name, x: r.cx, y: r.cy }))
      : FRANCE.departements
          .filter((d) => alarms.has(d.code))
          .map((d) => ({ code: d.code, name: d.name, x: d.cx, y: d.cy }));
  return (
    <div className="analyst-map">
      <svg
        viewBox={FRANCE.viewBox}
        role="group"
        aria-label={title}
        className="analyst-map__svg"
        onMouseLeave={() => setActive(null)}
      >
        <HatchPattern />
        {FRANCE.insets.map((i) => (
          <rect
            key={i.code}
            x={i.x}
            y={i.y}
            width={i.width}
            height={i.height}
            fill="none"
            stroke="#929292"
            strokeWidth="1"
            aria-hidden="true"
          />
        ))}
        {FRANCE.departements.map((d) => (
          <path
            key={d.code}
            d={d.path}
            data-code={d.code}
            fill={fillOf(values.get(areaOf(d)))}
            stroke={level === 'region' ? '#9a9a9a' : '#3a3a3a'}
            strokeWidth={level === 'region' ? 0.4 : 0.6}
            tabIndex={0}
            role="link"
            aria-label={labelOf(d)}
            className="analyst-map__area"
            onMouseEnter={() => setActive(d)}
            onFocus={() => setActive(d)}
            onBlur={() => setActive(null)}
            onClick={() => onSelect(areaOf(d))}
            onKeyDown={(e) => onKey(e, d)}
          />
        ))}
        <ZoomInset
          level={level}
          values={values}
          label={t('map.zoomLabel')}
          onHover={setActive}
          onSelect={onSelect}
        />
        {level === 'region' &&
          FRANCE.regions.map((r) => (
            <path
              key={r.code}
              d={r.outline}
              fill="none"
              stroke="#1e1e1e"
              strokeWidth="1.3"
              pointerEvents="none"
              aria-hidden="true"
            />
          ))}
        {active !== null && (
          // The hovered or focused shape drawn again on top, so that its outline is whole.
          <path
            d={active.path}
            fill="none"
            stroke="#000091"
            strokeWidth="2.5"
            pointerEvents="none"
            aria-hidden="true"
          />
        )}
        {markers.map((m) => (
          <AlarmMarker
            key={m.code}
            x={m.x}
            y={m.y}
            label={t('map.alarmMarker', { name: m.name, code: m.code })}
          />
        ))}
      </svg>
      <p className="fr-text--sm fr-mb-1w analyst-map__panel">
        {active === null ? t('map.hint') : labelOf(active)}
      </p>
    </div>
  );
}
