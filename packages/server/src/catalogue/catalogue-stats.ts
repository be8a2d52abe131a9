/**
 * The data catalogue (issue #8): which warehouse tables a permit may grant, with their variables,
 * and descriptive statistics of one table for researchers choosing what to request.
 *
 * Only OMOP tables are listed — clinical, health-system and vocabulary tables. Hygie's own
 * bookkeeping tables (`hygie_*`, the opt-out mirror among them) and the CDM metadata table are
 * never listed nor described.
 *
 * The statistics are an output like any other, so they are disclosure-controlled (DESIGN.md §4.2):
 * - a count of 1 to k − 1 (k = the platform's `minCellSize`, the one written into new permits) is
 *   withheld: `null` with `suppressed: true` (0 shows: it names nobody). A table's row count, a
 *   variable's non-null count and its null count are such counts; completeness (a share) is
 *   withheld when either of its two counts is, since it would give the small one back.
 * - top values list only values seen at least k times; rarer values are not named at all (their
 *   number, `rareValues`, is shown). Top values are given for concept columns (`*_concept_id`,
 *   with the concept's code, vocabulary and name) and for text, integer and boolean columns of
 *   low cardinality (≤ `LOW_CARDINALITY` distinct values) that are neither keys nor pseudonyms.
 * - no minimum or maximum (each is one person's value). Numbers and dates get quantiles
 *   p5, p25, p50, p75, p95 instead, each released only when at least k values lie on either side
 *   of it (min(p, 1 − p) × n ≥ k); numbers are interpolated (`percentile_cont`), dates are given
 *   to the month (`YYYY-MM`).
 * - every count shown (rows, non-null values, top values' counts) is rounded to
 *   the nearest `CATALOGUE_ROUNDING` (10), and completeness is computed from the rounded counts.
 *   The statistics are recomputed whenever the data or the opt-outs change, and anyone with an
 *   account reads them: exact counts would let the difference between two readings, across one
 *   person's opt-out, give that person's rows away (how many diagnoses, which codes). Rounded,
 *   a single person moves a count only when it crosses a rounding boundary, and never says by
 *   how much.
 * - opted-out persons are excluded from person-level tables (DESIGN.md §4.4), as in every
 *   research result: the opt-out mirror is brought up to date first.
 *
 * The statistics are computed in the warehouse in three statements per table (counts, distinct
 * counts and quantiles in one scan; top values of the eligible columns; the concepts of the top
 * concept ids) and cached in memory (`CatalogueCache`): the key is the table plus a fingerprint
 * of the warehouse state — the latest published batch (`hygie_batch.finished_at`) and the opt-out
 * mirror (its size, a checksum of its person ids, its latest `since`). A new ingestion or an
 * opt-out change makes the next view recompute; otherwise repeated views are instant. The cache
 * is per server process, unbounded only by the number of tables (one entry per table: a newer
 * fingerprint replaces the older entry).
 */
import { CDM_TABLES, HygieError } from '@hygie/core';
import type { CdmColumn, CdmTable, CdmTableKind } from '@hygie/core';
import type { SqlParam, WarehouseSession } from '@hygie/warehouse';

/** Kinds of tables a permit may grant, and so the catalogue shows. */
export const CATALOGUE_KINDS: readonly CdmTableKind[] = ['clinical', 'health-system', 'vocabulary'];

/** The tables of the catalogue, in model order. */
export const CATALOGUE_TABLES: readonly CdmTable[] = CDM_TABLES.filter(
  (t) => CATALOGUE_KINDS.includes(t.kind) && !t.name.startsWith('hygie_'),
);

/** Distinct values at or below which a text/integer/boolean column gets its top values. */
export const LOW_CARDINALITY = 200;

/** Top values given per variable. */
export const TOP_VALUES = 10;

/** The quantiles given for numbers and dates. */
export const QUANTILES = [
  ['p5', 0.05],
  ['p25', 0.25],
  ['p50', 0.5],
  ['p75', 0.75],
  ['p95', 0.95],
] as const;

/** A quantile's name. */
export type QuantileName = (typeof QUANTILES)[number][0];

/** A count that may be withheld. */
export interface ControlledCount {
  readonly value: number | null;
  readonly suppressed: boolean;
}

