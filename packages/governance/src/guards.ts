/**
 * Small checks shared by the repositories. Routes declare who may call them (the server, deny by
 * default); the repositories check again what governance itself requires, so that no caller —
 * CLI, script, future route — can skip it.
 */
import { randomUUID } from 'node:crypto';
import { HygieError, actorHasRole } from '@hygie/core';
import type { Actor, ActorRole } from '@hygie/core';

/** A new record id: a random UUID, which says nothing about the record or its owner. */
export function newId(): string {
  return randomUUID();
}

/** Throws `HYG_FORBIDDEN` unless the actor holds one of `roles`. */
export function requireRole(actor: Actor, action: string, ...roles: readonly ActorRole[]): void {
  if (!actorHasRole(actor, ...roles)) {
    throw new HygieError('HYG_FORBIDDEN', `${action} needs one of the roles: ${roles.join(', ')}`, {
      reason: 'role-required',
      roles: roles.join(','),
    });
  }
}

/** The actor's user id; throws `HYG_FORBIDDEN` for the platform or an anonymous actor. */
export function requireUserActor(actor: Actor, action: string): string {
  if (actor.userId === null) {
    throw new HygieError('HYG_FORBIDDEN', `${action} needs a signed-in user`, {
      reason: 'user-required',
    });
  }
  return actor.userId;
}

/** `HYG_NOT_FOUND` for a record kind and id. */
export function notFound(kind: string, id: string): HygieError {
  return new HygieError('HYG_NOT_FOUND', `no such ${kind}`, { kind, id });
}

/** A required free-text reason (suspension, revocation), trimmed and bounded. */
export function requireReason(reason: string | null | undefined, action: string): string {
  const r = reason?.trim() ?? '';
  if (r.length === 0 || r.length > 10_000) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      `${action} needs a reason (1 to 10,000 characters)`,
      {
        argument: 'reason',
        reason: 'reason-required',
      },
    );
  }
  return r;
}
