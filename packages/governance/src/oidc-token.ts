/**
 * Verifying an OpenID Connect ID token (Keycloak, Pro Santé Connect, FranceConnect…) with `jose`:
 * signature against the issuer's keys, then issuer, audience, expiry, not-before and, when given,
 * nonce. The keys come from a JWKS object or a local file — never from the network: the platform
 * runs air-gapped (DESIGN.md §4.6), so the operator places the issuer's JWKS next to the config
 * (and refreshes it when the issuer rotates keys).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload, JWSAlgorithm } from 'jose';
import { HygieError } from '@hygie/core';

/** Signature algorithms accepted by default: asymmetric only (no `none`, no shared secrets). */
export const DEFAULT_OIDC_ALGORITHMS: readonly JWSAlgorithm[] = [
  'RS256',
  'PS256',
  'ES256',
  'ES384',
  'EdDSA',
];

/** How to verify an ID token. */
export interface OidcVerifyOptions {
  /** Expected `iss`, exactly. */
  issuer: string;
  /** Expected `aud` (the platform's client id); one of them must match. */
  audience: string | readonly string[];
  /** The issuer's keys: a JWKS object, or the path of a local JWKS JSON file. */
  jwks: JSONWebKeySet | string;
  /** Clock of the check (tests move it); default now. */
  now?: Date;
  /** Tolerated clock skew, seconds (default 30). */
  clockToleranceSeconds?: number;
  /** Expected `nonce`, when the login flow sent one. */
  nonce?: string;
  /** Accepted algorithms (default `DEFAULT_OIDC_ALGORITHMS`). */
  algorithms?: readonly JWSAlgorithm[];
}

/** A verified identity. */
export interface VerifiedOidcIdentity {
  issuer: string;
  subject: string;
  /** Every claim of the token (the caller decides what, if anything, to keep). */
  claims: JWTPayload;
}

function refuse(reason: string, message = 'the identity token is not valid'): HygieError {
  return new HygieError('HYG_UNAUTHENTICATED', message, { reason });
}

/** Reads a JWKS: an object as is, a path as a local JSON file. */
export function loadJwks(jwks: JSONWebKeySet | string): JSONWebKeySet {
  let value: unknown = jwks;
  if (typeof jwks === 'string') {
    try {
      value = JSON.parse(readFileSync(jwks, 'utf8'));
    } catch (e) {
      throw new HygieError(
        'HYG_INVALID_CONFIG',
        `cannot read the JWKS file ${basename(jwks)}`,
        { reason: 'jwks-unreadable' },
        { cause: e },
      );
    }
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    !Array.isArray((value as { keys?: unknown }).keys)
  ) {
    throw new HygieError('HYG_INVALID_CONFIG', 'a JWKS is an object with a "keys" array', {
      reason: 'jwks-invalid',
    });
  }
  return value as JSONWebKeySet;
}

/** The reason code of a jose failure. */
function reasonOf(e: unknown): string {
  const code =
    typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'token-expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (e as { claim?: unknown }).claim;
      return typeof claim === 'string' && /^[a-z_]{1,20}$/.test(claim)
        ? `claim-${claim}`
        : 'claim-invalid';
    }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad-signature';
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'no-matching-key';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'algorithm-not-allowed';
    default:
      return 'malformed-token';
  }
}

/**
 * Verifies an ID token. Returns the issuer, subject and claims; throws `HYG_UNAUTHENTICATED` with
 * a reason code (`token-expired`, `claim-iss`, `claim-aud`, `claim-nbf`, `claim-nonce`,
 * `bad-signature`, `no-matching-key`, `algorithm-not-allowed`, `malformed-token`, `no-subject`).
 */
export async function verifyOidcToken(
  idToken: string,
  options: OidcVerifyOptions,
): Promise<VerifiedOidcIdentity> {
  const keys = createLocalJWKSet(loadJwks(options.jwks));
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keys, {
      issuer: options.issuer,
      audience: typeof options.audience === 'string' ? options.audience : [...options.audience],
      algorithms: [...(options.algorithms ?? DEFAULT_OIDC_ALGORITHMS)],
      currentDate: options.now ?? new Date(),
      clockTolerance: options.clockToleranceSeconds ?? 30,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch (e) {
    throw refuse(reasonOf(e));
  }
  if (options.nonce !== undefined && payload.nonce !== options.nonce) throw refuse('claim-nonce');
  if (typeof payload.sub !== 'string' || payload.sub.length === 0 || payload.sub.length > 255) {
    throw refuse('no-subject');
  }
  return { issuer: options.issuer, subject: payload.sub, claims: payload };
}
