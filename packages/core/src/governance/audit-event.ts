/**
 * The audit event: one governance action or data access, allowed, denied or failed (Medplum's
 * audit on success and failure). The same entry schema will go into the transparency log (#6).
 * Entries carry pseudonymous references only — user ids, project, permit and record ids — never
 * patient data, a NIR, a login, a password or a token (DESIGN.md §4.1, §4.5).
 */
import { z } from 'zod';
import { NIR_SEARCH_PATTERN } from '../nir.js';

/** Outcomes an audit event records. */
export const AUDIT_DECISIONS = ['allow', 'deny', 'error'] as const;

/** An outcome. */
export type AuditDecision = (typeof AUDIT_DECISIONS)[number];

/** A detail value: a short scalar. */
export type AuditDetailValue = string | number | boolean | null;

/** Details of an audit event: flat, scalar, safe to publish. */
export type AuditDetails = Readonly<Record<string, AuditDetailValue>>;

const NIR_LIKE = new RegExp(NIR_SEARCH_PATTERN.source);

/** A string that must not carry a NIR (defence in depth against a careless caller). */
const safeString = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !NIR_LIKE.test(s), { message: 'must not contain a NIR-shaped value' });

const codeString = z.string().regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/, 'must be a short code');

/** The zod schema of an audit event as a caller records it. */
export const auditEventInputSchema = z.strictObject({
  /** Roles the actor acted with (sorted, comma-separated), `system`, or null if anonymous. */
  actorRole: z.string().max(200).nullable(),
  /** Pseudonymous actor id (a user id), null for the platform or an anonymous caller. */
  actorId: safeString(200).nullable(),
  /** What was done, dotted lower case: `application.submit`, `data.access`, … */
  action: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/, 'must be a dotted action name')
    .max(100),
  targetType: codeString.nullable().optional(),
  targetId: safeString(200).nullable().optional(),
  permitId: safeString(200).nullable().optional(),
  decision: z.enum(AUDIT_DECISIONS),
  /** Stable reason code of a denial or an error (`permit-expired`, `HYG_FORBIDDEN`, …). */
  reason: codeString.nullable().optional(),
  details: z
    .record(
      z.string().max(100),
      z.union([safeString(1000), z.number().finite(), z.boolean(), z.null()]),
    )
    .refine((d) => Object.keys(d).length <= 50, { message: 'at most 50 details' })
    .optional(),
});

/** An audit event as a caller records it. */
export type AuditEventInput = z.input<typeof auditEventInputSchema>;

/** A recorded audit event. */
export interface AuditEvent {
  /** Position in the trail (increasing). */
  readonly id: number;
  /** When it was recorded (ISO 8601 UTC). */
  readonly at: string;
  readonly actorRole: string | null;
  readonly actorId: string | null;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly permitId: string | null;
  readonly decision: AuditDecision;
  readonly reason: string | null;
  readonly details: AuditDetails;
}
