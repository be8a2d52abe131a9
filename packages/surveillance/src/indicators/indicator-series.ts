/**
 * Population-health indicators computed in the warehouse (issue #7): counts of syndrome episodes,
 * hospital stays by cause and deaths by cause, by ISO week or month, for the nation (`FR`), the
 * régions (`location.state`) or the départements (`location.county`) of the persons' residence,
 * with crude rates per 100,000, exact Poisson 95 % intervals and, when asked, directly
 * age-and-sex-standardised rates. One SQL statement per series returns every area × period,
 * zero-filled; all values travel as bound parameters.
 *
 * **Population.** The persons of `compilePopulation` for the given purpose (`@hygie/analytics`):
 * opted-out persons are excluded from `research`; for `surveillance` only those whose opt-out is
 * not surveillance-exempt are. A person belongs to the area of their (current) location; persons
 * without one, or with a code not in the INSEE reference, count only for the nation.
 *
 * **Numerators.** Syndromes count episodes (see `syndromes.ts`: a person's events merge into one
 * episode while fewer than `episodeDays` + 1 days separate consecutive events); the case falls in
 * the period of the episode's first event. Hospitalisations count inpatient stays (visit concept
 * 9201 or 262) whose principal diagnosis (condition status 32902) is in the cause's concept set,
 * at the stay's start. Deaths count `death` rows, at the death date, whose `cause_concept_id` is in
 * the cause's set (all deaths without a cause). Cases are counted whether or not the person is in
 * the denominator of the period (a warehouse records events outside observation at its edges).
 *
 * **Denominators.** A warehouse is a sample of France (1 M of 67 M persons), so rates are
 * computed against its own observed persons, never against the INSEE population directly (which
 * would give rates ~67 times too low). Persons are observed from the first start to the last end
 * of their observation periods overlapping the series (gaps ignored), cut at death.
 * - `'insee'` (default): the INSEE population of the area scaled by the warehouse's coverage of
 *   the area in the year of the period (persons resident in the area and observed at any time of
 *   that year, divided by the INSEE legal population): the number of persons observed during the
 *   year, a constant denominator through the year as INSEE annual populations are. `coverage` is
 *   returned; for a full-coverage warehouse the denominator is the INSEE population.
 * - `'warehouse'`: the persons observed (alive, resident) at some time during the period itself.
 *
 * **Standardisation** (`standardise`): direct, by sex × 5-year age band (0–4 … 95+, the age
 * reached during the year of the period), to `france_2020` or `europe_2013`
 * (`@hygie/analytics` `standardPopulation`): DSR = Σₖ wₖ xₖ/nₖ × per, a stratum with nobody
 * observed counting a rate of 0 (its weight still counts), persons of unknown sex in the crude
 * rate only. Interval: Fay–Feuer gamma interval (`poisson.ts`). Crude intervals: Garwood's exact
 * Poisson interval on the cases, divided by the denominator (treated as fixed).
 *
 * **SQL.** Each person's observed span is cut by year (a join with the few years of the series)
 * and turned into +1 at the first and −1 after the last period index of the segment; a running
 * sum over the periods per area × stratum gives the persons observed in each period without a
 * row per person and period. Period indexes are arithmetic on dates (days from the first Monday /
 * 7, or year × 12 + month), joined by equality to the VALUES list of periods.
 */
import { HygieError } from '@hygie/core';
import type { PopulationFilters, StandardPopulation } from '@hygie/core';
import {
  compilePopulation,
  normaliseConceptCode,
  SqlParams,
  standardPopulation,
} from '@hygie/analytics';
import type { CompiledSql, PopulationPurpose } from '@hygie/analytics';
import { departements, regions } from '@hygie/reference';
import type { SqlDialect, SqlParam, WarehouseSession } from '@hygie/warehouse';
import { seriesBuckets } from './calendar.js';
import type { SeriesUnit } from './calendar.js';
import { fayFeuerInterval, poissonInterval } from './poisson.js';
import { DEFAULT_EPISODE_DAYS, syndromeById } from './syndromes.js';
import type { EventSource, SyndromeCode, SyndromeDefinition } from './syndromes.js';

