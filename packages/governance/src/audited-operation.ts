/**
 * Audit on success AND on failure (Medplum's rule), as one helper every state-changing repository
 * method goes through:
 *
 * - `runAudited` runs the operation in a transaction and writes exactly one audit event: `allow`
 *   in the same transaction as the change (no change without its record, no record without its
 *   change), or, when the operation throws, `deny` (a refusal: 4xx) or `error` (5xx) after the
 *   rollback, so the refusal is kept although nothing else is.
 * - `op.refuseKeepingWrites(error)` ends an operation with a refusal whose own writes must stay
 *   (a failed login increments the failure counter): the writes and the `deny` event commit
 *   together, then the caller gets the error.
 * - Inside `store.transaction`, each operation runs in a savepoint: a failed operation undoes its
 *   own writes only; its `deny` event is written in the outer transaction and written again on
 *   its own if the outer transaction rolls back, so it is recorded exactly once either way.
 */
import { HygieError } from '@hygie/core';
import type { Actor, AuditDetailValue, AuditDetails } from '@hygie/core';
import type { Kysely } from 'kysely';
import { actorFields, auditRow, insertAuditRow } from './audit-writer.js';
import type { AuditRow } from './audit-writer.js';
import type { GovernanceDatabase } from './database.js';
import { storeError } from './store-errors.js';
import type { StoreContext } from './store-context.js';

/** What an operation acts on, for its audit event. */
export interface AuditTarget {
  /** Dotted action name: `application.submit`, `user.create`, … */
  readonly action: string;
  /** Kind of record acted on: `user`, `application`, `permit`, … */
  readonly targetType: string;
  readonly targetId?: string | null;
  readonly permitId?: string | null;
}

/** A refusal that keeps the operation's writes (see `Operation.refuseKeepingWrites`). */
class KeptRefusal {
  constructor(readonly error: HygieError) {}
}

/** An operation found nothing to do (see `Operation.abandon`). */
class Abandoned {}

const NIR_SAFE_MAX = 1000;

