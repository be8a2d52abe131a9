/**
 * Sessions and the caller's own account: password login, OpenID Connect login, logout, API
 * tokens, password change.
 *
 * A session is a bearer token of kind `session` with an expiry (the store's single token
 * mechanism: one hashing scheme, one revocation path, one audit trail), so the server keeps no
 * session state and a console sends it exactly like an API token.
 */
import { z } from 'zod';
import { HygieError, isHygieError } from '@hygie/core';
import { PASSWORD_MAX_LENGTH, actorOf, loadJwks } from '@hygie/governance';
import type { User } from '@hygie/governance';
import type { RoutePlugin, ResolvedDeps } from '../deps.js';
import { actorOfPrincipal } from '../roles.js';
import { accountOf, callerOf } from './governance-caller.js';
import { createdTokenResponse, idSchema, roleEnum, tokenResponse } from './governance-schemas.js';

/** The answer of a login: the session token (shown once), its expiry, and who logged in. */
const sessionResponse = z.object({
  token: z.string().describe('Bearer token of the session, shown once'),
  expiresAt: z.string(),
  user: z.object({ id: z.string(), displayName: z.string(), roles: z.array(roleEnum) }),
});

/** Opens a session for a user whose credentials were just verified. */
async function openSession(
  deps: ResolvedDeps,
  user: User,
): Promise<z.input<typeof sessionResponse>> {
  const expiresAt = new Date(deps.clock().getTime() + deps.config.sessionMinutes * 60_000);
  // The user opens their own session: the audit trail shows them, not an anonymous caller.
  const created = await deps.governance.users.createApiToken(actorOf(user), user.id, {
    label: 'session',
    kind: 'session',
    expiresAt,
  });
  return {
    token: created.token,
    expiresAt: created.expiresAt ?? expiresAt.toISOString(),
    user: { id: user.id, displayName: user.displayName, roles: [...user.roles] },
  };
}

/** The OpenID Connect settings, when all three are configured. */
function oidcSettings(
  deps: ResolvedDeps,
): { issuer: string; audience: string; jwks: string } | null {
  const { oidcIssuer, oidcAudience, oidcJwksFile } = deps.config;
  if (oidcIssuer === undefined || oidcAudience === undefined || oidcJwksFile === undefined) {
    return null;
  }
  return { issuer: oidcIssuer, audience: oidcAudience, jwks: oidcJwksFile };
}

