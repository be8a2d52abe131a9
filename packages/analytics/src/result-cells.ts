/**
 * From a measure's SQL rows to its result table: counts as numbers, rates worked out from the
 * counts (crude, and directly standardised over the per-stratum rows of a standardised measure),
 * person-days turned into person-years (days / 365.25). Per cell, never per person: the SQL has
 * already aggregated everything.
 */
import type { SqlRow } from '@hygie/warehouse';
import type { CompiledMeasure } from './compile-query.js';
import { quantileColumn } from './distribution-sql.js';
import type { ResultRow, ResultTable } from './result-table.js';
import { standardPopulation } from './standard-populations.js';
import { directlyStandardisedRate } from './standardisation.js';
import type { CellScope, StratumCounts } from './standardisation.js';
import { ageBandLabels, dimensionColumn } from './strata-sql.js';

/** Days in a year of person-time (the Julian year, the convention of epidemiology). */
export const DAYS_PER_YEAR = 365.25;

function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') return Number(value);
  return 0;
}

function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

/** Code point order, unknown (null) last. */
function compareStrata(a: readonly (string | null)[], b: readonly (string | null)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** The cell of the standard strata a row's strata cover. */
function cellScope(m: CompiledMeasure, strata: Record<string, string | null>): CellScope {
  const scope: { sex?: 'female' | 'male' | null; ages?: { from: number; to: number } } = {};
  if (m.dimensions.includes('sex')) {
    const sex = strata.sex ?? null;
    scope.sex = sex === 'female' || sex === 'male' ? sex : null;
  }
  if (m.dimensions.includes('age_band') && m.standardise) {
    const bands = m.standardise.ageBands;
    const i = ageBandLabels(bands).indexOf(strata.age_band ?? '');
    const from = bands[i] ?? 0;
    const next = bands[i + 1];
    scope.ages = { from, to: next === undefined ? Infinity : next - 1 };
  }
  return scope;
}

/** Turns the rows of a measure's statement into its result table. */
export function resultTable(m: CompiledMeasure, rows: readonly SqlRow[]): ResultTable {
  // Group rows by cell: one row per cell, or one per cell and standard stratum.
  const cells = new Map<string, { key: (string | null)[]; rows: SqlRow[] }>();
  for (const row of rows) {
    const key = m.dimensions.map((d) => text(row[dimensionColumn(d)]));
    const id = JSON.stringify(key);
    const cell = cells.get(id) ?? { key, rows: [] };
    cell.rows.push(row);
    cells.set(id, cell);
  }
  const per = m.per ?? 1;
  const out = [...cells.values()]
    .sort((a, b) => compareStrata(a.key, b.key))
    .map(({ key, rows: cellRows }): ResultRow => {
      const strata: Record<string, string | null> = {};
      m.dimensions.forEach((d, i) => (strata[d] = key[i] ?? null));
      const sum = (column: string): number => cellRows.reduce((acc, r) => acc + num(r[column]), 0);
      const persons = sum('persons');
      const first = cellRows[0] ?? {};
      switch (m.kind) {
        case 'person_count':
          return { strata, values: { count: persons }, persons };
        case 'event_count':
          return { strata, values: { events: sum('events') }, persons };
        case 'prevalence':
        case 'incidence_rate': {
          const cases = sum('cases');
          const denominator =
            m.kind === 'prevalence' ? persons : sum('person_days') / DAYS_PER_YEAR;
          const values: Record<string, number | null> = {
            cases,
            [m.kind === 'prevalence' ? 'population' : 'person_years']: denominator,
            rate: ratio(cases * per, denominator),
          };
          if (m.standardise) {
            const strataCounts: StratumCounts[] = cellRows.map((r) => {
              const sex = text(r.std_sex);
              return {
                ageFrom: numOrNull(r.std_band),
                sex: sex === 'female' || sex === 'male' ? sex : null,
                cases: num(r.cases),
                denominator:
                  m.kind === 'prevalence' ? num(r.persons) : num(r.person_days) / DAYS_PER_YEAR,
              };
            });
            const dsr = directlyStandardisedRate(
              strataCounts,
              standardPopulation(m.standardise.population),
              cellScope(m, strata),
            );
            values.standardised_rate = dsr === null ? null : dsr * per;
          }
          return { strata, values, persons };
        }
        case 'distribution': {
          const values: Record<string, number | null> = {
            n: num(first.n),
            mean: numOrNull(first.mean),
            sd: numOrNull(first.sd),
          };
          const stats = m.statistics.filter((s) => s.kind === 'quantile');
          stats.forEach((s, i) => (values[s.name] = numOrNull(first[quantileColumn(i)])));
          return { strata, values, persons };
        }
      }
    });
  return {
    measure: m.name,
    kind: m.kind,
    dimensions: m.dimensions,
    statistics: m.statistics,
    rows: out,
  };
}
