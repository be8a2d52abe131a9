/**
 * Who is calling a governance route, and may they read a project's records. The route's declared
 * access (roles) is checked before the handler runs; these helpers add what a role cannot say:
 * that a researcher reads only the projects they are a member of. Mutations need no such check
 * here — the store's repositories enforce membership themselves and audit their refusals.
 */
import { HygieError } from '@hygie/core';
import type { Role } from '@hygie/core';
import type { Project } from '@hygie/governance';
import type { FastifyRequest } from 'fastify';
import type { ResolvedDeps } from '../deps.js';
import { roleLabel } from '../roles.js';
import type { Principal } from '../roles.js';

/** Roles that oversee governance and may read every project, application and permit. */
export const OVERSIGHT_ROLES: readonly Role[] = ['admin', 'reviewer', 'auditor'];

/** The authenticated caller of a route whose access excludes anonymous callers. */
export function callerOf(request: FastifyRequest): Principal {
  const p = request.principal;
  // Access control admits no anonymous caller to a non-public route; reaching here without one
  // is a programming error, not a client's.
  if (p === null) throw new HygieError('HYG_INTERNAL', 'no authenticated caller');
  return p;
}

/** A caller that is an account (has a user id). */
export type AccountCaller = Principal & { readonly userId: string };

/**
 * The caller, who must hold an account: a citizen identified without one (userId null) has no
 * tokens, password or projects to manage.
 */
export function accountOf(request: FastifyRequest): AccountCaller {
  const p = callerOf(request);
  if (p.userId === null) {
    throw new HygieError('HYG_FORBIDDEN', 'this needs an account; citizens have none', {
      reason: 'account-required',
    });
  }
  return p as AccountCaller;
}

/** True when the caller holds an oversight role (reads every governance record). */
export function oversees(p: Principal): boolean {
  return p.roles.some((r) => OVERSIGHT_ROLES.includes(r));
}

/** True when the caller is a member of the project's team. */
export function isMember(p: Principal, project: Pick<Project, 'team'>): boolean {
  return p.userId !== null && project.team.some((m) => m.userId === p.userId);
}

/** What a read refusal is about, for the audit trail. */
export interface ReadTarget {
  /** Dotted action: `project.read`, `application.read`, `permit.read`. */
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly permitId?: string;
}

/**
 * Throws HYG_FORBIDDEN unless the caller oversees governance or is a member of `project`. The
 * refusal is recorded in the audit trail as the access check records its own (the store records
 * refused mutations, but a read goes through no audited operation).
 */
export async function assertMayReadProject(
  deps: ResolvedDeps,
  p: Principal,
  project: Pick<Project, 'team'>,
  target: ReadTarget,
): Promise<void> {
  if (oversees(p) || isMember(p, project)) return;
  await deps.audit.record({
    actorRole: roleLabel(p),
    actorId: p.actorId,
    action: target.action,
    targetType: target.targetType,
    targetId: target.targetId,
    permitId: target.permitId ?? null,
    decision: 'deny',
    reason: 'not-a-project-member',
  });
  throw new HygieError(
    'HYG_FORBIDDEN',
    'only members of the project, reviewers, administrators and auditors may read this',
    { reason: 'not-a-project-member' },
  );
}
