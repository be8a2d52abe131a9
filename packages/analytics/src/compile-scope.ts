/**
 * What every piece of the compiler works with while it writes one statement: the query, the
 * dialect, the statement under construction, the permit period and the query's needs. Plus the
 * period bounds as typed, shared placeholders.
 */
import type { Period, Query } from '@hygie/core';
import type { SqlDialect } from '@hygie/warehouse';
import type { QueryNeeds } from './query-needs.js';
import type { SqlStatementBuilder } from './statement-builder.js';

/** The context of one statement being compiled. */
export interface CompileScope {
  readonly query: Query;
  readonly dialect: SqlDialect;
  readonly b: SqlStatementBuilder;
  /** The permit's period: no event outside it is ever read, not even in a look-back window. */
  readonly permitPeriod: Period;
  readonly needs: QueryNeeds;
}

/** The permit period's first day, as a DATE placeholder. */
export function permitFrom(s: CompileScope): string {
  return s.b.shared('permit_from', s.permitPeriod.from, 'date');
}

/** The permit period's last day, as a DATE placeholder. */
export function permitTo(s: CompileScope): string {
  return s.b.shared('permit_to', s.permitPeriod.to, 'date');
}

/** The query period's first day, as a DATE placeholder. */
export function periodFrom(s: CompileScope): string {
  return s.b.shared('period_from', s.query.period.from, 'date');
}

/** The query period's last day, as a DATE placeholder. */
export function periodTo(s: CompileScope): string {
  return s.b.shared('period_to', s.query.period.to, 'date');
}
