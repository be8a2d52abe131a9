/**
 * The JSON formats of key material on disk — master key, trustee share, source key — validated
 * with zod. Validation errors name the file and the field, never a value: a value may be the
 * secret itself.
 */
import { z } from 'zod';
import { HygieError } from '@hygie/core';

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes canonical base64 (what `Buffer#toString('base64')` writes), or null. */
export function decodeBase64(text: string): Buffer | null {
  if (text.length % 4 !== 0 || !BASE64_RE.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** A base64 string holding exactly `length` bytes. */
function base64Bytes(length: number): z.ZodString {
  return z.string().refine((s) => decodeBase64(s)?.length === length, {
    message: `must be the base64 of ${length} bytes`,
  });
}

/** Length of the master secret, in bytes. */
export const MASTER_SECRET_BYTES = 32;

const keyId = z.string().regex(/^[0-9a-f]{16}$/);
const isoDateTime = z.iso.datetime({ offset: true });
const platformKeyVersion = z.number().int().min(1).max(1_000_000);

/** The master key file. */
export const masterKeyFileSchema = z
  .object({
    format: z.literal('hygie-master-key'),
    version: z.literal(1),
    keyId,
    createdAt: isoDateTime,
    platformKeyVersion,
    secret: base64Bytes(MASTER_SECRET_BYTES),
  })
  .strict();

/** A parsed master key file. */
export type MasterKeyFile = z.infer<typeof masterKeyFileSchema>;

/**
 * A trustee's share. Besides the fields every share needs, it carries what the recombined key file
 * must hold again (the platform key version and the key's creation date) and the identifier of the
 * split, so that shares of two different splits of one key are told apart by name.
 */
export const shareFileSchema = z
  .object({
    format: z.literal('hygie-key-share'),
    version: z.literal(1),
    keyId,
    splitId: z.string().regex(/^[0-9a-f]{16}$/),
    index: z.number().int().min(1).max(255),
    threshold: z.number().int().min(2).max(255),
    shares: z.number().int().min(2).max(255),
    platformKeyVersion,
    keyCreatedAt: isoDateTime,
    createdAt: isoDateTime,
    // The share: the secret's 32 bytes under the polynomial, then its x coordinate.
    share: base64Bytes(MASTER_SECRET_BYTES + 1),
  })
  .strict()
  .refine((s) => s.threshold <= s.shares && s.index <= s.shares, {
    message: 'index, threshold and shares are inconsistent',
    path: ['threshold'],
  });

/** A parsed share file. */
export type ShareFile = z.infer<typeof shareFileSchema>;

/** The source-level NIR key handed to a data producer. */
export const sourceKeyFileSchema = z
  .object({
    format: z.literal('hygie-source-key'),
    version: z.literal(1),
    keyId,
    secret: base64Bytes(32),
  })
  .strict();

/** A parsed source key file. */
export type SourceKeyFile = z.infer<typeof sourceKeyFileSchema>;

const PROBLEM: Readonly<Record<string, string>> = {
  invalid_type: 'is missing or of the wrong type',
  invalid_value: 'has an unexpected value',
  invalid_format: 'is badly formatted',
  too_small: 'is out of range',
  too_big: 'is out of range',
  unrecognized_keys: 'has unknown fields',
};

/**
 * Parses the text of a key material file. `what` names the kind of file ("key file", "share
 * file"). Throws a `HYG_KEY_ERROR` naming the file and the field; neither the JSON parser's
 * message (which quotes the text) nor zod's are passed on.
 */
export function parseKeyMaterial<T>(
  text: string,
  schema: z.ZodType<T>,
  what: string,
  path: string,
  format: string,
): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new HygieError('HYG_KEY_ERROR', `${what} ${path} is not valid JSON`, {
      file: path,
      reason: 'invalid-json',
    });
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== format) {
    throw new HygieError('HYG_KEY_ERROR', `${path} is not a Hygie ${what} (format ${format})`, {
      file: path,
      reason: 'wrong-format',
    });
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') || '(top level)';
    const problem =
      issue?.code === 'custom' ? issue.message : (PROBLEM[issue?.code ?? ''] ?? 'is invalid');
    throw new HygieError('HYG_KEY_ERROR', `${what} ${path}: field ${field} ${problem}`, {
      file: path,
      field,
      reason: 'invalid-field',
    });
  }
  return r.data;
}
