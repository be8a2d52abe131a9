/**
 * Roles of the platform and the access a route declares. Deny by default: a route that does not
 * declare who may call it cannot be registered (see `plugins/access-control.ts`). The roles
 * themselves are defined once, in `@hygie/core`.
 */
import type { Actor, Role } from '@hygie/core';

export { ROLES } from '@hygie/core';
export type { Role } from '@hygie/core';

/** Who may call a route: anyone (`public`), any authenticated caller, or the listed roles. */
export type Access = { public: true } | { authenticated: true } | { roles: readonly Role[] };

/** How a caller authenticated. */
export type AuthMethod = 'api-token' | 'session' | 'citizen-session';

/** The authenticated caller of a request. */
export interface Principal {
  /** The account's id (a random UUID), or null for a citizen identified without an account. */
  readonly userId: string | null;
  /** Pseudonymous actor id for the audit trail (a user id or a session id, never a login or a name). */
  readonly actorId: string;
  readonly roles: readonly Role[];
  readonly via: AuthMethod;
  /** The token or session id (to revoke it at logout). */
  readonly sessionId: string;
  /**
   * For a citizen session only: the citizen's platform person id. Held in memory for the request;
   * never written to the audit trail or logs.
   */
  readonly citizenPersonId?: bigint;
}

/** True when `principal` satisfies `access`. */
export function allows(access: Access, principal: Principal | null): boolean {
  if ('public' in access) return true;
  if (principal === null) return false;
  if ('authenticated' in access) return true;
  return principal.roles.some((r) => access.roles.includes(r));
}

/** The governance actor of a principal (anonymous when null). */
export function actorOfPrincipal(principal: Principal | null): Actor {
  if (principal === null) return { userId: null, roles: [] };
  return { userId: principal.userId, roles: principal.roles };
}

/** The role label the audit trail records: sorted, comma-separated, or null when anonymous. */
export function roleLabel(principal: Principal | null): string | null {
  return principal === null ? null : [...new Set(principal.roles)].sort().join(',');
}