/** A cause: a CIM-10 concept set. */
export interface CauseDefinition {
  readonly label?: string;
  readonly diagnoses: readonly SyndromeCode[];
}

/** What a series counts. */
export type Indicator =
  | {
      readonly kind: 'syndrome';
      /** A default syndrome's id (`SYNDROMES`) or a definition. */
      readonly syndrome: string | SyndromeDefinition;
      /** Overrides the syndrome's sources. */
      readonly sources?: readonly EventSource[];
      /** Overrides the syndrome's episode window. */
      readonly episodeDays?: number;
    }
  | { readonly kind: 'hospitalisations'; readonly cause: CauseDefinition }
  | { readonly kind: 'deaths'; readonly cause?: CauseDefinition };

/** Geographic level of a series. */
export type AreaLevel = 'nation' | 'region' | 'departement';

/** What to compute. */
export interface IndicatorSeriesOptions {
  readonly indicator: Indicator;
  /** `YYYY-MM-DD`, both included; widened to whole periods. */
  readonly period: { readonly from: string; readonly to: string };
  readonly unit: SeriesUnit;
  readonly level: AreaLevel;
  readonly purpose: PopulationPurpose;
  /** A permit's population filters (default none). */
  readonly filters?: PopulationFilters;
  /** Default `'insee'` (see the module comment). */
  readonly denominator?: 'insee' | 'warehouse';
  /** Standard population of an age-and-sex-standardised rate (default none). */
  readonly standardise?: StandardPopulation;
  /** Rates per (default 100,000). */
  readonly per?: number;
  /**
   * A table holding this series' denominators, filled by `materialiseDenominator` with the same
   * period, unit, level, purpose, filters and denominator: the series then reads it instead of
   * recomputing them. The denominators are most of a series' cost (every person's observation
   * against every period) and are the same for every indicator of a run at one level and unit.
   */
  readonly denominatorTable?: string;
}

/** One area × period of a series. */
export interface IndicatorRow {
  /** `FR`, an INSEE région or département code. */
  readonly area: string;
  /** `2024-W09` or `2024-03`. */
  readonly period: string;
  readonly cases: number;
  /** The denominator (persons). */
  readonly population: number;
  /** INSEE legal population of the area. */
  readonly inseePopulation: number;
  /** population / inseePopulation. */
  readonly coverage: number;
  /** cases / population × per, null when population is 0 (also for the bounds). */
  readonly rate: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly standardisedRate?: number | null;
  readonly standardisedLower?: number | null;
  readonly standardisedUpper?: number | null;
}

const INPATIENT_VISITS = '9201, 262';
const PRINCIPAL_DIAGNOSIS = 32902;
const MAX_EPISODE_DAYS = 365;

function invalid(message: string, argument: string): never {
  throw new HygieError('HYG_INVALID_ARGUMENT', message, { argument });
}

/** The areas of a level with their INSEE populations. */
export function levelAreas(level: AreaLevel): { code: string; population: number }[] {
  switch (level) {
    case 'nation':
      return [{ code: 'FR', population: regions().reduce((s, r) => s + r.population, 0) }];
    case 'region':
      return regions().map((r) => ({ code: r.code, population: r.population }));
    case 'departement':
      return departements().map((d) => ({ code: d.code, population: d.population }));
    default:
      return invalid('level is nation, region or departement', 'level');
  }
}