/** One of the most frequent values of a variable. */
export interface TopValue {
  /** The value as text (a concept id as its decimal text). */
  readonly value: string;
  /** Rows with the value (always ≥ k: rarer values are not listed). */
  readonly count: number;
  /** For a concept column: the concept, when the vocabulary has it. */
  readonly concept?: { code: string; vocabulary: string; name: string } | null;
}

/** Statistics of one variable. */
export interface VariableStats {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly nonNull: ControlledCount;
  /** Share of rows where the variable is not null (0..1), or null when withheld. */
  readonly completeness: number | null;
  readonly completenessSuppressed: boolean;
  /** Distinct non-null values (categories, not persons); null when the table's rows are withheld. */
  readonly distinct: number | null;
  /** Most frequent values (seen ≥ k times), most frequent first; null when not computed. */
  readonly topValues: TopValue[] | null;
  /** Distinct values seen 1 to k − 1 times, not named; null when top values are not computed. */
  readonly rareValues: number | null;
  /** Quantiles (numbers, or `YYYY-MM` for dates); null when not computed; a value null when withheld. */
  readonly quantiles: Readonly<Record<QuantileName, number | string | null>> | null;
}

/** Descriptive statistics of one table. */
export interface TableStats {
  readonly table: string;
  readonly kind: CdmTableKind;
  readonly rows: ControlledCount;
  readonly minCellSize: number;
  /** Whether opted-out persons were excluded (tables with a person key). */
  readonly optOutsExcluded: boolean;
  /** The latest published batch the statistics reflect (ISO instant), null with none. */
  readonly dataAsOf: string | null;
  readonly computedAt: string;
  readonly variables: VariableStats[];
}

/** The catalogue table of `name`; HYG_NOT_FOUND for any other table (hygie_* included). */
export function catalogueTable(name: string): CdmTable {
  const t = CATALOGUE_TABLES.find((x) => x.name === name);
  if (!t) {
    throw new HygieError('HYG_NOT_FOUND', 'no such table in the catalogue', {
      reason: 'unknown-table',
    });
  }
  return t;
}

function isKey(table: CdmTable, c: CdmColumn): boolean {
  return (
    c.primaryKey === true ||
    c.pseudonym === true ||
    c.name === table.personKey ||
    (c.name.endsWith('_id') && !c.name.endsWith('_concept_id'))
  );
}

function isConcept(c: CdmColumn): boolean {
  return c.name.endsWith('_concept_id') && c.type === 'integer';
}

function hasQuantiles(table: CdmTable, c: CdmColumn): boolean {
  return (
    !isKey(table, c) &&
    !c.name.endsWith('_concept_id') &&
    ['integer', 'bigint', 'double', 'date', 'timestamp'].includes(c.type)
  );
}

function mayHaveTopValues(table: CdmTable, c: CdmColumn): boolean {
  if (isConcept(c)) return true;
  return !isKey(table, c) && ['text', 'integer', 'boolean'].includes(c.type);
}

/** The base every count of the catalogue is rounded to (see the module comment). */
export const CATALOGUE_ROUNDING = 10;

/** `count` rounded to the nearest `CATALOGUE_ROUNDING` (a positive count never to 0). */
export function rounded(count: number): number {
  if (count <= 0) return 0;
  return Math.max(CATALOGUE_ROUNDING, Math.round(count / CATALOGUE_ROUNDING) * CATALOGUE_ROUNDING);
}

/** `count` withheld when 1..k−1, rounded otherwise. */
export function controlled(count: number, k: number): ControlledCount {
  const hide = count > 0 && count < k;
  return { value: hide ? null : rounded(count), suppressed: hide };
}

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

/**
 * A fingerprint of what the statistics depend on: the latest published batch and the opt-out
 * mirror. Cheap (the batch table is small; the mirror holds opted-out persons only).
 */
export async function warehouseFingerprint(
  s: WarehouseSession,
): Promise<{ key: string; dataAsOf: string | null }> {
  const [b] = await s.query<{ f: string | null }>(
    `SELECT max(finished_at) AS f FROM hygie_batch WHERE status = 'published'`,
  );
  const [o] = await s.query<{ n: unknown; h: unknown; m: string | null }>(
    `SELECT count(*) AS n, sum(person_id % 1000003) AS h, max(since) AS m FROM hygie_opt_out`,
  );
  const dataAsOf = b?.f ?? null;
  return {
    key: `${dataAsOf ?? '-'}|${String(o?.n ?? 0)}|${String(o?.h ?? 0)}|${o?.m ?? '-'}`,
    dataAsOf,
  };
}

