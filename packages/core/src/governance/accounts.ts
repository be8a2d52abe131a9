/**
 * Accounts: what a new user is (login, display name, roles). Logins are lower-case and short; the
 * audit trail never records them (it records the user's random id).
 */
import { z } from 'zod';
import { rolesSchema } from './roles.js';

/** A login: lower-case letters, digits and `._@-`, 2 to 64 characters, normalised to lower case. */
export const loginSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{1,63}$/, 'must be 2–64 letters, digits or . _ @ -');

/** A display name, shown to colleagues and (for project teams) in the public directory. */
export const displayNameSchema = z.string().trim().min(1).max(200);

/** The zod schema of a new account (the password is checked by the store's policy). */
export const newUserSchema = z.strictObject({
  login: loginSchema,
  displayName: displayNameSchema,
  roles: rolesSchema,
  password: z.string().nullable().optional(),
});

/** A new account. */
export type NewUser = z.input<typeof newUserSchema>;

/** Kinds of bearer token: a long-lived API token, or a session created at login. */
export const TOKEN_KINDS = ['api', 'session'] as const;

/** A kind of token. */
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** Options of a new token. */
export const newTokenSchema = z.strictObject({
  label: z.string().trim().min(1).max(200),
  kind: z.enum(TOKEN_KINDS).default('api'),
  /** When the token stops working; required for sessions. */
  expiresAt: z.date().nullable().optional(),
});

/** Options of a new token. */
export type NewToken = z.input<typeof newTokenSchema>;
