/**
 * Local accounts: users and their roles, passwords (scrypt, lockout after repeated failures) and
 * bearer tokens (API tokens and login sessions, stored as SHA-256 only).
 *
 * Sessions are tokens: a login creates a token of kind `session` with an expiry, sent as a bearer
 * token like an API token; logging out revokes it. One mechanism means one hashing scheme, one
 * revocation path and one audit trail, and the server stays stateless (no session table, no
 * cookie secret to keep).
 */
import { createHash } from 'node:crypto';
import {
  HygieError,
  actorHasRole,
  newTokenSchema,
  newUserSchema,
  parseGovernanceInput,
  rolesSchema,
} from '@hygie/core';
import type { Actor, NewToken, NewUser, Role, TokenKind } from '@hygie/core';
import type { Kysely, Selectable } from 'kysely';
import { API_TOKEN_RE, hashApiToken, newApiToken } from '../api-token.js';
import { recordRefusal, runAudited } from '../audited-operation.js';
import type { ApiTokensTable, GovernanceDatabase, UsersTable } from '../database.js';
import { newId, notFound, requireRole } from '../guards.js';
import {
  checkPasswordPolicy,
  dummyPasswordHash,
  hashPassword,
  verifyPasswordHash,
} from '../password-hash.js';
import type { StoreContext } from '../store-context.js';

/** A user as the store shows it (never the password hash). */
export interface User {
  readonly id: string;
  readonly login: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly createdAt: string;
  readonly disabledAt: string | null;
  readonly lockedUntil: string | null;
  readonly failedAttempts: number;
  readonly hasPassword: boolean;
}

