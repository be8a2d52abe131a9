/**
 * Writing audit events: validate against the core entry schema, then INSERT (the only statement
 * this code ever runs on `gov_audit_events` besides SELECT: the table is append-only, and the
 * database enforces it with triggers).
 */
import { HygieError, actorRoleLabel, auditEventInputSchema } from '@hygie/core';
import type { Actor, AuditDetails, AuditEvent, AuditEventInput } from '@hygie/core';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuditEventsTable, GovernanceDatabase } from './database.js';

/** A row ready to insert. */
export type AuditRow = Insertable<AuditEventsTable>;

/** Validates an event and turns it into a row stamped `at`; throws `HYG_INVALID_ARGUMENT`. */
export function auditRow(input: AuditEventInput, at: Date): AuditRow {
  const r = auditEventInputSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      `audit event: ${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`,
      {
        argument: issue?.path.join('.') ?? 'event',
      },
    );
  }
  const e = r.data;
  return {
    at: at.toISOString(),
    actor_role: e.actorRole,
    actor_id: e.actorId,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId ?? null,
    permit_id: e.permitId ?? null,
    decision: e.decision,
    reason: e.reason ?? null,
    details: JSON.stringify(e.details ?? {}),
  };
}

/** The audit fields of an actor. */
export function actorFields(actor: Actor): Pick<AuditEventInput, 'actorId' | 'actorRole'> {
  return {
    actorId: actor.userId,
    actorRole: actor.roles.length > 0 ? actorRoleLabel(actor) : null,
  };
}

/** Inserts a row; returns its id. */
export async function insertAuditRow(
  db: Kysely<GovernanceDatabase>,
  row: AuditRow,
): Promise<number> {
  const r = await db
    .insertInto('gov_audit_events')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** A stored row as an audit event. */
export function auditEventFromRow(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    id: Number(row.id),
    at: row.at,
    actorRole: row.actor_role,
    actorId: row.actor_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    permitId: row.permit_id,
    decision: row.decision as AuditEvent['decision'],
    reason: row.reason,
    details: JSON.parse(row.details) as AuditDetails,
  };
}
