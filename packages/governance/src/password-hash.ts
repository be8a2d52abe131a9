/**
 * Password hashing with scrypt (node:crypto), memory-hard so that a stolen governance store is
 * expensive to brute-force. Parameters N=2^15, r=8, p=1 (OWASP's minimum for scrypt), a random
 * 16-byte salt per password, a 32-byte key. The stored form carries its parameters
 * (`scrypt$32768$8$1$<salt>$<key>`, base64url), so a later, stronger default still verifies old
 * hashes. Comparison is constant-time. Hashing runs on libuv's thread pool (async), never on the
 * event loop.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { HygieError } from '@hygie/core';

/** Default scrypt cost parameters. */
export const SCRYPT_PARAMS = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

/** Weakest parameters accepted when verifying a stored hash. */
const MIN_N = 2 ** 15;

const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Shortest and longest accepted passwords. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // scrypt needs 128·N·r bytes; allow twice that (Node's default cap is 32 MiB).
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_BYTES,
      { N, r, p, maxmem: 256 * N * r },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/** Throws `HYG_INVALID_ARGUMENT` unless the password has an acceptable length. */
export function checkPasswordPolicy(password: string): void {
  if (
    typeof password !== 'string' ||
    password.length < PASSWORD_MIN_LENGTH ||
    password.length > PASSWORD_MAX_LENGTH
  ) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      `a password has ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
      { argument: 'password', reason: 'password-policy' },
    );
  }
}

/** Hashes a password (the policy is checked first). */
export async function hashPassword(password: string): Promise<string> {
  checkPasswordPolicy(password);
  const salt = randomBytes(SALT_BYTES);
  const { N, r, p } = SCRYPT_PARAMS;
  const key = await derive(password, salt, N, r, p);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`. A malformed stored hash never matches. */
export async function verifyPasswordHash(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (
    !Number.isInteger(N) ||
    N < MIN_N ||
    (N & (N - 1)) !== 0 ||
    !(r >= 1 && r <= 32) ||
    !(p >= 1 && p <= 16)
  ) {
    return false;
  }
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < SALT_BYTES || expected.length !== KEY_BYTES) return false;
  if (typeof password !== 'string' || password.length > PASSWORD_MAX_LENGTH) return false;
  const key = await derive(password, salt, N, r, p);
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/**
 * A hash of nothing in particular, verified when the login is unknown so that an unknown login
 * takes as long as a wrong password (no account enumeration by timing).
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummy;
}
