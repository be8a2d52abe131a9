/**
 * API tokens: `hyg_` + 32 random bytes in base64url (43 characters). The clear token is shown once,
 * at creation; the store keeps only its SHA-256. A fast hash is right here (unlike passwords): the
 * token has 256 bits of entropy, so there is nothing to brute-force, and every API request needs
 * the lookup. Looking the hash up by index leaks nothing useful about the token.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Prefix of every token (lets secret scanners and log redaction recognise them). */
export const API_TOKEN_PREFIX = 'hyg_';

/** Shape of a token. */
export const API_TOKEN_RE = /^hyg_[A-Za-z0-9_-]{43}$/;

/** A new random token. */
export function newApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** The stored form of a token: SHA-256, hex. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
