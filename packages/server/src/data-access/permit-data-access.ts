/**
 * The permit-scoped data access object, built per request (DESIGN.md §2: routes never hold a raw
 * database connection; Medplum's repository-per-request). Opening it decides the request against
 * the permit — project membership, status, validity, tables, variables, period, budget — through
 * `store.permits.authorize`, which records the decision in the audit trail, allowed or refused
 * (DESIGN.md §4.3). What it returns can only read the permit's population: every query it runs is
 * built on the permit's population SQL, which excludes opted-out persons (§4.4), and every read
 * records one more audit event — its shape, never its values — on success and on failure.
 */
import { HygieError, isHygieError } from '@hygie/core';
import type { AccessRequest, AuditDetails, PermitScope } from '@hygie/core';
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
