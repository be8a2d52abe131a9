/**
 * A governed query, start to end (issue #5, "Through permits only"): the query is validated, the
 * permit decides (and the audit trail records) before any SQL, a noisy release's privacy cost is
 * debited before anything is computed, the query runs on the permit's population only, and its
 * raw tables pass disclosure control — with the differencing defence over what the permit has
 * already been shown — before anything is stored or returned. The run is recorded in the
 * governance store (failed runs too, with their error code) and the cells actually shown are
 * remembered for the next query's differencing check.
 *
 * Policy: the permit's minimum cell size is a floor; a request may only be stricter. With noise,
 * the release's ε (and δ) is split evenly over its tables (one per measure): basic sequential
 * composition, so the run costs exactly what was reserved.
 *
 * Attrition (a cohort's persons left after each step) is a count like any other: 1..k−1 is
 * withheld (zero too under `suppressZero`), counts are rounded with the policy's base, and under
 * noise the whole attrition is withheld (it is not noised, and exact counts would void the
 * guarantee). Consecutive steps may still differ by fewer than k persons: the output checker
 * sees the attrition with the run before any release.
 */
import { createHash } from 'node:crypto';
import { toAggregateTable } from '@hygie/analytics';
import type { AttritionRow, CompiledQuery, QueryResult } from '@hygie/analytics';
import {
  HygieError,
  applyDisclosureControl,
  canonicalJson,
  cellKey,
  checkDifferencing,
  isHygieError,
  parseDisclosurePolicy,
  parseQuery,
  positionKey,
  privacyCostOfPolicy,
  queryHash,
} from '@hygie/core';
import type {
  AggregateTable,
  DifferencingDecision,
  DisclosurePolicy,
  DisclosurePolicyInput,
  DisclosureReport,
  PopulationRef,
  ReleasedTable,
} from '@hygie/core';
import type { QueryRun } from '@hygie/governance';
import { openPermitDataAccess, queryAccessRequest } from '../data-access/permit-data-access.js';
import type { PermitDataAccess } from '../data-access/permit-data-access.js';
import type { ResolvedDeps } from '../deps.js';
import { actorOfPrincipal } from '../roles.js';
import type { Principal } from '../roles.js';
import { DisclosedCells } from './disclosed-cells.js';
import type { StagedCellInput } from './disclosed-cells.js';

/** What a governed query needs from the caller. */
export interface GovernedQueryInput {
  readonly projectId: string;
  readonly permitId: string;
  /** The query as sent (validated here). */
  readonly query: unknown;
  /** A stricter policy than the permit's, if wanted (validated here). */
  readonly disclosure?: DisclosurePolicyInput | undefined;
}

/** One released table, labelled with its measure. */
export type LabelledTable = { readonly measure: string; readonly kind: string } & ReleasedTable;

/** A cohort attrition step after disclosure control. */
export interface ControlledAttritionRow {
  readonly step: number;
  readonly kind: string;
  readonly name: string;
  /** Null when withheld. */
  readonly persons: number | null;
  readonly suppressed: boolean;
}

/** The disclosure part of a stored result. */
export interface RunDisclosure {
  readonly policy: DisclosurePolicy;
  /** One report per table, in table order. */
  readonly tables: readonly ({ readonly measure: string } & DisclosureReport)[];
  readonly attrition: { readonly withheld: number; readonly reason: string | null };
}

/** The stored (and returned) result of a governed query. */
export interface GovernedResult {
  readonly tables: readonly LabelledTable[];
  readonly attrition: readonly ControlledAttritionRow[];
  readonly disclosure: RunDisclosure;
}

/** What a completed governed query returns. */
export interface GovernedQueryOutcome {
  readonly run: QueryRun;
  readonly result: GovernedResult;
}

