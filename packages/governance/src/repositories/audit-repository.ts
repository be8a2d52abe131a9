/**
 * The audit trail: append-only (no update or delete path here; triggers refuse them in the
 * database). `record` is for events the store's own repositories do not write themselves — the
 * server's data accesses, refused route calls — with the same entry schema. The transparency log
 * (#6) will chain these entries into a Merkle tree.
 */
import type { AuditDecision, AuditEvent, AuditEventInput } from '@hygie/core';
import { HygieError } from '@hygie/core';
import { sql } from 'kysely';
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { auditEventFromRow, auditRow, insertAuditRow } from '../audit-writer.js';
import type { GovernanceDatabase } from '../database.js';
import type { StoreContext } from '../store-context.js';

/** A filter on the trail; every field narrows. */
export interface AuditFilter {
  actorId?: string;
  action?: string;
  /** Actions starting with this prefix (`application.`). */
  actionPrefix?: string;
  targetType?: string;
  targetId?: string;
  permitId?: string;
  decision?: AuditDecision;
  /** From this instant, included (ISO 8601). */
  from?: string;
  /** Until this instant, excluded (ISO 8601). */
  to?: string;
  /** Events after this id (paging). */
  afterId?: number;
  /** At most this many (default 1,000, at most 10,000). */
  limit?: number;
}

/** The audit repository. */
export interface AuditRepository {
  /** Appends an event (validated: no NIR-shaped value, short scalar details); returns it. */
  record(event: AuditEventInput): Promise<AuditEvent>;
  /** Events matching a filter, oldest first. */
  list(filter?: AuditFilter): Promise<AuditEvent[]>;
  /** Events about a permit, oldest first. */
  forPermit(permitId: string, filter?: Omit<AuditFilter, 'permitId'>): Promise<AuditEvent[]>;
  /** How many events match a filter (`limit` and `afterId` ignored). */
  count(filter?: AuditFilter): Promise<number>;
}

function instant(value: string, name: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new HygieError('HYG_INVALID_ARGUMENT', `${name} must be an ISO 8601 instant`, {
      argument: name,
    });
  return new Date(t).toISOString();
}

/** The WHERE condition of a filter. */
function matching(f: AuditFilter) {
  return (eb: ExpressionBuilder<GovernanceDatabase, 'gov_audit_events'>): Expression<SqlBool> => {
    const c: Expression<SqlBool>[] = [];
    if (f.actorId !== undefined) c.push(eb('actor_id', '=', f.actorId));
    if (f.action !== undefined) c.push(eb('action', '=', f.action));
    if (f.actionPrefix !== undefined) {
      const pattern = `${f.actionPrefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      c.push(sql<SqlBool>`action LIKE ${pattern} ESCAPE '\\'`);
    }
    if (f.targetType !== undefined) c.push(eb('target_type', '=', f.targetType));
    if (f.targetId !== undefined) c.push(eb('target_id', '=', f.targetId));
    if (f.permitId !== undefined) c.push(eb('permit_id', '=', f.permitId));
    if (f.decision !== undefined) c.push(eb('decision', '=', f.decision));
    if (f.from !== undefined) c.push(eb('at', '>=', instant(f.from, 'from')));
    if (f.to !== undefined) c.push(eb('at', '<', instant(f.to, 'to')));
    return eb.and(c);
  };
}

/** The audit repository over a store context. */
export function auditRepository(ctx: StoreContext): AuditRepository {
  const db: Kysely<GovernanceDatabase> = ctx.db;

  async function list(filter: AuditFilter = {}) {
    const limit = filter.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      throw new HygieError('HYG_INVALID_ARGUMENT', 'limit must be 1 to 10,000', {
        argument: 'limit',
      });
    }
    let q = db.selectFrom('gov_audit_events').selectAll().where(matching(filter));
    if (filter.afterId !== undefined) q = q.where('id', '>', filter.afterId);
    const rows = await q.orderBy('id').limit(limit).execute();
    return rows.map(auditEventFromRow);
  }

  return {
    async record(event) {
      const row = auditRow(event, ctx.clock());
      const id = await insertAuditRow(db, row);
      const stored = await db
        .selectFrom('gov_audit_events')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return auditEventFromRow(stored);
    },
    list,
    forPermit: (permitId, filter = {}) => list({ ...filter, permitId }),
    async count(filter = {}) {
      const r = await db
        .selectFrom('gov_audit_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where(matching(filter))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