function resolveSyndrome(indicator: Extract<Indicator, { kind: 'syndrome' }>): {
  syndrome: SyndromeDefinition;
  sources: readonly EventSource[];
  episodeDays: number;
} {
  const syndrome =
    typeof indicator.syndrome === 'string' ? syndromeById(indicator.syndrome) : indicator.syndrome;
  if (syndrome === undefined) invalid('unknown syndrome', 'indicator');
  // Dispensings are read by default when the syndrome names drugs: in an SNDS extract they are
  // the only trace of an episode treated in town (DCIR consultations carry no diagnosis).
  const sources =
    indicator.sources ??
    syndrome.sources ??
    ((syndrome.drugs ?? []).length > 0
      ? ['consultation', 'stay', 'dispensation']
      : ['consultation', 'stay']);
  const episodeDays = indicator.episodeDays ?? syndrome.episodeDays ?? DEFAULT_EPISODE_DAYS;
  if (!Number.isInteger(episodeDays) || episodeDays < 0 || episodeDays > MAX_EPISODE_DAYS) {
    invalid(`the episode window is 0 to ${MAX_EPISODE_DAYS} days`, 'episodeDays');
  }
  if (sources.length === 0) invalid('a syndrome needs a source', 'sources');
  if (syndrome.diagnoses.length === 0) invalid('a syndrome needs diagnoses', 'indicator');
  return { syndrome, sources, episodeDays };
}

/** A compiled series and what is needed to read its rows. */
export interface CompiledIndicatorSeries extends CompiledSql {
  readonly labels: readonly string[];
}

/** Compiles the statement of a series (see the module comment). */
export function compileIndicatorSeries(
  options: IndicatorSeriesOptions,
  dialect: SqlDialect,
): CompiledIndicatorSeries {
  return compileStatement(options, dialect, 'series');
}

/**
 * Compiles the statement of a series' denominators alone: rows `(area, g, band, b, n)` — area,
 * gender concept, 5-year age band, period index, persons — what `denominatorTable` holds.
 */
export function compileDenominator(
  options: Omit<IndicatorSeriesOptions, 'indicator'>,
  dialect: SqlDialect,
): CompiledIndicatorSeries {
  return compileStatement({ ...options, indicator: { kind: 'deaths' } }, dialect, 'denominator');
}

const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates `table` and fills it with the denominators of `options` (`compileDenominator`), for
 * series computed with `denominatorTable: table`. The caller drops it (`dropDenominator`).
 */
export async function materialiseDenominator(
  session: WarehouseSession,
  options: Omit<IndicatorSeriesOptions, 'indicator'>,
  table: string,
): Promise<void> {
  if (!TABLE_NAME.test(table)) invalid('a table name is lower-case letters, digits, _', 'table');
  const compiled = compileDenominator(options, session.dialect);
  // CREATE then INSERT … SELECT: PostgreSQL binds no parameter in CREATE TABLE … AS.
  const d = session.dialect;
  await session.execute(
    `CREATE TABLE ${table} (area ${d.typeName('text')}, g ${d.typeName('integer')}, ` +
      `band ${d.typeName('integer')}, b ${d.typeName('integer')}, n ${d.typeName('bigint')})`,
  );
  await session.execute(`INSERT INTO ${table} ${compiled.sql}`, compiled.params as SqlParam[]);
}

/** Drops a table made by `materialiseDenominator` (no error when it does not exist). */
export async function dropDenominator(session: WarehouseSession, table: string): Promise<void> {
  if (!TABLE_NAME.test(table)) invalid('a table name is lower-case letters, digits, _', 'table');
  await session.execute(`DROP TABLE IF EXISTS ${table}`);
}

