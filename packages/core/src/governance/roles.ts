/**
 * Platform roles and the actor of a governance action. An actor is who acts (a user id, or none
 * for the platform itself) and the roles it holds; the audit trail records both, never a login or
 * a name.
 */
import { z } from 'zod';

/** Platform roles (issue #4): data steward, researcher, access committee, airlock, … */
export const ROLES = [
  'admin',
  'researcher',
  'reviewer',
  'output_checker',
  'analyst',
  'auditor',
  'citizen',
] as const;

/** A platform role. */
export type Role = (typeof ROLES)[number];

/** The zod schema of a role. */
export const roleSchema = z.enum(ROLES);

/** The zod schema of a set of roles: distinct, at least one. */
export const rolesSchema = z
  .array(roleSchema)
  .min(1)
  .refine((r) => new Set(r).size === r.length, { message: 'roles must be distinct' });

/** A role an actor may hold: a platform role, or `system` for the platform's own actions. */
export type ActorRole = Role | 'system';

/**
 * Who performs an action. `userId` is the pseudonymous user id (a random UUID, never a login);
 * null for the platform itself or an anonymous caller.
 */
export interface Actor {
  readonly userId: string | null;
  readonly roles: readonly ActorRole[];
}

/** The platform itself (scheduled expiry, seeding, migrations). */
export const SYSTEM_ACTOR: Actor = Object.freeze({
  userId: null,
  roles: Object.freeze(['system'] as const),
});

/**
 * True when the actor holds one of `roles`. Deny by default: the system actor holds only
 * `system`, so a caller that lets the platform act must name `system` explicitly.
 */
export function actorHasRole(actor: Actor, ...roles: readonly ActorRole[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

/** The roles of an actor as the audit trail records them: sorted, comma-separated. */
export function actorRoleLabel(actor: Actor): string {
  return [...new Set(actor.roles)].sort().join(',');
}
