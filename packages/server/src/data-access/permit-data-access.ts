/**
 * The permit-scoped data access object, built per request (DESIGN.md §2: routes never hold a raw
 * database connection; Medplum's repository-per-request). Opening it decides the request against
 * the permit — project membership, status, validity, tables, variables, period, budget — through
 * `store.permits.authorize`, which records the decision in the audit trail, allowed or refused
 * (DESIGN.md §4.3). What it returns can only read the permit's population: every query it runs is
 * built on the permit's population SQL, which excludes opted-out persons (§4.4), and every read
 * records one more audit event — its shape, never its values — on success and on failure.
 */
import { compileQuery, requiredData, runMembership, runQuery } from '@hygie/analytics';
import type { CompiledQuery, QueryResult } from '@hygie/analytics';
import { HygieError, isHygieError } from '@hygie/core';
import type { AccessRequest, AuditDetails, PermitScope, Query } from '@hygie/core';
import type { GovernanceStore, Permit } from '@hygie/governance';
import type { WarehouseEngine } from '@hygie/warehouse';
import type { AuditSink } from '../deps.js';
import { actorOfPrincipal, roleLabel } from '../roles.js';
import type { Principal } from '../roles.js';
import type { OptOutMirror } from './opt-out-mirror.js';
import { compilePopulation, compilePopulationCount } from './population-sql.js';
import type { CompiledSql } from './population-sql.js';

/** Audit action of data accesses (the authorisation and each read). */
export const DATA_ACCESS_ACTION = 'data.access';

/** What opening a permit's data access needs. */
export interface PermitDataAccessInput {
  readonly store: GovernanceStore;
  readonly warehouse: WarehouseEngine;
  /** The caller; must be a member of the permit's project. */
  readonly principal: Principal;
  readonly permitId: string;
  /** What the caller means to read under the permit (checked before any SQL runs). */
  readonly request: AccessRequest;
  /** Where read events go; default the store's audit trail. */
  readonly audit?: AuditSink;
  /** The opt-out mirror: brought up to date (or the access refused) before any read. */
  readonly optOutMirror: Pick<OptOutMirror, 'ensureFresh'>;
}

/** A permit's data, as far as its scope allows, for one request. */
export interface PermitDataAccess {
  readonly permitId: string;
  /** The project the permit was issued to. */
  readonly projectId: string;
  /** The permit's scope (what it allows). */
  readonly scope: PermitScope;
  /** The minimum cell size of the permit's released aggregates. */
  readonly minCellSize: number;
  /** The request this object was opened for. */
  readonly request: AccessRequest;
  /**
   * The permit's population as SQL (`SELECT p.person_id FROM person p WHERE …`, opt-outs
   * excluded) with its parameters, placeholders from `firstParam` (default 1): the CTE every
   * analytic query of the permit starts from.
   */
  populationSql(options?: { readonly firstParam?: number }): CompiledSql;
  /**
   * The number of persons in the permitted population, opted-out persons excluded. A raw count:
   * it must pass disclosure control (at least `suppressSmallCount`) before it leaves the server.
   */
  countPersons(): Promise<number>;
  /**
   * Compiles `query` on the permit's population and period and runs it on the warehouse. Refused
   * before any SQL (`HYG_FORBIDDEN`, reason `outside-request`) when the data the query reads
   * (`requiredData`) or its period is not within the request this object was opened for —
   * open it with `queryAccessRequest(query)` so that `authorize` has checked exactly that. The
   * read is audited with the result's shape (measures, rows per table), never its values.
   * Returns raw results: they must pass disclosure control before anything leaves the server.
   */
  runQuery(query: Query): Promise<{ compiled: CompiledQuery; result: QueryResult }>;
  /**
   * Who is behind each cell of one measure of a query this object compiled (`runQuery`): for the
   * differencing defence only — row-level, never released, never logged. Audited (rows only).
   */
  membership(
    compiled: CompiledQuery,
    measure: string,
  ): Promise<{ strata: (string | null)[]; personId: number | bigint; counted: boolean }[]>;
  /**
   * The same membership, never leaving the warehouse: hands the measure's membership statement
   * (`d_<dimension>…, person_id, counted`) to `stage`, which runs it inside an INSERT … SELECT of
   * its own (the differencing memory). Audited like `membership`. Person ids never reach
   * JavaScript — at a million persons, fetching them and appending them back cost seconds.
   */
  stageMembership<T>(
    compiled: CompiledQuery,
    measure: string,
    stage: (membership: CompiledSql, dimensions: readonly string[]) => Promise<T>,
  ): Promise<T>;
}

/**
 * The access request of an analytic query: the data it reads (`requiredData`) over its period,
 * with the privacy cost of its release when it adds noise.
 */
export function queryAccessRequest(
  query: Query,
  cost: { readonly epsilon: number; readonly delta: number } = { epsilon: 0, delta: 0 },
): AccessRequest {
  return {
    kind: 'aggregate',
    data: requiredData(query),
    period: { ...query.period },
    ...(cost.epsilon > 0 ? { epsilon: cost.epsilon } : {}),
    ...(cost.delta > 0 ? { delta: cost.delta } : {}),
  };
}

/** Throws unless `request` covers every table, variable and date `query` reads. */
function assertWithinRequest(request: AccessRequest, query: Query): void {
  const refuse = (what: string, details: Record<string, string>): never => {
    throw new HygieError(
      'HYG_FORBIDDEN',
      `the query reads ${what} outside the authorised request`,
      { reason: 'outside-request', ...details },
    );
  };
  for (const item of requiredData(query)) {
    const allowed = new Set(
      request.data.filter((d) => d.table === item.table).flatMap((d) => d.variables),
    );
    for (const v of item.variables) {
      if (!allowed.has(v)) refuse('data', { table: item.table, variable: v });
    }
  }
  if (query.period.from < request.period.from || query.period.to > request.period.to) {
    refuse('dates', {});
  }
}

