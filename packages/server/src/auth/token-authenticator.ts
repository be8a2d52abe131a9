/**
 * The default authenticator: `Authorization: Bearer <token>` where the token is an API or login
 * session token of the governance store (`hyg_…`, stored hashed, revocable) or a citizen
 * session (`hyc_…`, signed by a key derived from the master key). A present but invalid token is
 * refused with HYG_UNAUTHENTICATED (the store audits the failure); no header means anonymous.
 */
import { HygieError } from '@hygie/core';
import type { GovernanceStore } from '@hygie/governance';
import type { Authenticator } from '../deps.js';
import type { Principal } from '../roles.js';

/** Verifies one family of bearer tokens, recognised by prefix. */
export interface BearerVerifier {
  /** Token prefix this verifier handles (`hyg_`, `hyc_`). */
  readonly prefix: string;
  verify(token: string): Promise<Principal>;
}

/** Verifier of the governance store's API and session tokens. */
export function governanceTokenVerifier(store: GovernanceStore): BearerVerifier {
  return {
    prefix: 'hyg_',
    async verify(token) {
      const auth = await store.users.authenticateToken(token);
      return {
        userId: auth.user.id,
        actorId: auth.user.id,
        roles: auth.user.roles,
        via: auth.kind === 'session' ? 'session' : 'api-token',
        sessionId: auth.tokenId,
      };
    },
  };
}

/** An authenticator over bearer verifiers. */
export function bearerAuthenticator(verifiers: readonly BearerVerifier[]): Authenticator {
  return {
    async authenticate(authorization) {
      if (authorization === undefined || authorization === '') return null;
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!m?.[1]) {
        throw new HygieError(
          'HYG_UNAUTHENTICATED',
          'the Authorization header must be "Bearer <token>"',
          {
            reason: 'malformed-authorization',
          },
        );
      }
      const token = m[1];
      const verifier = verifiers.find((v) => token.startsWith(v.prefix));
      if (!verifier) {
        throw new HygieError('HYG_UNAUTHENTICATED', 'the token is not valid', {
          reason: 'unknown-token-kind',
        });
      }
      return verifier.verify(token);
    },
  };
}