/** Plain JSON (drops undefined, turns the readonly types into what the store's schema takes). */
function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The policy: the caller's, with the permit's minimum cell size as a floor. */
function effectivePolicy(
  input: DisclosurePolicyInput | undefined,
  permitMinCellSize: number,
): DisclosurePolicy {
  const requested = parseDisclosurePolicy(input ?? {});
  const minCellSize =
    input?.minCellSize === undefined
      ? permitMinCellSize
      : Math.max(permitMinCellSize, requested.minCellSize);
  // Parsed again: the rounding base must still fit the (possibly larger) cell size.
  return parseDisclosurePolicy({ ...requested, minCellSize });
}

/** The policy of one of `n` tables: the release's noise budget split evenly. */
function tablePolicy(policy: DisclosurePolicy, n: number): DisclosurePolicyInput {
  const base = { ...policy, dominance: [...policy.dominance] };
  if (!policy.dp || n <= 1) return base;
  const dp = policy.dp;
  return {
    ...base,
    dp: {
      ...dp,
      epsilon: dp.epsilon / n,
      ...(dp.delta === undefined ? {} : { delta: dp.delta / n }),
    },
  };
}

/** One position of a table, as the differencing defence sees it. */
interface PositionCandidate {
  readonly table: number;
  readonly position: string;
  readonly ref: StagedCellInput;
  /** The position's strata, in the table's dimension order. */
  readonly strata: readonly (string | null)[];
}

/** Strata of a membership row or result row, as one key. */
function strataKey(values: readonly (string | null)[]): string {
  return JSON.stringify(values);
}

/** The positions of every table that could be released (persons 0 or ≥ k). */
function candidates(
  compiled: CompiledQuery,
  tables: readonly AggregateTable[],
  result: QueryResult,
  k: number,
): PositionCandidate[] {
  const out: PositionCandidate[] = [];
  for (const [i, table] of tables.entries()) {
    const measure = result.tables[i]?.measure ?? '';
    const seen = new Set<string>();
    const wanted = table.cells.filter((c) => {
      const position = positionKey(table.dimensions, c.strata);
      if (seen.has(position) || (c.persons > 0 && c.persons < k)) return false;
      seen.add(position);
      return true;
    });
    for (const cell of wanted) {
      const strata = table.dimensions.map((d) => (cell.strata[d] ?? null) as string | null);
      const position = positionKey(table.dimensions, cell.strata);
      out.push({
        table: i,
        position,
        strata,
        ref: {
          ref: `${i}|${cellKey(table.dimensions, cell)}`,
          measure,
          cellKey: position,
          definition: sha256(
            canonicalJson({ query: compiled.queryHash, measure, strata: strataKey(strata) }),
          ),
          persons: cell.persons,
        },
      });
    }
  }
  return out;
}

/**
 * Writes the persons behind the staged positions, table by table, inside the warehouse (the
 * permit data access object's `stageMembership`); returns the tables whose cells are disjoint.
 */
async function stageMembers(
  access: PermitDataAccess,
  memory: DisclosedCells,
  compiled: CompiledQuery,
  result: QueryResult,
  positions: readonly PositionCandidate[],
): Promise<Set<number>> {
  const disjoint = new Set<number>();
  for (const [i, table] of result.tables.entries()) {
    const cells = positions
      .filter((p) => p.table === i)
      .map((p) => ({ ref: p.ref.ref, strata: p.strata }));
    if (cells.length === 0) continue;
    const staged = await access.stageMembership(compiled, table.measure, (sql, dimensions) =>
      memory.stageMembers(cells, sql, dimensions),
    );
    if (staged.disjoint) disjoint.add(i);
  }
  return disjoint;
}