/** Registers `/api/v1/auth/*` and `/api/v1/me/*` (tokens, password). */
export const authRoutes: RoutePlugin = (app, deps) => {
  const oidc = oidcSettings(deps);
  // Fail at start, not at the first login, when the configured JWKS file cannot be read. It is
  // read again at each login so that the operator can replace it when the issuer rotates keys.
  if (oidc !== null) loadJwks(oidc.jwks);

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Log in with a login and password; opens a session',
        security: [],
        description:
          'An unknown login and a wrong password get the same answer. After repeated failures ' +
          'the account is locked for a while (HYG_ACCOUNT_LOCKED, 423).',
        body: z.strictObject({
          login: z.string().min(1).max(320),
          password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
        }),
        response: { 200: sessionResponse },
      },
    },
    async (request) => {
      const user = await deps.governance.users.verifyPassword(
        request.body.login,
        request.body.password,
      );
      return openSession(deps, user);
    },
  );

  app.post(
    '/api/v1/auth/oidc',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Exchange an OpenID Connect ID token for a session',
        security: [],
        description:
          'The token is verified against the issuer keys of a local JWKS file (no network call); ' +
          'its issuer and subject must be linked to an account by an administrator. ' +
          'HYG_UNAVAILABLE (503) when OpenID Connect is not configured.',
        body: z.strictObject({ idToken: z.string().min(1).max(16_384) }),
        response: { 200: sessionResponse },
      },
    },
    async (request) => {
      if (oidc === null) {
        throw new HygieError('HYG_UNAVAILABLE', 'OpenID Connect login is not configured', {
          reason: 'oidc-not-configured',
        });
      }
      const user = await deps.governance.oidc.login(request.body.idToken, oidc);
      return openSession(deps, user);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: ['auth'],
        summary: 'End the current login session (its token stops working)',
        description:
          'Only a login session can be ended here; an API token is revoked with ' +
          'DELETE /api/v1/me/tokens/{tokenId}.',
        response: { 204: z.null().describe('Session ended') },
      },
    },
    async (request, reply) => {
      const p = callerOf(request);
      // Revoking the API token a script happens to call with would surprise its owner.
      if (p.via !== 'session') {
        throw new HygieError('HYG_INVALID_ARGUMENT', 'this call is not made with a login session', {
          reason: 'not-a-session',
        });
      }
      await deps.governance.users.revokeToken(actorOfPrincipal(p), p.sessionId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/tokens',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: ['auth'],
        summary: 'My API tokens and sessions (never the tokens themselves)',
        response: { 200: z.array(tokenResponse) },
      },
    },
    async (request) => deps.governance.users.listTokens(accountOf(request).userId),
  );

  app.post(
    '/api/v1/me/tokens',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: ['auth'],
        summary: 'Create an API token for myself; the token is shown in this answer only',
        body: z.strictObject({
          label: z.string().trim().min(1).max(200),
          expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
        }),
        response: { 201: createdTokenResponse },
      },
    },
    async (request, reply) => {
      const p = accountOf(request);
      const { label, expiresAt } = request.body;
      const created = await deps.governance.users.createApiToken(actorOfPrincipal(p), p.userId, {
        label,
        kind: 'api',
        expiresAt: expiresAt == null ? null : new Date(expiresAt),
      });
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/api/v1/me/tokens/:tokenId',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of my tokens or sessions',
        params: z.object({ tokenId: idSchema }),
        response: { 200: tokenResponse },
      },
    },
    async (request) => {
      const p = accountOf(request);
      // The store lets an administrator revoke anyone's token; under /me only the caller's own
      // are in reach (an administrator uses /users/{userId}/tokens for others').
      const own = await deps.governance.users.listTokens(p.userId);
      if (!own.some((t) => t.id === request.params.tokenId)) {
        throw new HygieError('HYG_NOT_FOUND', 'no such token', {
          kind: 'token',
          id: request.params.tokenId,
        });
      }
      return deps.governance.users.revokeToken(actorOfPrincipal(p), request.params.tokenId);
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      config: { access: { authenticated: true } },
      schema: {
        tags: ['auth'],
        summary: 'Change my password (the current one is checked first)',
        description:
          'A wrong current password counts as a failed login (and may lock the account). ' +
          'My other login sessions are ended; API tokens keep working.',
        body: z.strictObject({
          currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
          newPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
        }),
        response: { 204: z.null().describe('Password changed') },
      },
    },
    async (request, reply) => {
      const p = accountOf(request);
      const actor = actorOfPrincipal(p);
      const me = await deps.governance.users.get(p.userId);
      try {
        // Through the login check, so that guessing the current password with a stolen session
        // meets the same failure count and lockout as guessing it at the login page.
        await deps.governance.users.verifyPassword(me.login, request.body.currentPassword);
      } catch (err) {
        // 401 would tell a console that its session is gone; the session is fine, the password
        // is not. The store has already recorded the failure.
        if (isHygieError(err, 'HYG_UNAUTHENTICATED')) {
          throw new HygieError('HYG_FORBIDDEN', 'the current password is not correct', {
            reason: 'current-password-incorrect',
          });
        }
        throw err;
      }
      await deps.governance.users.setPassword(actor, p.userId, request.body.newPassword);
      // Whoever might hold another session of this account loses it with the old password.
      const now = deps.clock().toISOString();
      for (const t of await deps.governance.users.listTokens(p.userId)) {
        const live = t.revokedAt === null && (t.expiresAt === null || t.expiresAt > now);
        if (t.kind === 'session' && live && t.id !== p.sessionId) {
          await deps.governance.users.revokeToken(actor, t.id);
        }
      }
      return reply.code(204).send(null);
    },
  );
};