/**
 * Opens the data access of a permit for one request: `store.permits.authorize` decides and
 * audits (throws the refusal: `HYG_NOT_FOUND`, `HYG_FORBIDDEN` `not-a-project-member` or a scope
 * reason, `HYG_PERMIT_EXPIRED` / `_SUSPENDED` / `_REVOKED`), then the object is built on the
 * permit as authorised.
 */
export async function openPermitDataAccess(
  input: PermitDataAccessInput,
): Promise<PermitDataAccess> {
  const { store, warehouse, principal, permitId, request } = input;
  const permit: Permit = await store.permits.authorize(
    actorOfPrincipal(principal),
    permitId,
    request,
    { action: DATA_ACCESS_ACTION },
  );
  const audit = input.audit ?? store.audit;
  // After authorisation (a refusal must not wait on the warehouse), before any read.
  await input.optOutMirror.ensureFresh();
  const definition = {
    filters: permit.scope.population,
    period: permit.scope.period,
    purpose: 'research' as const,
  };

  /** Runs one read and records it: `allow` with its shape, or `error` with the failure code. */
  async function audited<T>(
    operation: string,
    read: () => Promise<T>,
    shape: (result: T) => AuditDetails,
  ): Promise<T> {
    const event = {
      actorRole: roleLabel(principal),
      actorId: principal.actorId,
      action: DATA_ACCESS_ACTION,
      targetType: 'permit',
      targetId: permit.id,
      permitId: permit.id,
    };
    let result: T;
    try {
      result = await read();
    } catch (e) {
      const error = isHygieError(e)
        ? e
        : new HygieError('HYG_WAREHOUSE_ERROR', 'the warehouse could not answer');
      await audit.record({
        ...event,
        decision: 'error',
        reason: error.code,
        details: { operation },
      });
      throw error;
    }
    await audit.record({ ...event, decision: 'allow', details: { operation, ...shape(result) } });
    return result;
  }

  return {
    permitId: permit.id,
    projectId: permit.projectId,
    scope: permit.scope,
    minCellSize: permit.minCellSize,
    request,
    populationSql: (options = {}) => compilePopulation(definition, warehouse.dialect, options),
    countPersons: () =>
      audited(
        'count_persons',
        async () => {
          const q = compilePopulationCount(definition, warehouse.dialect);
          const [row] = await warehouse.query<{ n: number | bigint }>(q.sql, q.params);
          return Number(row?.n ?? 0);
        },
        // The shape only: the count itself may be below the cell size, and the trail is public.
        () => ({ result: 'count', rows: 1 }),
      ),
    runQuery: async (query) => {
      // Before any SQL: the object reads only what `authorize` allowed.
      assertWithinRequest(request, query);
      const compiled = compileQuery(query, {
        dialect: warehouse.dialect,
        population: definition,
      });
      const result = await audited(
        'run_query',
        () => runQuery(warehouse, compiled),
        // The shape only: measures and row counts, never a value.
        (r) => ({
          result: 'query',
          queryHash: r.queryHash,
          measures: r.tables.map((t) => t.measure).join(','),
          rows: r.tables.reduce((n, t) => n + t.rows.length, 0),
          attritionSteps: r.attrition?.length ?? 0,
        }),
      );
      return { compiled, result };
    },
    stageMembership: (compiled, measure, stage) => {
      const m = compiled.measures.find((x) => x.name === measure);
      if (m === undefined) {
        throw new HygieError('HYG_INVALID_ARGUMENT', `no measure named ${measure}`, {
          argument: 'measure',
        });
      }
      return audited(
        'query_membership',
        () => stage(m.membershipSql, m.dimensions),
        () => ({ result: 'membership', queryHash: compiled.queryHash, measure }),
      );
    },
    membership: (compiled, measure) =>
      audited(
        'query_membership',
        () => runMembership(warehouse, compiled, measure),
        // Not even the number of rows: it is a sum of persons, possibly small.
        () => ({ result: 'membership', queryHash: compiled.queryHash, measure }),
      ),
  };
}

/** A count after primary suppression. */
export type SuppressedCount =
  | { readonly count: number; readonly suppressed: false }
  | { readonly count: null; readonly suppressed: true };

/**
 * Primary suppression of one count: below `minCellSize` (zero included) it is withheld. Only a
 * first line of disclosure control for a lone count; secondary suppression, rounding and noise
 * for tables of results come with the analytics (the next issue).
 */
export function suppressSmallCount(count: number, minCellSize: number): SuppressedCount {
  return count < minCellSize ? { count: null, suppressed: true } : { count, suppressed: false };
}

/**
 * The access request a population count makes: `person_id` of a scope table that holds it
 * (`person` preferred) over the permit's period — counting persons reads no other variable. A
 * permit without any `person_id` variable is refused by `authorize` (`variable-not-allowed`).
 * `scope` is null when the permit is unknown: the request is then `person.person_id` over no
 * particular period, and `authorize` records the refusal (`HYG_NOT_FOUND`).
 */
export function populationCountRequest(scope: PermitScope | null): AccessRequest {
  const item =
    scope?.data.find((d) => d.table === 'person' && d.variables.includes('person_id')) ??
    scope?.data.find((d) => d.variables.includes('person_id'));
  return {
    kind: 'aggregate',
    data: [{ table: item?.table ?? 'person', variables: ['person_id'] }],
    period: scope?.period ?? { from: '1900-01-01', to: '1900-01-01' },
  };
}