function compileStatement(
  options: IndicatorSeriesOptions,
  dialect: SqlDialect,
  mode: 'series' | 'denominator',
): CompiledIndicatorSeries {
  const buckets = seriesBuckets(options.period, options.unit);
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (first === undefined || last === undefined) return invalid('empty period', 'period');
  const denominator = options.denominator ?? 'insee';
  if (denominator !== 'insee' && denominator !== 'warehouse') {
    invalid('denominator is insee or warehouse', 'denominator');
  }
  const fn = dialect;
  const population = compilePopulation(
    {
      filters: options.filters ?? {},
      period: { from: first.start, to: last.end },
      purpose: options.purpose,
    },
    dialect,
    { columns: ['gender_concept_id', 'year_of_birth', 'departement', 'region'] },
  );
  const p = new SqlParams(dialect, population.params.length);
  const date = (v: string): string => fn.cast(p.add(v), 'date');
  const text = (v: string): string => fn.cast(p.add(v), 'text');
  const int = (v: number): string => fn.cast(p.add(v), 'integer');
  const dbl = (v: number): string => fn.cast(p.add(v), 'double');
  const START = date(first.start);
  const END = date(last.end);
  const weekly = options.unit === 'isoweek';
  const monthBase = Number(first.start.slice(0, 4)) * 12 + Number(first.start.slice(5, 7));
  const MONTH_BASE = weekly ? '' : int(monthBase);
  const bucketOf = (x: string): string =>
    weekly
      ? fn.intDiv(fn.dateDiffDays(START, x), 7)
      : `(${fn.datePart('year', x)} * 12 + ${fn.datePart('month', x)} - ${MONTH_BASE})`;
  const yearOf = (x: string): string => fn.datePart(weekly ? 'isoyear' : 'year', x);
  const band = (age: string): string => `(${fn.intDiv(`least(greatest(${age}, 0), 95)`, 5)} * 5)`;

  const areas = levelAreas(options.level);
  const areaRows = areas.map((a) => `(${text(a.code)}, ${dbl(a.population)})`).join(', ');
  const bucketRows = buckets
    .map((b) => `(${int(b.index)}, ${text(b.label)}, ${int(b.year)})`)
    .join(', ');
  const areaJoin =
    options.level === 'nation'
      ? 'CROSS JOIN areas a'
      : `JOIN areas a ON a.area = p.${options.level === 'region' ? 'region' : 'departement'}`;

  const ctes: string[] = [];
  const cte = (name: string, sql: string, inline = false): void => {
    ctes.push(`${name} AS ${inline ? dialect.inlinedCte : ''}(\n${sql}\n)`);
  };
  cte('pop', population.sql, true);
  cte('areas', `SELECT * FROM (VALUES ${areaRows}) AS t(area, insee)`);
  cte('bk', `SELECT * FROM (VALUES ${bucketRows}) AS t(b, label, y)`);
  cte('yrs', 'SELECT y, min(b) AS b0, max(b) AS b1 FROM bk GROUP BY y');
  cte(
    'pa',
    `SELECT p.person_id, a.area, p.gender_concept_id AS g, p.year_of_birth AS yob FROM pop p ${areaJoin}`,
  );

  // Denominators.
  const table = options.denominatorTable;
  if (mode === 'series' && table !== undefined) {
    if (!TABLE_NAME.test(table)) invalid('a table name is lower-case letters, digits, _', 'table');
    cte('den', `SELECT area, g, band, b, n FROM ${table}`);
  } else {
    cte(
      'obs',
      `SELECT op.person_id, min(op.observation_period_start_date) AS s, max(op.observation_period_end_date) AS e\n` +
        `FROM observation_period op JOIN pa ON pa.person_id = op.person_id\n` +
        `WHERE op.observation_period_start_date <= ${END} AND op.observation_period_end_date >= ${START}\n` +
        `GROUP BY op.person_id`,
    );
    cte(
      'span',
      `SELECT pa.area, pa.g, pa.yob, greatest(o.s, ${START}) AS s,\n` +
        `  least(o.e, ${END}, coalesce(dd.death_date, ${END})) AS e\n` +
        `FROM pa JOIN obs o ON o.person_id = pa.person_id\n` +
        `LEFT JOIN (SELECT person_id, min(death_date) AS death_date FROM death GROUP BY person_id) dd\n` +
        `  ON dd.person_id = pa.person_id`,
    );
    cte(
      'seg',
      `SELECT sp.area, sp.g, ${band('yr.y - sp.yob')} AS band, yr.y,\n` +
        `  greatest(${bucketOf('sp.s')}, yr.b0) AS b_in, least(${bucketOf('sp.e')}, yr.b1) AS b_out\n` +
        `FROM span sp JOIN yrs yr ON yr.y BETWEEN ${yearOf('sp.s')} AND ${yearOf('sp.e')}\n` +
        `WHERE sp.s <= sp.e`,
    );
    if (denominator === 'warehouse') {
      cte(
        'dsum',
        `SELECT area, g, band, b, ${fn.cast('sum(d)', 'bigint')} AS d FROM (\n` +
          `  SELECT area, g, band, b_in AS b, 1 AS d FROM seg\n` +
          `  UNION ALL SELECT area, g, band, b_out + 1 AS b, -1 AS d FROM seg\n` +
          `) t GROUP BY area, g, band, b`,
      );
      cte(
        'den',
        `SELECT st.area, st.g, st.band, bk.b,\n` +
          `  ${fn.cast('sum(coalesce(ds.d, 0)) OVER (PARTITION BY st.area, st.g, st.band ORDER BY bk.b)', 'bigint')} AS n\n` +
          `FROM (SELECT DISTINCT area, g, band FROM dsum) st CROSS JOIN bk\n` +
          `LEFT JOIN dsum ds ON ds.area = st.area AND ds.g = st.g AND ds.band = st.band AND ds.b = bk.b`,
      );
    } else {
      cte(
        'den',
        `SELECT s.area, s.g, s.band, bk.b, s.n FROM (\n` +
          `  SELECT area, g, band, y, count(*) AS n FROM seg GROUP BY area, g, band, y\n` +
          `) s JOIN bk ON bk.y = s.y`,
      );
    }
  }
  if (mode === 'denominator') {
    return {
      sql: `WITH ${ctes.join(',\n')}\nSELECT area, g, band, b, n FROM den`,
      params: [...population.params, ...p.values],
      labels: buckets.map((b) => b.label),
    };
  }

  // Numerators: dated events (person_id, dt) from a lookback for episodes.
  const conceptSet = (
    name: string,
    vocabulary: 'CIM10' | 'ATC',
    items: readonly SyndromeCode[],
  ): void => {
    const rows = items
      .map(
        (i) =>
          `(${text(normaliseConceptCode(vocabulary, i.code))}, ${i.descendants === false ? 0 : 1})`,
      )
      .join(', ');
    const voc = text(vocabulary);
    cte(
      name,
      `SELECT DISTINCT m.concept_id FROM (\n` +
        `  SELECT c.concept_id FROM (VALUES ${rows}) AS i(code, descendants)\n` +
        `    JOIN concept c ON c.vocabulary_id = ${voc} AND c.concept_code = i.code\n` +
        `  UNION ALL\n` +
        `  SELECT ca.descendant_concept_id AS concept_id FROM (VALUES ${rows}) AS i(code, descendants)\n` +
        `    JOIN concept c ON c.vocabulary_id = ${voc} AND c.concept_code = i.code\n` +
        `    JOIN concept_ancestor ca ON ca.ancestor_concept_id = c.concept_id WHERE i.descendants = 1\n` +
        `) m`,
    );
  };
  const indicator = options.indicator;
  if (indicator.kind === 'syndrome') {
    const r = resolveSyndrome(indicator);
    const FROM = date(first.start);
    const LOOKBACK = fn.addDays(FROM, -r.episodeDays);
    conceptSet('cs_dx', 'CIM10', r.syndrome.diagnoses);
    const consult = r.sources.includes('consultation');
    const stay = r.sources.includes('stay');
    const parts: string[] = [];
    if (consult || stay) {
      const which: string[] = [];
      if (consult)
        which.push(`v.visit_concept_id IS NULL OR v.visit_concept_id NOT IN (${INPATIENT_VISITS})`);
      if (stay) {
        which.push(
          `v.visit_concept_id IN (${INPATIENT_VISITS}) AND co.condition_status_concept_id = ${PRINCIPAL_DIAGNOSIS}`,
        );
      }
      parts.push(
        `SELECT co.person_id, co.condition_start_date AS dt FROM condition_occurrence co\n` +
          `  JOIN cs_dx ON cs_dx.concept_id = co.condition_concept_id\n` +
          `  LEFT JOIN visit_occurrence v ON v.visit_occurrence_id = co.visit_occurrence_id\n` +
          `  WHERE co.condition_start_date BETWEEN ${LOOKBACK} AND ${END}\n` +
          `    AND (${which.map((w) => `(${w})`).join(' OR ')})`,
      );
    }
    if (r.sources.includes('dispensation') && (r.syndrome.drugs ?? []).length > 0) {
      conceptSet('cs_rx', 'ATC', r.syndrome.drugs ?? []);
      parts.push(
        `SELECT de.person_id, de.drug_exposure_start_date AS dt FROM drug_exposure de\n` +
          `  JOIN cs_rx ON cs_rx.concept_id = de.drug_concept_id\n` +
          `  WHERE de.drug_exposure_start_date BETWEEN ${LOOKBACK} AND ${END}`,
      );
    }
    if (parts.length === 0)
      invalid('the syndrome has nothing to read from these sources', 'sources');
    cte('ev', parts.join('\nUNION ALL\n'));
    cte(
      'evp',
      `SELECT e.person_id, e.dt, lag(e.dt) OVER (PARTITION BY e.person_id ORDER BY e.dt) AS prev\n` +
        `FROM ev e JOIN pa ON pa.person_id = e.person_id`,
    );
    cte(
      'inc',
      `SELECT person_id, dt FROM evp WHERE dt >= ${START}\n` +
        `  AND (prev IS NULL OR ${fn.dateDiffDays('prev', 'dt')} > ${int(r.episodeDays)})`,
    );
  } else if (indicator.kind === 'hospitalisations') {
    if (indicator.cause.diagnoses.length === 0) invalid('a cause needs diagnoses', 'indicator');
    conceptSet('cs_dx', 'CIM10', indicator.cause.diagnoses);
    cte(
      'inc',
      `SELECT DISTINCT v.visit_occurrence_id, v.person_id, v.visit_start_date AS dt FROM visit_occurrence v\n` +
        `  JOIN condition_occurrence co ON co.visit_occurrence_id = v.visit_occurrence_id\n` +
        `  JOIN cs_dx ON cs_dx.concept_id = co.condition_concept_id\n` +
        `  WHERE v.visit_concept_id IN (${INPATIENT_VISITS}) AND co.condition_status_concept_id = ${PRINCIPAL_DIAGNOSIS}\n` +
        `    AND v.visit_start_date BETWEEN ${START} AND ${END}`,
    );
  } else if (indicator.kind === 'deaths') {
    const cause = indicator.cause;
    if (cause !== undefined) {
      if (cause.diagnoses.length === 0) invalid('a cause needs diagnoses', 'indicator');
      conceptSet('cs_dx', 'CIM10', cause.diagnoses);
    }
    cte(
      'inc',
      `SELECT d.person_id, d.death_date AS dt FROM death d\n` +
        (cause ? `  JOIN cs_dx ON cs_dx.concept_id = d.cause_concept_id\n` : '') +
        `  WHERE d.death_date BETWEEN ${START} AND ${END}`,
    );
  } else {
    invalid('unknown indicator kind', 'indicator');
  }
  cte(
    'cas',
    `SELECT t.area, t.g, ${band('bk.y - t.yob')} AS band, t.b, count(*) AS x FROM (\n` +
      `  SELECT pa.area, pa.g, pa.yob, ${bucketOf('i.dt')} AS b FROM inc i JOIN pa ON pa.person_id = i.person_id\n` +
      `  WHERE i.dt BETWEEN ${START} AND ${END}\n` +
      `) t JOIN bk ON bk.b = t.b GROUP BY t.area, t.g, ${band('bk.y - t.yob')}, t.b`,
  );
  cte(
    'cell',
    `SELECT coalesce(dn.area, c.area) AS area, coalesce(dn.g, c.g) AS g, coalesce(dn.band, c.band) AS band,\n` +
      `  coalesce(dn.b, c.b) AS b, coalesce(c.x, 0) AS x, coalesce(dn.n, 0) AS n\n` +
      `FROM den dn FULL JOIN cas c ON c.area = dn.area AND c.g = dn.g AND c.band = dn.band AND c.b = dn.b`,
  );
  const std = options.standardise;
  let stdSelect = '';
  let stdJoin = '';
  if (std !== undefined) {
    const strata = standardPopulation(std);
    const rows = strata
      .map((s) => `(${int(s.sex === 'female' ? 8532 : 8507)}, ${int(s.ageFrom)}, ${dbl(s.weight)})`)
      .join(', ');
    cte('sw', `SELECT * FROM (VALUES ${rows}) AS t(g, band, w)`);
    stdJoin = 'LEFT JOIN sw ON sw.g = cell.g AND sw.band = cell.band';
    stdSelect =
      `,\n  sum(sw.w * ${fn.ratio('cell.x', 'cell.n')}) AS dsr,` +
      `\n  sum(sw.w * sw.w * ${fn.ratio('cell.x', 'cell.n * cell.n')}) AS dvar,` +
      `\n  max(${fn.ratio('sw.w', 'cell.n')}) AS dmax`;
  }
  cte(
    'agg',
    `SELECT cell.area, cell.b, ${fn.cast('sum(cell.x)', 'bigint')} AS cases, ${fn.cast('sum(cell.n)', 'bigint')} AS population${stdSelect}\n` +
      `FROM cell ${stdJoin} GROUP BY cell.area, cell.b`,
  );
  const stdCols = std !== undefined ? ', g.dsr, g.dvar, g.dmax' : '';
  const sql =
    `WITH ${ctes.join(',\n')}\n` +
    `SELECT a.area, bk.label AS period, coalesce(g.cases, 0) AS cases, coalesce(g.population, 0) AS population,\n` +
    `  a.insee${stdCols}\n` +
    `FROM areas a CROSS JOIN bk LEFT JOIN agg g ON g.area = a.area AND g.b = bk.b\n` +
    `ORDER BY ${fn.binaryOrder('a.area')}, bk.b`;
  return { sql, params: [...population.params, ...p.values], labels: buckets.map((b) => b.label) };
}

