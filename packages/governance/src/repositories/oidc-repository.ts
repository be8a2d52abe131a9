/**
 * OpenID Connect identities: an issuer's subject linked to a local user, who holds the roles.
 * Roles never come from the identity provider's claims: the platform's governance decides them,
 * and a link is made by an administrator (no automatic provisioning).
 */
import { HygieError } from '@hygie/core';
import type { Actor } from '@hygie/core';
import { recordRefusal, runAudited } from '../audited-operation.js';
import { notFound, requireRole } from '../guards.js';
import { verifyOidcToken } from '../oidc-token.js';
import type { OidcVerifyOptions } from '../oidc-token.js';
import type { StoreContext } from '../store-context.js';
import { actorOf, getUser } from './users-repository.js';
import type { User } from './users-repository.js';

/** A link between an issuer's subject and a user. */
export interface OidcIdentity {
  readonly issuer: string;
  readonly subject: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly lastLoginAt: string | null;
}

/** The OIDC repository. */
export interface OidcRepository {
  /** Links `issuer` + `subject` to a user (administrators). */
  link(
    actor: Actor,
    identity: { issuer: string; subject: string; userId: string },
  ): Promise<OidcIdentity>;
  /** Removes a link (administrators). */
  unlink(actor: Actor, issuer: string, subject: string): Promise<void>;
  /** The user linked to `issuer` + `subject`, or null. */
  findUser(issuer: string, subject: string): Promise<User | null>;
  /** A user's links. */
  listForUser(userId: string): Promise<OidcIdentity[]>;
  /**
   * Verifies an ID token (`verifyOidcToken`) and returns its linked user. Throws
   * `HYG_UNAUTHENTICATED` (invalid token, no linked user, disabled account). Audited both ways.
   */
  login(idToken: string, options: Omit<OidcVerifyOptions, 'now'>): Promise<User>;
}

function checkText(value: string, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `${name} must be a non-empty string`, {
      argument: name,
    });
  }
  return value;
}

/** The OIDC repository over a store context. */
export function oidcRepository(ctx: StoreContext): OidcRepository {
  const target = { action: 'auth.oidc', targetType: 'user' } as const;
  return {
    async link(actor, identity) {
      return runAudited(
        ctx,
        actor,
        { action: 'oidc.link', targetType: 'user', targetId: identity.userId },
        async (op) => {
          requireRole(actor, 'oidc.link', 'admin', 'system');
          const issuer = checkText(identity.issuer, 'issuer');
          const subject = checkText(identity.subject, 'subject');
          await getUser(op.db, identity.userId);
          const existing = await op.db
            .selectFrom('gov_oidc_identities')
            .select('user_id')
            .where('issuer', '=', issuer)
            .where('subject', '=', subject)
            .executeTakeFirst();
          if (existing) {
            throw new HygieError('HYG_CONFLICT', 'this identity is already linked', {
              reason: 'already-linked',
            });
          }
          await op.db
            .insertInto('gov_oidc_identities')
            .values({ issuer, subject, user_id: identity.userId, created_at: op.nowIso })
            .execute();
          op.detail({ issuer });
          return {
            issuer,
            subject,
            userId: identity.userId,
            createdAt: op.nowIso,
            lastLoginAt: null,
          };
        },
      );
    },

    async unlink(actor, issuer, subject) {
      await runAudited(ctx, actor, { action: 'oidc.unlink', targetType: 'user' }, async (op) => {
        requireRole(actor, 'oidc.unlink', 'admin', 'system');
        const row = await op.db
          .selectFrom('gov_oidc_identities')
          .select('user_id')
          .where('issuer', '=', issuer)
          .where('subject', '=', subject)
          .executeTakeFirst();
        if (!row) throw notFound('identity', issuer);
        op.setTarget(row.user_id);
        op.detail({ issuer });
        await op.db
          .deleteFrom('gov_oidc_identities')
          .where('issuer', '=', issuer)
          .where('subject', '=', subject)
          .execute();
      });
    },

    async findUser(issuer, subject) {
      const row = await ctx.db
        .selectFrom('gov_oidc_identities')
        .select('user_id')
        .where('issuer', '=', issuer)
        .where('subject', '=', subject)
        .executeTakeFirst();
      return row ? getUser(ctx.db, row.user_id) : null;
    },

    async listForUser(userId) {
      const rows = await ctx.db
        .selectFrom('gov_oidc_identities')
        .selectAll()
        .where('user_id', '=', userId)
        .execute();
      return rows.map((r) => ({
        issuer: r.issuer,
        subject: r.subject,
        userId: r.user_id,
        createdAt: r.created_at,
        lastLoginAt: r.last_login_at,
      }));
    },

    async login(idToken, options) {
      const anonymous: Actor = { userId: null, roles: [] };
      let verified;
      try {
        verified = await verifyOidcToken(idToken, { ...options, now: ctx.clock() });
      } catch (e) {
        if (e instanceof HygieError && e.code === 'HYG_UNAUTHENTICATED')
          throw await recordRefusal(ctx, anonymous, target, e);
        throw e;
      }
      const { issuer, subject } = verified;
      return runAudited(ctx, anonymous, target, async (op) => {
        op.detail({ issuer });
        const row = await op.db
          .selectFrom('gov_oidc_identities')
          .select('user_id')
          .where('issuer', '=', issuer)
          .where('subject', '=', subject)
          .executeTakeFirst();
        if (!row) {
          throw new HygieError('HYG_UNAUTHENTICATED', 'this identity is not linked to an account', {
            reason: 'identity-not-linked',
          });
        }
        op.setTarget(row.user_id);
        const user = await getUser(op.db, row.user_id);
        op.actAs(actorOf(user));
        if (user.disabledAt !== null) {
          throw new HygieError('HYG_UNAUTHENTICATED', 'the account is disabled', {
            reason: 'account-disabled',
          });
        }
        await op.db
          .updateTable('gov_oidc_identities')
          .set({ last_login_at: op.nowIso })
          .where('issuer', '=', issuer)
          .where('subject', '=', subject)
          .execute();
        return user;
      });
    },
  };
}