/** A token's public facts (never the token or its hash). */
export interface ApiTokenInfo {
  readonly id: string;
  readonly userId: string;
  readonly kind: TokenKind;
  readonly label: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** A new token: the clear `token` is returned this once and never stored. */
export interface CreatedApiToken extends ApiTokenInfo {
  readonly token: string;
}

/** Who a valid token belongs to. */
export interface TokenAuthentication {
  readonly user: User;
  readonly tokenId: string;
  readonly kind: TokenKind;
}

/** The actor a user acts as. */
export function actorOf(user: Pick<User, 'id' | 'roles'>): Actor {
  return { userId: user.id, roles: user.roles };
}

const ANONYMOUS: Actor = { userId: null, roles: [] };

type Db = Kysely<GovernanceDatabase>;

async function loadUser(db: Db, row: Selectable<UsersTable> | undefined): Promise<User | null> {
  if (!row) return null;
  const roles = await db
    .selectFrom('gov_user_roles')
    .select('role')
    .where('user_id', '=', row.id)
    .execute();
  return {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    roles: rolesSchema.parse(roles.map((r) => r.role).sort()),
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    lockedUntil: row.locked_until,
    failedAttempts: Number(row.failed_attempts),
    hasPassword: row.password_hash !== null,
  };
}

/** The user of an id, or null. */
export async function findUser(db: Db, id: string): Promise<User | null> {
  return loadUser(
    db,
    await db.selectFrom('gov_users').selectAll().where('id', '=', id).executeTakeFirst(),
  );
}

/** The user of an id; throws `HYG_NOT_FOUND`. */
export async function getUser(db: Db, id: string): Promise<User> {
  const u = await findUser(db, id);
  if (!u) throw notFound('user', id);
  return u;
}

function tokenInfo(row: Selectable<ApiTokensTable>): ApiTokenInfo {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind as TokenKind,
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function isSelfOrAdmin(actor: Actor, userId: string): boolean {
  return actor.userId === userId || actorHasRole(actor, 'admin', 'system');
}

function forbidUnlessSelfOrAdmin(actor: Actor, userId: string, action: string): void {
  if (!isSelfOrAdmin(actor, userId)) {
    throw new HygieError(
      'HYG_FORBIDDEN',
      `${action}: only the user or an administrator may do this`,
      {
        reason: 'not-self-or-admin',
      },
    );
  }
}

const BAD_CREDENTIALS = () =>
  new HygieError('HYG_UNAUTHENTICATED', 'login or password incorrect', {
    reason: 'bad-credentials',
  });

/** The users repository. */
export interface UsersRepository {
  /** Creates an account (administrators, or the platform when seeding). */
  create(actor: Actor, input: NewUser): Promise<User>;
  /** The user of an id; throws `HYG_NOT_FOUND`. */
  get(id: string): Promise<User>;
  /** The user of a login, or null. */
  findByLogin(login: string): Promise<User | null>;
  /** Every user, by login. */
  list(): Promise<User[]>;
  /** Replaces a user's roles (administrators). The last enabled administrator keeps `admin`. */
  setRoles(actor: Actor, userId: string, roles: readonly Role[]): Promise<User>;
  /**
   * Sets a password (the user or an administrator; the server checks the current password of a
   * user changing their own). Clears a lockout.
   */
  setPassword(actor: Actor, userId: string, password: string): Promise<void>;
  /** Disables an account (administrators); its tokens stop working. Not for the last admin. */
  disable(actor: Actor, userId: string): Promise<User>;
  /** Enables a disabled account (administrators). */
  enable(actor: Actor, userId: string): Promise<User>;
  /** Clears a lockout (administrators). */
  unlock(actor: Actor, userId: string): Promise<User>;
  /**
   * Checks a login and password. Returns the user, or throws `HYG_UNAUTHENTICATED` (unknown login,
   * wrong password, disabled account: one message, so logins cannot be enumerated) or
   * `HYG_ACCOUNT_LOCKED` (after `maxFailedLogins` consecutive failures, for `lockoutMs`).
   */
  verifyPassword(login: string, password: string): Promise<User>;
  /** Creates a token for a user (the user or an administrator). The clear token is in the result only. */
  createApiToken(actor: Actor, userId: string, options: NewToken): Promise<CreatedApiToken>;
  /**
   * The user of a bearer token; throws `HYG_UNAUTHENTICATED` for a malformed, unknown, revoked or
   * expired token or a disabled user. Refusals are audited; successes are not (the request the
   * token authorises is what gets audited, and auditing every request's authentication would
   * drown the trail).
   */
  authenticateToken(token: string): Promise<TokenAuthentication>;
  /** Revokes a token (its owner or an administrator). */
  revokeToken(actor: Actor, tokenId: string): Promise<ApiTokenInfo>;
  /** A user's tokens (public facts only). */
  listTokens(userId: string): Promise<ApiTokenInfo[]>;
}

/** The users repository over a store context. */
export function usersRepository(ctx: StoreContext): UsersRepository {
  const { settings } = ctx;

  async function enabledAdminsOtherThan(db: Db, userId: string): Promise<number> {
    const r = await db
      .selectFrom('gov_user_roles as r')
      .innerJoin('gov_users as u', 'u.id', 'r.user_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('r.role', '=', 'admin')
      .where('u.disabled_at', 'is', null)
      .where('u.id', '<>', userId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** The key of a login in `gov_login_failures`: its SHA-256, never the login itself. */
  function loginKey(login: string): string {
    return createHash('sha256').update(`hygie-login:${login}`, 'utf8').digest('hex');
  }

  /** When an unknown login is locked until, or null. */
  async function unknownLoginLock(login: string, now: Date): Promise<string | null> {
    const r = await ctx.db
      .selectFrom('gov_login_failures')
      .select('locked_until')
      .where('login_key', '=', loginKey(login))
      .executeTakeFirst();
    return r?.locked_until && r.locked_until > now.toISOString() ? r.locked_until : null;
  }

  /**
   * Counts a failure of a login without an account, exactly as an account counts its own, and
   * returns the error an account would give at this count (bad credentials, or locked).
   */
  async function unknownLoginFailure(login: string): Promise<HygieError> {
    const now = ctx.clock();
    const nowIso = now.toISOString();
    const key = loginKey(login);
    // Plain statements, not a transaction of their own: this may run inside a caller's
    // transaction, and a lost increment under a race only delays a lock by one attempt.
    const trx = ctx.db;
    {
      // Forget windows that have passed, so the table holds recent attempts only.
      const stale = new Date(now.getTime() - settings.lockoutMs).toISOString();
      await trx
        .deleteFrom('gov_login_failures')
        .where('updated_at', '<', stale)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', nowIso)]))
        .execute();
      const prev = await trx
        .selectFrom('gov_login_failures')
        .selectAll()
        .where('login_key', '=', key)
        .executeTakeFirst();
      const expired = prev?.locked_until != null && prev.locked_until <= nowIso;
      const attempts = !prev || expired ? 1 : Number(prev.failed_attempts) + 1;
      const lockedUntil =
        attempts >= settings.maxFailedLogins
          ? new Date(now.getTime() + settings.lockoutMs).toISOString()
          : null;
      if (prev) {
        await trx
          .updateTable('gov_login_failures')
          .set({ failed_attempts: attempts, locked_until: lockedUntil, updated_at: nowIso })
          .where('login_key', '=', key)
          .execute();
      } else {
        await trx
          .insertInto('gov_login_failures')
          .values({
            login_key: key,
            failed_attempts: attempts,
            locked_until: lockedUntil,
            updated_at: nowIso,
          })
          .execute();
      }
      return lockedUntil === null
        ? BAD_CREDENTIALS()
        : new HygieError('HYG_ACCOUNT_LOCKED', 'too many failed logins: the account is locked', {
            reason: 'too-many-failures',
            lockedUntil,
          });
    }
  }

  async function guardLastAdmin(db: Db, user: User): Promise<void> {
    if (
      user.roles.includes('admin') &&
      user.disabledAt === null &&
      (await enabledAdminsOtherThan(db, user.id)) === 0
    ) {
      throw new HygieError(
        'HYG_CONFLICT',
        'the last enabled administrator cannot lose the admin role',
        {
          reason: 'last-admin',
        },
      );
    }
  }

  return {
    async create(actor, input) {
      return runAudited(ctx, actor, { action: 'user.create', targetType: 'user' }, async (op) => {
        requireRole(actor, 'user.create', 'admin', 'system');
        const u = parseGovernanceInput(newUserSchema, input, 'user');
        const exists = await op.db
          .selectFrom('gov_users')
          .select('id')
          .where('login', '=', u.login)
          .executeTakeFirst();
        if (exists)
          throw new HygieError('HYG_CONFLICT', 'this login is taken', { reason: 'login-taken' });
        const passwordHash = u.password == null ? null : await hashPassword(u.password);
        const id = newId();
        op.setTarget(id);
        await op.db
          .insertInto('gov_users')
          .values({
            id,
            login: u.login,
            display_name: u.displayName,
            password_hash: passwordHash,
            created_at: op.nowIso,
          })
          .execute();
        await op.db
          .insertInto('gov_user_roles')
          .values(u.roles.map((role) => ({ user_id: id, role })))
          .execute();
        op.detail({ roles: [...u.roles].sort().join(','), password: passwordHash !== null });
        return getUser(op.db, id);
      });
    },

    get: (id) => getUser(ctx.db, id),

    async findByLogin(login) {
      const l = login.trim().toLowerCase();
      return loadUser(
        ctx.db,
        await ctx.db.selectFrom('gov_users').selectAll().where('login', '=', l).executeTakeFirst(),
      );
    },

    async list() {
      const rows = await ctx.db.selectFrom('gov_users').selectAll().orderBy('login').execute();
      const users: User[] = [];
      for (const row of rows) users.push((await loadUser(ctx.db, row)) as User);
      return users;
    },

    async setRoles(actor, userId, roles) {
      return runAudited(
        ctx,
        actor,
        { action: 'user.set_roles', targetType: 'user', targetId: userId },
        async (op) => {
          requireRole(actor, 'user.set_roles', 'admin', 'system');
          const next = parseGovernanceInput(rolesSchema, roles, 'roles');
          const user = await getUser(op.db, userId);
          if (!next.includes('admin')) await guardLastAdmin(op.db, user);
          await op.db.deleteFrom('gov_user_roles').where('user_id', '=', userId).execute();
          await op.db
            .insertInto('gov_user_roles')
            .values(next.map((role) => ({ user_id: userId, role })))
            .execute();
          op.detail({ from: [...user.roles].join(','), to: [...next].sort().join(',') });
          return getUser(op.db, userId);
        },
      );
    },

    async setPassword(actor, userId, password) {
      await runAudited(
        ctx,
        actor,
        { action: 'user.set_password', targetType: 'user', targetId: userId },
        async (op) => {
          forbidUnlessSelfOrAdmin(actor, userId, 'user.set_password');
          checkPasswordPolicy(password);
          await getUser(op.db, userId);
          const hash = await hashPassword(password);
          await op.db
            .updateTable('gov_users')
            .set({ password_hash: hash, failed_attempts: 0, locked_until: null })
            .where('id', '=', userId)
            .execute();
        },
      );
    },

    async disable(actor, userId) {
      return runAudited(
        ctx,
        actor,
        { action: 'user.disable', targetType: 'user', targetId: userId },
        async (op) => {
          requireRole(actor, 'user.disable', 'admin', 'system');
          const user = await getUser(op.db, userId);
          if (user.disabledAt !== null) {
            throw new HygieError('HYG_CONFLICT', 'the account is already disabled', {
              reason: 'already-disabled',
            });
          }
          await guardLastAdmin(op.db, user);
          await op.db
            .updateTable('gov_users')
            .set({ disabled_at: op.nowIso })
            .where('id', '=', userId)
            .execute();
          return getUser(op.db, userId);
        },
      );
    },

    async enable(actor, userId) {
      return runAudited(
        ctx,
        actor,
        { action: 'user.enable', targetType: 'user', targetId: userId },
        async (op) => {
          requireRole(actor, 'user.enable', 'admin', 'system');
          const user = await getUser(op.db, userId);
          if (user.disabledAt === null) {
            throw new HygieError('HYG_CONFLICT', 'the account is not disabled', {
              reason: 'not-disabled',
            });
          }
          await op.db
            .updateTable('gov_users')
            .set({ disabled_at: null })
            .where('id', '=', userId)
            .execute();
          return getUser(op.db, userId);
        },
      );
    },

    async unlock(actor, userId) {
      return runAudited(
        ctx,
        actor,
        { action: 'user.unlock', targetType: 'user', targetId: userId },
        async (op) => {
          requireRole(actor, 'user.unlock', 'admin', 'system');
          await getUser(op.db, userId);
          await op.db
            .updateTable('gov_users')
            .set({ failed_attempts: 0, locked_until: null })
            .where('id', '=', userId)
            .execute();
          return getUser(op.db, userId);
        },
      );
    },

    async verifyPassword(login, password) {
      const target = { action: 'auth.password', targetType: 'user' } as const;
      const l = typeof login === 'string' ? login.trim().toLowerCase() : '';
      const row = await ctx.db
        .selectFrom('gov_users')
        .selectAll()
        .where('login', '=', l)
        .executeTakeFirst();
      const now = ctx.clock();
      const unknownLock = row ? null : await unknownLoginLock(l, now);
      if (unknownLock !== null) {
        // Answered exactly as a locked account is: a lock must not tell logins apart.
        throw await recordRefusal(
          ctx,
          ANONYMOUS,
          target,
          new HygieError(
            'HYG_ACCOUNT_LOCKED',
            'the account is locked after repeated failed logins',
            { reason: 'account-locked', lockedUntil: unknownLock },
          ),
        );
      }
      if (row?.locked_until && row.locked_until > now.toISOString()) {
        throw await recordRefusal(
          ctx,
          ANONYMOUS,
          { ...target, targetId: row.id },
          new HygieError(
            'HYG_ACCOUNT_LOCKED',
            'the account is locked after repeated failed logins',
            {
              reason: 'account-locked',
              lockedUntil: row.locked_until,
            },
          ),
        );
      }
      // Hashing is slow on purpose: do it before the transaction, and for an unknown login too.
      const ok =
        row?.password_hash != null
          ? await verifyPasswordHash(password, row.password_hash)
          : (await verifyPasswordHash(password, await dummyPasswordHash())) && false;
      if (!row) throw await recordRefusal(ctx, ANONYMOUS, target, await unknownLoginFailure(l));

      return runAudited(ctx, ANONYMOUS, { ...target, targetId: row.id }, async (op) => {
        if (!ok) {
          // Count the failure; a lock that has run out starts a new count.
          const r = await op.db
            .updateTable('gov_users')
            .set((eb) => ({
              failed_attempts: eb
                .case()
                .when('locked_until', '<=', op.nowIso)
                .then(1)
                .else(eb('failed_attempts', '+', 1))
                .end(),
              locked_until: eb
                .case()
                .when('locked_until', '<=', op.nowIso)
                .then(null)
                .else(eb.ref('locked_until'))
                .end(),
            }))
            .where('id', '=', row.id)
            .returning('failed_attempts')
            .executeTakeFirstOrThrow();
          const attempts = Number(r.failed_attempts);
          op.detail({ failedAttempts: attempts });
          if (attempts >= settings.maxFailedLogins) {
            const until = new Date(op.now.getTime() + settings.lockoutMs).toISOString();
            await op.db
              .updateTable('gov_users')
              .set({ locked_until: until })
              .where('id', '=', row.id)
              .execute();
            op.refuseKeepingWrites(
              new HygieError(
                'HYG_ACCOUNT_LOCKED',
                'too many failed logins: the account is locked',
                {
                  reason: 'too-many-failures',
                  lockedUntil: until,
                },
              ),
            );
          }
          op.refuseKeepingWrites(BAD_CREDENTIALS());
        }
        const user = await getUser(op.db, row.id);
        op.actAs(actorOf(user));
        if (user.disabledAt !== null) {
          throw new HygieError('HYG_UNAUTHENTICATED', 'the account is disabled', {
            reason: 'account-disabled',
          });
        }
        if (user.lockedUntil !== null && user.lockedUntil > op.nowIso) {
          // Locked by concurrent failures since the check above.
          throw new HygieError(
            'HYG_ACCOUNT_LOCKED',
            'the account is locked after repeated failed logins',
            {
              reason: 'account-locked',
              lockedUntil: user.lockedUntil,
            },
          );
        }
        await op.db
          .updateTable('gov_users')
          .set({ failed_attempts: 0, locked_until: null })
          .where('id', '=', row.id)
          .execute();
        return getUser(op.db, row.id);
      });
    },

    async createApiToken(actor, userId, options) {
      return runAudited(ctx, actor, { action: 'token.create', targetType: 'token' }, async (op) => {
        forbidUnlessSelfOrAdmin(actor, userId, 'token.create');
        const o = parseGovernanceInput(newTokenSchema, options, 'token');
        const user = await getUser(op.db, userId);
        if (user.disabledAt !== null) {
          throw new HygieError('HYG_CONFLICT', 'a disabled account gets no token', {
            reason: 'account-disabled',
          });
        }
        const expiresAt = o.expiresAt ?? null;
        if (o.kind === 'session' && expiresAt === null) {
          throw new HygieError('HYG_INVALID_ARGUMENT', 'a session token needs an expiry', {
            argument: 'expiresAt',
          });
        }
        if (expiresAt !== null && expiresAt.getTime() <= op.now.getTime()) {
          throw new HygieError('HYG_INVALID_ARGUMENT', 'the expiry must be in the future', {
            argument: 'expiresAt',
          });
        }
        const token = newApiToken();
        const id = newId();
        op.setTarget(id);
        op.detail({ userId, kind: o.kind, expiresAt: expiresAt?.toISOString() ?? null });
        await op.db
          .insertInto('gov_api_tokens')
          .values({
            id,
            user_id: userId,
            token_hash: hashApiToken(token),
            kind: o.kind,
            label: o.label,
            created_at: op.nowIso,
            expires_at: expiresAt?.toISOString() ?? null,
          })
          .execute();
        const row = await op.db
          .selectFrom('gov_api_tokens')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        return { ...tokenInfo(row), token };
      });
    },

    async authenticateToken(token) {
      const target = { action: 'auth.token', targetType: 'token' } as const;
      const refuse = async (reason: string, targetId: string | null = null): Promise<never> => {
        throw await recordRefusal(
          ctx,
          ANONYMOUS,
          { ...target, targetId },
          new HygieError('HYG_UNAUTHENTICATED', 'the token is not valid', { reason }),
        );
      };
      if (typeof token !== 'string' || !API_TOKEN_RE.test(token)) return refuse('malformed-token');
      const row = await ctx.db
        .selectFrom('gov_api_tokens')
        .selectAll()
        .where('token_hash', '=', hashApiToken(token))
        .executeTakeFirst();
      if (!row) return refuse('unknown-token');
      const now = ctx.clock();
      const nowIso = now.toISOString();
      if (row.revoked_at !== null) return refuse('token-revoked', row.id);
      if (row.expires_at !== null && row.expires_at <= nowIso)
        return refuse('token-expired', row.id);
      const user = await getUser(ctx.db, row.user_id);
      if (user.disabledAt !== null) return refuse('account-disabled', row.id);
      // Bookkeeping, not a governance change: written at most once per interval, not audited.
      if (
        row.last_used_at === null ||
        Date.parse(row.last_used_at) + settings.tokenTouchIntervalMs <= now.getTime()
      ) {
        await ctx.db
          .updateTable('gov_api_tokens')
          .set({ last_used_at: nowIso })
          .where('id', '=', row.id)
          .execute();
      }
      return { user, tokenId: row.id, kind: row.kind as TokenKind };
    },

    async revokeToken(actor, tokenId) {
      return runAudited(
        ctx,
        actor,
        { action: 'token.revoke', targetType: 'token', targetId: tokenId },
        async (op) => {
          const row = await op.db
            .selectFrom('gov_api_tokens')
            .selectAll()
            .where('id', '=', tokenId)
            .executeTakeFirst();
          if (!row) throw notFound('token', tokenId);
          forbidUnlessSelfOrAdmin(actor, row.user_id, 'token.revoke');
          if (row.revoked_at !== null) {
            throw new HygieError('HYG_CONFLICT', 'the token is already revoked', {
              reason: 'already-revoked',
            });
          }
          await op.db
            .updateTable('gov_api_tokens')
            .set({ revoked_at: op.nowIso })
            .where('id', '=', tokenId)
            .execute();
          op.detail({ userId: row.user_id, kind: row.kind });
          return tokenInfo({ ...row, revoked_at: op.nowIso });
        },
      );
    },

    async listTokens(userId) {
      const rows = await ctx.db
        .selectFrom('gov_api_tokens')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute();
      return rows.map(tokenInfo);
    },
  };
}