interface RawRow {
  area: string;
  period: string;
  cases: number | bigint;
  population: number | bigint;
  insee: number;
  dsr?: number | null;
  dvar?: number | null;
  dmax?: number | null;
}

/** Computes a series in the warehouse: one statement, every area × period (see the module comment). */
export async function computeIndicatorSeries(
  session: WarehouseSession,
  options: IndicatorSeriesOptions,
): Promise<IndicatorRow[]> {
  const per = options.per ?? 100_000;
  if (!(per > 0) || !Number.isFinite(per)) invalid('per is a positive number', 'per');
  const compiled = compileIndicatorSeries(options, session.dialect);
  const rows = await session.query<RawRow>(compiled.sql, compiled.params as SqlParam[]);
  return rows.map((r) => {
    const cases = Number(r.cases);
    const population = Number(r.population);
    const ci = poissonInterval(cases);
    const scale = population > 0 ? per / population : null;
    const row: IndicatorRow = {
      area: r.area,
      period: r.period,
      cases,
      population,
      inseePopulation: Number(r.insee),
      coverage: Number(r.insee) > 0 ? population / Number(r.insee) : 0,
      rate: scale === null ? null : cases * scale,
      lower: scale === null ? null : ci.lower * scale,
      upper: scale === null ? null : ci.upper * scale,
    };
    if (options.standardise === undefined) return row;
    if (population === 0) {
      return { ...row, standardisedRate: null, standardisedLower: null, standardisedUpper: null };
    }
    const sums = { rate: r.dsr ?? 0, variance: r.dvar ?? 0, maxWeight: r.dmax ?? 0 };
    const sci = fayFeuerInterval(sums);
    return {
      ...row,
      standardisedRate: sums.rate * per,
      standardisedLower: sci.lower * per,
      standardisedUpper: sci.upper * per,
    };
  });
}
