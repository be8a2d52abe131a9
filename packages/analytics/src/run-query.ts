/**
 * Runs a compiled query on a warehouse session: each measure's statement, then the cohort's
 * attrition, one statement at a time (each is a full scan pipeline; running them side by side on
 * a 2-core machine would only make them compete). Returns raw result tables — they must pass
 * disclosure control before anything leaves the platform.
 */
import { HygieError } from '@hygie/core';
import type { SqlParam, SqlRow, WarehouseEngine, WarehouseSession } from '@hygie/warehouse';
import type { CompiledQuery } from './compile-query.js';
import { resultTable } from './result-cells.js';
import type { AttritionRow, QueryResult, ResultTable } from './result-table.js';

/**
 * Runs one compiled statement with the dialect's `analyticSettings`: in a
 * transaction of its own on an engine, or in the caller's transaction (`SET LOCAL` lasts until it
 * ends).
 */
async function runStatement<T extends object = SqlRow>(
  session: WarehouseSession,
  sql: string,
  params: readonly SqlParam[],
): Promise<T[]> {
  const settings = session.dialect.analyticSettings;
  if (settings.length === 0) return session.query<T>(sql, params);
  const run = async (s: WarehouseSession): Promise<T[]> => {
    for (const setting of settings) await s.execute(setting);
    return s.query<T>(sql, params);
  };
  return 'transaction' in session ? (session as WarehouseEngine).transaction(run) : run(session);
}

/** Executes a compiled query. The session must be of the dialect it was compiled for. */
export async function runQuery(
  session: WarehouseSession,
  compiled: CompiledQuery,
): Promise<QueryResult> {
  if (session.dialect.name !== compiled.dialect) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      `a query compiled for ${compiled.dialect} cannot run on ${session.dialect.name}`,
      { argument: 'dialect' },
    );
  }
  const tables: ResultTable[] = [];
  for (const m of compiled.measures) {
    const rows = await runStatement(session, m.sql.sql, m.sql.params);
    tables.push(resultTable(m, rows));
  }
  let attrition: AttritionRow[] | null = null;
  if (compiled.attrition !== null) {
    const { steps, sql } = compiled.attrition;
    const rows = await runStatement<{ step: number | bigint; persons: number | bigint }>(
      session,
      sql.sql,
      sql.params,
    );
    const persons = new Map(rows.map((r) => [Number(r.step), Number(r.persons)]));
    attrition = steps.map((step, i) => ({ ...step, step: i, persons: persons.get(i) ?? 0 }));
  }
  return { queryHash: compiled.queryHash, tables, attrition };
}

/**
 * Runs a measure's membership statement: who is behind each cell (`d_<dimension>…`, `person_id`,
 * `counted`), for the differencing defence. Row-level: never released, never logged.
 */
export async function runMembership(
  session: WarehouseSession,
  compiled: CompiledQuery,
  measure: string,
): Promise<{ strata: (string | null)[]; personId: number | bigint; counted: boolean }[]> {
  const m = compiled.measures.find((x) => x.name === measure);
  if (m === undefined) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `no measure named ${measure}`, {
      argument: 'measure',
    });
  }
  const rows = await runStatement(session, m.membershipSql.sql, m.membershipSql.params);
  return rows.map((r) => ({
    strata: m.dimensions.map((d) => {
      const v = r[`d_${d}`];
      return v === null || v === undefined ? null : String(v);
    }),
    personId: r.person_id as number | bigint,
    counted: Number(r.counted) === 1,
  }));
}