/** Keeps the details an audit event can hold (short scalars), drops the rest. */
function safeDetails(details: Record<string, unknown>): Record<string, AuditDetailValue> {
  const out: Record<string, AuditDetailValue> = {};
  for (const [k, v] of Object.entries(details)) {
    if (Object.keys(out).length >= 40 || k.length > 100) break;
    if (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
      out[k] = v;
    else if (typeof v === 'string' && v.length <= NIR_SAFE_MAX) out[k] = v;
  }
  return out;
}

/** The reason code of a failure: the error's `details.reason` when it is a code, else its code. */
function reasonOf(error: HygieError): string {
  const r = error.details.reason;
  return typeof r === 'string' && /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/.test(r) ? r : error.code;
}

/** The handle an audited operation works through. */
export class Operation {
  #actor: Actor;
  #targetId: string | null;
  #permitId: string | null;
  readonly #details: Record<string, AuditDetailValue> = {};

  constructor(
    /** The transaction (or savepoint) to run every statement of the operation on. */
    readonly db: Kysely<GovernanceDatabase>,
    /** The operation's instant (one per operation, from the store's clock). */
    readonly now: Date,
    actor: Actor,
    readonly target: AuditTarget,
  ) {
    this.#actor = actor;
    this.#targetId = target.targetId ?? null;
    this.#permitId = target.permitId ?? null;
  }

  /** The instant as stored. */
  get nowIso(): string {
    return this.now.toISOString();
  }

  /** The actor the event will name. */
  get actor(): Actor {
    return this.#actor;
  }

  /** Names the actor once known (a login names its user on success). */
  actAs(actor: Actor): void {
    this.#actor = actor;
  }

  /** Names the record acted on once known (e.g. the id of a created record). */
  setTarget(targetId: string): void {
    this.#targetId = targetId;
  }

  /** Names the permit concerned. */
  setPermit(permitId: string): void {
    this.#permitId = permitId;
  }

  /** Adds details to the event (short scalars, safe to publish: no data, no secret). */
  detail(values: AuditDetails): void {
    Object.assign(this.#details, values);
  }

  /** Ends the operation with `error`, committing its writes and the refusal together. */
  refuseKeepingWrites(error: HygieError): never {
    throw new KeptRefusal(error);
  }

  /**
   * Ends an operation that turns out to have nothing to do (another process did it first): its
   * writes are undone and no event is recorded. Only for `runAuditedUnlessAbandoned`.
   */
  abandon(): never {
    throw new Abandoned();
  }

  /** The `allow` event. Throws if a detail is unsafe: the operation is then rolled back. */
  allowRow(): AuditRow {
    return auditRow(
      {
        ...actorFields(this.#actor),
        action: this.target.action,
        targetType: this.target.targetType,
        targetId: this.#targetId,
        permitId: this.#permitId,
        decision: 'allow',
        details: this.#details,
      },
      this.now,
    );
  }

  /** The `deny`/`error` event of a failure. Never throws on details: unsafe ones are dropped. */
  failureRow(error: HygieError): AuditRow {
    return failureRow(this.#actor, this.target, error, this.now, {
      ...this.#details,
      ...error.details,
      targetId: this.#targetId,
      permitId: this.#permitId,
    });
  }
}

function failureRow(
  actor: Actor,
  target: AuditTarget,
  error: HygieError,
  at: Date,
  extra: Record<string, unknown> = {},
): AuditRow {
  const { targetId, permitId, ...rest } = extra;
  const base = {
    ...actorFields(actor),
    action: target.action,
    targetType: target.targetType,
    targetId: typeof targetId === 'string' ? targetId : (target.targetId ?? null),
    permitId: typeof permitId === 'string' ? permitId : (target.permitId ?? null),
    decision: error.status >= 500 ? ('error' as const) : ('deny' as const),
    reason: reasonOf(error),
  };
  try {
    return auditRow({ ...base, details: { ...safeDetails(rest), code: error.code } }, at);
  } catch {
    // A detail or id failed the entry schema (e.g. NIR-shaped text): keep the refusal, drop the rest.
    return auditRow({ ...base, targetId: null, permitId: null, details: { code: error.code } }, at);
  }
}

async function rollbackQuietly(trx: { rollback(): { execute(): Promise<void> } }): Promise<void> {
  try {
    await trx.rollback().execute();
  } catch {
    // The connection may be gone; the original error is the one to report.
  }
}

/** Records a failure event that must survive: in the outer transaction, and again if it rolls back. */
async function keepFailure(ctx: StoreContext, row: AuditRow): Promise<void> {
  try {
    if (ctx.outer) {
      await insertAuditRow(ctx.outer.trx, row);
      ctx.outer.denialsToKeep.push(row);
    } else {
      await insertAuditRow(ctx.root, row);
    }
  } catch {
    // The store cannot write: the operation's own error says more than this one.
  }
}

/** The outcome of an operation: its value, or null when it was abandoned. */
type Outcome<T> = { value: T } | null;

async function startTransaction(ctx: StoreContext) {
  try {
    return await ctx.root.startTransaction().execute();
  } catch (e) {
    throw storeError(e);
  }
}

async function execute<T>(
  ctx: StoreContext,
  actor: Actor,
  target: AuditTarget,
  fn: (op: Operation) => Promise<T>,
): Promise<Outcome<T>> {
  const now = ctx.clock();
  if (ctx.outer) return executeInSavepoint(ctx, ctx.outer, actor, target, now, fn);
  const trx = await startTransaction(ctx);
  const op = new Operation(trx, now, actor, target);
  try {
    const value = await fn(op);
    await insertAuditRow(trx, op.allowRow());
    await trx.commit().execute();
    return { value };
  } catch (e) {
    if (e instanceof Abandoned) {
      await rollbackQuietly(trx);
      return null;
    }
    if (e instanceof KeptRefusal) {
      try {
        await insertAuditRow(trx, op.failureRow(e.error));
        await trx.commit().execute();
      } catch (inner) {
        await rollbackQuietly(trx);
        throw storeError(inner);
      }
      throw e.error;
    }
    await rollbackQuietly(trx);
    const error = storeError(e);
    await keepFailure(ctx, op.failureRow(error));
    throw error;
  }
}

async function executeInSavepoint<T>(
  ctx: StoreContext,
  outer: NonNullable<StoreContext['outer']>,
  actor: Actor,
  target: AuditTarget,
  now: Date,
  fn: (op: Operation) => Promise<T>,
): Promise<Outcome<T>> {
  const name = `gov_op_${++outer.savepoints}`;
  const sp = await outer.trx.savepoint(name).execute();
  const op = new Operation(sp, now, actor, target);
  try {
    const value = await fn(op);
    await insertAuditRow(sp, op.allowRow());
    await sp.releaseSavepoint(name).execute();
    return { value };
  } catch (e) {
    if (e instanceof KeptRefusal) {
      await sp.releaseSavepoint(name).execute();
      await keepFailure(ctx, op.failureRow(e.error));
      throw e.error;
    }
    try {
      await sp.rollbackToSavepoint(name).execute();
      await sp.releaseSavepoint(name).execute();
    } catch {
      // The outer transaction is unusable; it will roll back and keep the denial below.
    }
    if (e instanceof Abandoned) return null;
    const error = storeError(e);
    await keepFailure(ctx, op.failureRow(error));
    throw error;
  }
}

/**
 * Runs `fn` as one audited operation of `actor` on `target` (see the file comment). Returns what
 * `fn` returns; rethrows its error as a `HygieError` (database errors mapped to stable codes).
 */
export async function runAudited<T>(
  ctx: StoreContext,
  actor: Actor,
  target: AuditTarget,
  fn: (op: Operation) => Promise<T>,
): Promise<T> {
  const outcome = await execute(ctx, actor, target, fn);
  if (outcome === null)
    throw new HygieError('HYG_INTERNAL', `${target.action} was abandoned`, {
      action: target.action,
    });
  return outcome.value;
}

/** `runAudited` for an operation that may find nothing to do (`op.abandon()`): then null, no event. */
export async function runAuditedUnlessAbandoned<T>(
  ctx: StoreContext,
  actor: Actor,
  target: AuditTarget,
  fn: (op: Operation) => Promise<T>,
): Promise<T | null> {
  return (await execute(ctx, actor, target, fn))?.value ?? null;
}

/**
 * Records a refusal that is not an operation of its own (a bad token, a locked account, a data
 * access the permit refuses). Returns the error, for `throw recordRefusal(…)`.
 */
export async function recordRefusal(
  ctx: StoreContext,
  actor: Actor,
  target: AuditTarget,
  error: HygieError,
): Promise<HygieError> {
  await keepFailure(ctx, failureRow(actor, target, error, ctx.clock()));
  return error;
}

/** Records an allowed action that changes nothing (a permitted data access). */
export async function recordAllowed(
  ctx: StoreContext,
  actor: Actor,
  target: AuditTarget,
  details: AuditDetails = {},
): Promise<void> {
  await insertAuditRow(
    ctx.db,
    auditRow(
      {
        ...actorFields(actor),
        action: target.action,
        targetType: target.targetType,
        targetId: target.targetId ?? null,
        permitId: target.permitId ?? null,
        decision: 'allow',
        details,
      },
      ctx.clock(),
    ),
  );
}