/** Computes the statistics of `table` (see the module comment). */
export async function computeTableStats(
  s: WarehouseSession,
  table: CdmTable,
  k: number,
  info: { dataAsOf: string | null; now: Date },
): Promise<TableStats> {
  const d = s.dialect;
  const q = d.quoteIdent;
  const optOut = table.personKey !== undefined;
  // The rows described: a table, minus opted-out persons' rows for person-level tables.
  const from = optOut
    ? `(SELECT * FROM ${q(table.name)} t WHERE NOT EXISTS ` +
      `(SELECT 1 FROM hygie_opt_out o WHERE o.person_id = t.${q(table.personKey ?? '')})) src`
    : `${q(table.name)} src`;

  // Statement 1: row count; per column non-null and distinct counts; quantiles.
  // On DuckDB, distinct counts and quantiles are approximate (HyperLogLog, t-digest): exact ones
  // over every column of a 44-million-row event table took minutes; these take seconds. Exact
  // on PostgreSQL, which has no such aggregates built in.
  const approx = d.name === 'duckdb';
  const items: string[] = ['count(*) AS n'];
  table.columns.forEach((c, i) => {
    const col = `src.${q(c.name)}`;
    items.push(
      `count(${col}) AS nn_${i}`,
      approx ? `approx_count_distinct(${col}) AS nd_${i}` : `count(DISTINCT ${col}) AS nd_${i}`,
    );
    if (!hasQuantiles(table, c)) return;
    const dated = c.type === 'date' || c.type === 'timestamp';
    const expr = dated ? d.dateTrunc('month', d.cast(col, 'date')) : col;
    if (approx) {
      // One t-digest per column for the five quantiles (a list), not one per quantile.
      const list = QUANTILES.map(([, p]) => p).join(', ');
      const arg = dated ? expr : `CAST(${col} AS DOUBLE)`;
      items.push(`approx_quantile(${arg}, [${list}]) AS ql_${i}`);
      return;
    }
    QUANTILES.forEach(([, p], j) => {
      items.push(
        dated
          ? `${d.percentileDisc(p, expr)} AS q_${i}_${j}`
          : `${d.percentileCont(p, col)} AS q_${i}_${j}`,
      );
    });
  });
  const [row] = await s.query<Record<string, unknown>>(`SELECT ${items.join(', ')} FROM ${from}`);
  const r = row ?? {};
  const n = num(r.n);

  // Statement 2: top values of the eligible columns (each a grouped scan of one column).
  const topColumns = table.columns
    .map((c, i) => ({ c, i }))
    .filter(
      ({ c, i }) =>
        mayHaveTopValues(table, c) && (isConcept(c) || num(r[`nd_${i}`]) <= LOW_CARDINALITY),
    );
  const top = new Map<number, { values: { value: string; count: number }[]; rare: number }>();
  if (topColumns.length > 0 && n > 0) {
    const params: SqlParam[] = [k];
    const kp = d.placeholder(1);
    const parts = topColumns.map(({ c, i }) => {
      const col = q(c.name);
      const v = d.cast(`g.${col}`, 'text');
      return (
        `SELECT ${i} AS col, v, cnt, rare FROM (` +
        `SELECT ${v} AS v, g.cnt AS cnt, ` +
        `row_number() OVER (ORDER BY CASE WHEN g.cnt >= ${kp} THEN g.cnt ELSE 0 END DESC, ${d.binaryOrder(v)}) AS rk, ` +
        `sum(CASE WHEN g.cnt < ${kp} THEN 1 ELSE 0 END) OVER () AS rare ` +
        `FROM (SELECT src.${col} AS ${col}, count(*) AS cnt FROM ${from} WHERE src.${col} IS NOT NULL GROUP BY src.${col}) g` +
        `) x${i} WHERE rk <= ${TOP_VALUES}`
      );
    });
    const rows = await s.query<{ col: unknown; v: string; cnt: unknown; rare: unknown }>(
      parts.join('\nUNION ALL\n'),
      params,
    );
    for (const x of rows) {
      const i = num(x.col);
      const entry = top.get(i) ?? { values: [], rare: num(x.rare) };
      // Rows below k fill the ranking only when fewer than ten values reach k: never shown.
      if (num(x.cnt) >= k) entry.values.push({ value: x.v, count: rounded(num(x.cnt)) });
      top.set(i, entry);
    }
    for (const e of top.values()) e.values.sort((a, b) => b.count - a.count);
  }

  // Statement 3: the concepts of the top concept ids, bound as parameters.
  const conceptIds = [
    ...new Set(
      topColumns
        .filter(({ c }) => isConcept(c))
        .flatMap(({ i }) => top.get(i)?.values.map((v) => Number(v.value)) ?? [])
        .filter((id) => Number.isSafeInteger(id)),
    ),
  ];
  const concepts = new Map<number, { code: string; vocabulary: string; name: string }>();
  if (conceptIds.length > 0) {
    const rows = await s.query<{
      concept_id: unknown;
      concept_code: string;
      vocabulary_id: string;
      concept_name: string;
    }>(
      `SELECT concept_id, concept_code, vocabulary_id, concept_name FROM concept WHERE concept_id IN (${conceptIds
        .map((_, j) => d.placeholder(j + 1))
        .join(', ')})`,
      conceptIds,
    );
    for (const c of rows) {
      concepts.set(num(c.concept_id), {
        code: c.concept_code,
        vocabulary: c.vocabulary_id,
        name: c.concept_name,
      });
    }
  }

  const variables = table.columns.map((c, i): VariableStats => {
    const nonNull = num(r[`nn_${i}`]);
    const nulls = n - nonNull;
    const share = nonNull > 0 && nonNull < k ? true : nulls > 0 && nulls < k;
    const t = top.get(i);
    const topComputed = topColumns.some((x) => x.i === i);
    let quantiles: Record<QuantileName, number | string | null> | null = null;
    if (hasQuantiles(table, c)) {
      quantiles = { p5: null, p25: null, p50: null, p75: null, p95: null };
      QUANTILES.forEach(([name, p], j) => {
        const list = r[`ql_${i}`];
        const value = Array.isArray(list) ? (list[j] as unknown) : r[`q_${i}_${j}`];
        if (Math.min(p, 1 - p) * nonNull < k || value === null || value === undefined) return;
        quantiles![name] =
          c.type === 'date' || c.type === 'timestamp'
            ? String(value).slice(0, 7)
            : Number(Number(value).toPrecision(6));
      });
    }
    return {
      name: c.name,
      type: c.type,
      description: c.description,
      nonNull: controlled(nonNull, k),
      completeness: share || n === 0 || (n > 0 && n < k) ? null : rounded(nonNull) / rounded(n),
      completenessSuppressed: share || (n > 0 && n < k),
      // The number of distinct values is exact (approximate on DuckDB): a person moves it only
      // by holding a value nobody else has, and it never says which.
      distinct: n > 0 && n < k ? null : num(r[`nd_${i}`]),
      topValues: topComputed
        ? (t?.values ?? []).map((v) =>
            isConcept(c)
              ? { ...v, concept: concepts.get(Number(v.value)) ?? null }
              : { value: v.value, count: v.count },
          )
        : null,
      rareValues: topComputed ? (t?.rare ?? 0) : null,
      quantiles,
    };
  });
  return {
    table: table.name,
    kind: table.kind,
    rows: controlled(n, k),
    minCellSize: k,
    optOutsExcluded: optOut,
    dataAsOf: info.dataAsOf,
    computedAt: info.now.toISOString(),
    variables,
  };
}

/** The in-memory cache of table statistics (see the module comment). */
export class CatalogueCache {
  readonly #entries = new Map<string, { key: string; stats: Promise<TableStats> }>();

  /** The statistics of `table` for `fingerprint`, computed once per fingerprint. */
  get(table: string, fingerprint: string, compute: () => Promise<TableStats>): Promise<TableStats> {
    const e = this.#entries.get(table);
    if (e && e.key === fingerprint) return e.stats;
    const stats = compute();
    this.#entries.set(table, { key: fingerprint, stats });
    // A failed computation is not kept: the next view tries again.
    stats.catch(() => {
      if (this.#entries.get(table)?.stats === stats) this.#entries.delete(table);
    });
    return stats;
  }

  /** Whether the statistics of `table` for `fingerprint` are cached. */
  has(table: string, fingerprint: string): boolean {
    return this.#entries.get(table)?.key === fingerprint;
  }
}