/** The differencing decisions of each table's cells (ids: `cellKey`s), from its positions'. */
function decisionsByTable(
  tables: readonly AggregateTable[],
  positions: readonly PositionCandidate[],
  decisions: readonly DifferencingDecision[],
): DifferencingDecision[][] {
  const byRef = new Map(decisions.map((d) => [d.id, d]));
  return tables.map((table, i) => {
    const closeAt = new Map<string, string>();
    for (const p of positions) {
      const d = byRef.get(p.ref.ref);
      if (p.table === i && d?.decision === 'too-close') closeAt.set(p.position, d.conflictsWith);
    }
    return table.cells.map((c): DifferencingDecision => {
      const id = cellKey(table.dimensions, c);
      const conflict = closeAt.get(positionKey(table.dimensions, c.strata));
      return conflict === undefined
        ? { id, decision: 'allow' }
        : { id, decision: 'too-close', conflictsWith: conflict };
    });
  });
}

/** The attrition after disclosure control (see the file comment). */
function controlAttrition(
  rows: readonly AttritionRow[] | null,
  policy: DisclosurePolicy,
): { rows: ControlledAttritionRow[]; withheld: number; reason: string | null } {
  if (rows === null) return { rows: [], withheld: 0, reason: null };
  const k = policy.minCellSize;
  const base = policy.roundingBase;
  let withheld = 0;
  const out = rows.map((r): ControlledAttritionRow => {
    const small = r.persons < k && (r.persons > 0 || policy.suppressZero);
    const hide = policy.dp !== null || small;
    if (hide) withheld++;
    const rounded =
      base === null
        ? r.persons
        : Math.sign(r.persons) * Math.round(Math.abs(r.persons) / base) * base;
    return {
      step: r.step,
      kind: r.kind,
      name: r.name,
      persons: hide ? null : rounded,
      suppressed: hide,
    };
  });
  return {
    rows: out,
    withheld,
    reason: policy.dp !== null ? 'not-noised' : withheld > 0 ? 'primary' : null,
  };
}

/**
 * Runs a query under a permit for `principal` and returns the recorded run and its controlled
 * result. Throws `HYG_INVALID_ARGUMENT` (query, policy, a permit of another project), the
 * permit's refusal (`HYG_FORBIDDEN` with its reason, `HYG_NOT_FOUND`, `HYG_PERMIT_*`), or the
 * run's failure (recorded as a failed run).
 */
