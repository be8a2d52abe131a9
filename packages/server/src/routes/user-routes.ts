/**
 * Account administration (administrators only): accounts and roles, disabling, unlocking,
 * password resets, other users' tokens, and the OpenID Connect identities linked to an account.
 * Roles are the platform's governance decision, never an identity provider's claim: an
 * administrator links an issuer's subject to an account, and the account holds the roles.
 */
import { z } from 'zod';
import { HygieError, displayNameSchema, loginSchema, rolesSchema } from '@hygie/core';
import { PASSWORD_MAX_LENGTH } from '@hygie/governance';
import type { RoutePlugin } from '../deps.js';
import { actorOfPrincipal } from '../roles.js';
import { callerOf } from './governance-caller.js';
import {
  idSchema,
  oidcIdentityResponse,
  tokenResponse,
  userResponse,
} from './governance-schemas.js';

const ADMIN = { roles: ['admin'] } as const;
const userParams = z.object({ userId: idSchema });
const identityFields = {
  issuer: z.string().min(1).max(1000),
  subject: z.string().min(1).max(1000),
};

/** Registers `/api/v1/users/*`. */
export const userRoutes: RoutePlugin = (app, deps) => {
  const users = deps.governance.users;

  app.get(
    '/api/v1/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: 'Every account, by login',
        response: { 200: z.array(userResponse) },
      },
    },
    async () => users.list(),
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: 'Create an account',
        description:
          'Without a password the account can log in only through a linked OpenID Connect identity.',
        body: z.strictObject({
          login: loginSchema,
          displayName: displayNameSchema,
          roles: rolesSchema,
          password: z.string().min(1).max(PASSWORD_MAX_LENGTH).nullable().optional(),
        }),
        response: { 201: userResponse },
      },
    },
    async (request, reply) => {
      const user = await users.create(actorOfPrincipal(callerOf(request)), request.body);
      return reply.code(201).send(user);
    },
  );

  app.get(
    '/api/v1/users/:userId',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: 'One account',
        params: userParams,
        response: { 200: userResponse },
      },
    },
    async (request) => users.get(request.params.userId),
  );

  app.put(
    '/api/v1/users/:userId/roles',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: "Replace an account's roles (the last enabled administrator keeps admin)",
        params: userParams,
        body: z.strictObject({ roles: rolesSchema }),
        response: { 200: userResponse },
      },
    },
    async (request) =>
      users.setRoles(
        actorOfPrincipal(callerOf(request)),
        request.params.userId,
        request.body.roles,
      ),
  );

  // Disable, enable, unlock: one-word actions on an account, same shape.
  const actions = {
    disable: {
      run: users.disable,
      summary: 'Disable an account: its tokens and sessions stop working',
    },
    enable: { run: users.enable, summary: 'Enable a disabled account' },
    unlock: { run: users.unlock, summary: 'Clear a lockout after failed logins' },
  } as const;
  for (const [name, action] of Object.entries(actions)) {
    app.post(
      `/api/v1/users/:userId/${name}`,
      {
        config: { access: ADMIN },
        schema: {
          tags: ['users'],
          summary: action.summary,
          params: userParams,
          response: { 200: userResponse },
        },
      },
      async (request) => action.run(actorOfPrincipal(callerOf(request)), request.params.userId),
    );
  }

  app.post(
    '/api/v1/users/:userId/password',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: "Set an account's password (a reset); clears a lockout",
        params: userParams,
        body: z.strictObject({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) }),
        response: { 204: z.null().describe('Password set') },
      },
    },
    async (request, reply) => {
      await users.setPassword(
        actorOfPrincipal(callerOf(request)),
        request.params.userId,
        request.body.password,
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/users/:userId/tokens',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: "An account's API tokens and sessions (never the tokens themselves)",
        params: userParams,
        response: { 200: z.array(tokenResponse) },
      },
    },
    async (request) => {
      // An empty list would not tell a mistyped id from an account without tokens.
      await users.get(request.params.userId);
      return users.listTokens(request.params.userId);
    },
  );

  app.delete(
    '/api/v1/users/:userId/tokens/:tokenId',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: "Revoke one of an account's tokens or sessions",
        params: z.object({ userId: idSchema, tokenId: idSchema }),
        response: { 200: tokenResponse },
      },
    },
    async (request) => {
      const { userId, tokenId } = request.params;
      // The store revokes by token id alone; the path names the account, so they must agree.
      if (!(await users.listTokens(userId)).some((t) => t.id === tokenId)) {
        throw new HygieError('HYG_NOT_FOUND', 'no such token', { kind: 'token', id: tokenId });
      }
      return users.revokeToken(actorOfPrincipal(callerOf(request)), tokenId);
    },
  );

  app.get(
    '/api/v1/users/:userId/oidc-identities',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: 'OpenID Connect identities linked to an account',
        params: userParams,
        response: { 200: z.array(oidcIdentityResponse) },
      },
    },
    async (request) => {
      await users.get(request.params.userId);
      return deps.governance.oidc.listForUser(request.params.userId);
    },
  );

  app.post(
    '/api/v1/users/:userId/oidc-identities',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: "Link an issuer's subject to an account (it may then log in with OpenID Connect)",
        params: userParams,
        body: z.strictObject(identityFields),
        response: { 201: oidcIdentityResponse },
      },
    },
    async (request, reply) => {
      const identity = await deps.governance.oidc.link(actorOfPrincipal(callerOf(request)), {
        ...request.body,
        userId: request.params.userId,
      });
      return reply.code(201).send(identity);
    },
  );

  app.delete(
    '/api/v1/users/:userId/oidc-identities',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['users'],
        summary: 'Unlink an OpenID Connect identity from an account',
        params: userParams,
        querystring: z.object(identityFields),
        response: { 204: z.null().describe('Identity unlinked') },
      },
    },
    async (request, reply) => {
      const { issuer, subject } = request.query;
      // The store unlinks by issuer and subject alone; the path names the account, so the
      // identity must be that account's.
      const linked = await deps.governance.oidc.findUser(issuer, subject);
      if (linked?.id !== request.params.userId) {
        throw new HygieError('HYG_NOT_FOUND', 'no such identity on this account', {
          kind: 'identity',
          id: request.params.userId,
        });
      }
      await deps.governance.oidc.unlink(actorOfPrincipal(callerOf(request)), issuer, subject);
      return reply.code(204).send(null);
    },
  );
};
