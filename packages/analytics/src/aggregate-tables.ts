/**
 * Result tables as the disclosure-control module's input (`AggregateTable`, `@hygie/core`
 * disclosure): one aggregate measure per released statistic, the strata as they are (NULL for
 * unknown), rates with their numerator and denominator.
 *
 * - person count → `<measure>` (`count`); event count → `<measure>` (`event_count`).
 * - prevalence, incidence → `<measure>` (`rate`: numerator the cases, denominator the persons at
 *   risk — with `denominatorPersons` — or the person-years), and `<measure>_standardised` (`rate`,
 *   the directly standardised value over the same numerator and denominator, which is what its
 *   disclosure risk depends on).
 * - distribution → `<measure>_n` (`count`, or `event_count` for measurement values, several per
 *   person), `<measure>_mean` (`mean`), `<measure>_p50`… (`quantile`). The standard deviation has
 *   no statistic kind in the disclosure model yet and is not carried over.
 */
import type { AggregateCell, AggregateTable, MeasureSpec } from '@hygie/core';
import type { ResultRow, ResultTable } from './result-table.js';

function value(row: ResultRow, name: string): number | null {
  return row.values[name] ?? null;
}

/** The disclosure-control table of a result table. */
export function toAggregateTable(table: ResultTable): AggregateTable {
  const m = table.measure;
  const measures: MeasureSpec[] = [];
  const cells: AggregateCell[] = [];
  const strata = (row: ResultRow) => ({ ...row.strata });
  switch (table.kind) {
    case 'person_count':
    case 'event_count': {
      const statistic = table.kind === 'person_count' ? 'count' : 'event_count';
      const name = table.kind === 'person_count' ? 'count' : 'events';
      measures.push({ name: m, statistic });
      for (const row of table.rows) {
        cells.push({
          strata: strata(row),
          measure: m,
          value: value(row, name) ?? 0,
          persons: row.persons,
        });
      }
      break;
    }
    case 'prevalence':
    case 'incidence_rate': {
      const rateStat = table.statistics.find((s) => s.name === 'rate');
      const per = rateStat?.per ?? 1;
      const standardised = table.statistics.some((s) => s.name === 'standardised_rate');
      measures.push({ name: m, statistic: 'rate' });
      if (standardised) measures.push({ name: `${m}_standardised`, statistic: 'rate' });
      for (const row of table.rows) {
        const cases = value(row, 'cases') ?? 0;
        const parts =
          table.kind === 'prevalence'
            ? {
                numerator: cases,
                denominator: value(row, 'population') ?? 0,
                per,
                denominatorPersons: row.persons,
              }
            : { numerator: cases, denominator: value(row, 'person_years') ?? 0, per };
        const cell = { strata: strata(row), persons: cases, rate: parts };
        cells.push({ ...cell, measure: m, value: value(row, 'rate') });
        if (standardised) {
          cells.push({
            ...cell,
            measure: `${m}_standardised`,
            value: value(row, 'standardised_rate'),
          });
        }
      }
      break;
    }
    case 'distribution': {
      const n = table.statistics.find((s) => s.name === 'n');
      const quantiles = table.statistics.filter((s) => s.kind === 'quantile');
      measures.push(
        { name: `${m}_n`, statistic: n?.kind === 'event_count' ? 'event_count' : 'count' },
        { name: `${m}_mean`, statistic: 'mean' },
        ...quantiles.map((q) => ({
          name: `${m}_${q.name}`,
          statistic: 'quantile' as const,
          ...(q.quantile === undefined ? {} : { quantile: q.quantile }),
        })),
      );
      for (const row of table.rows) {
        const base = { strata: strata(row), persons: row.persons };
        cells.push({ ...base, measure: `${m}_n`, value: value(row, 'n') ?? 0 });
        cells.push({ ...base, measure: `${m}_mean`, value: value(row, 'mean') });
        for (const q of quantiles) {
          cells.push({ ...base, measure: `${m}_${q.name}`, value: value(row, q.name) });
        }
      }
      break;
    }
  }
  return { dimensions: [...table.dimensions], measures, margins: [], cells };
}