export async function runGovernedQuery(
  deps: ResolvedDeps,
  principal: Principal,
  input: GovernedQueryInput,
): Promise<GovernedQueryOutcome> {
  const query = parseQuery(input.query);
  // Parsed once early so that a bad policy is refused before the permit is asked.
  const requested = parseDisclosurePolicy(input.disclosure ?? {});
  const access = await openPermitDataAccess({
    store: deps.governance,
    warehouse: deps.warehouse,
    principal,
    permitId: input.permitId,
    request: queryAccessRequest(query, privacyCostOfPolicy(requested)),
    audit: deps.audit,
    optOutMirror: deps.optOutMirror,
  });
  if (access.projectId !== input.projectId) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'the permit is not of this project', {
      argument: 'permitId',
      reason: 'permit-of-another-project',
    });
  }
  const policy = effectivePolicy(input.disclosure, access.minCellSize);
  const cost = privacyCostOfPolicy(policy);
  const actor = actorOfPrincipal(principal);
  const store = deps.governance;
  // Debit before any computation draws noise (the reservation is final; see the store).
  const reservation = policy.dp
    ? await store.queryRuns.reserveBudget(actor, access.permitId, cost)
    : null;
  const startedAt = deps.clock().toISOString();
  const record = {
    projectId: input.projectId,
    permitId: access.permitId,
    queryHash: queryHash(query),
    query,
    engine: deps.warehouse.dialect.name,
    epsilon: cost.epsilon,
    delta: cost.delta,
    startedAt,
    ...(reservation ? { reservationId: reservation.id } : {}),
  };
  // The differencing memory spans the project's permits (one team, one memory).
  const projectPermits = (await deps.governance.permits.listByProject(access.projectId)).map(
    (p) => p.id,
  );
  const memory = new DisclosedCells(deps.warehouse, access.permitId, deps.clock, projectPermits);
  let result: GovernedResult;
  try {
    const { compiled, result: raw } = await access.runQuery(query);
    const tables = raw.tables.map((t) => toAggregateTable(t));
    const k = policy.minCellSize;
    const positions = candidates(compiled, tables, raw, k);
    await memory.stage(positions.map((p) => p.ref));
    const disjoint = await stageMembers(access, memory, compiled, raw, positions);
    // Cells of a table no person counts twice in are disjoint (a count without a calendar
    // dimension, cases of an incidence): they need no comparison with each other.
    const current: PopulationRef[] = positions.map((p) => ({
      id: p.ref.ref,
      persons: p.ref.persons,
      definition: p.ref.definition,
      ...(disjoint.has(p.table) ? { disjointGroup: `table-${p.table}` } : {}),
    }));
    const earlier = await memory.earlier(
      current.map((c) => c.persons),
      k,
    );
    const decisions = await checkDifferencing(current, earlier, memory.oracle, { threshold: k });
    const perTable = decisionsByTable(tables, positions, decisions);
    const controlled = tables.map((table, i) =>
      applyDisclosureControl(table, tablePolicy(policy, tables.length), {
        differencing: perTable[i] ?? [],
      }),
    );
    // Forget what was not shown.
    const hidden = positions.filter((p) => {
      const table = controlled[p.table]?.table;
      return (
        table?.cells.some(
          (c) => c.suppressed && positionKey(table.dimensions, c.strata) === p.position,
        ) ?? true
      );
    });
    // Repeats of an earlier cell (same question, same persons) are remembered once already.
    const repeated = positions.filter((p) => memory.repeats.has(p.ref.ref) && !hidden.includes(p));
    await memory.discard([...hidden, ...repeated].map((p) => p.ref.ref));
    const attrition = controlAttrition(raw.attrition, policy);
    result = json({
      tables: controlled.map((c, i) => ({
        measure: raw.tables[i]?.measure ?? '',
        kind: raw.tables[i]?.kind ?? '',
        ...c.table,
      })),
      attrition: attrition.rows,
      disclosure: {
        policy,
        tables: controlled.map((c, i) => ({ measure: raw.tables[i]?.measure ?? '', ...c.report })),
        attrition: { withheld: attrition.withheld, reason: attrition.reason },
      },
    });
  } catch (e) {
    await memory.discard().catch(() => undefined);
    const error = isHygieError(e) ? e : new HygieError('HYG_INTERNAL', 'the query failed');
    await store.queryRuns
      .record(actor, {
        ...record,
        status: 'failed',
        errorCode: error.code,
        finishedAt: deps.clock().toISOString(),
      })
      .catch(() => undefined);
    throw e;
  }
  let run: QueryRun;
  try {
    run = await store.queryRuns.record(actor, {
      ...record,
      status: 'completed',
      result: result as never,
      finishedAt: deps.clock().toISOString(),
    });
  } catch (e) {
    // Not recorded, so not shown: nothing to remember.
    await memory.discard().catch(() => undefined);
    throw e;
  }
  await memory.confirm(run.id);
  return { run, result };
}

/**
 * The disclosure part of a result as a project member sees it: the counts and parameters, not
 * the per-position reasons (telling primary from secondary suppression would tell "fewer than
 * k" from "k or more"; docs/disclosure-control.md). Output checkers, administrators and auditors
 * read the full report.
 */
export function memberDisclosureView(disclosure: unknown): unknown {
  if (disclosure === null || typeof disclosure !== 'object') return disclosure;
  const d = disclosure as { tables?: unknown };
  if (!Array.isArray(d.tables)) return disclosure;
  return {
    ...d,
    tables: d.tables.map((t: unknown) => {
      if (t === null || typeof t !== 'object') return t;
      const { withheld: _w, withheldBy: _b, secondary: _s, ...rest } = t as Record<string, unknown>;
      return rest;
    }),
  };
}
