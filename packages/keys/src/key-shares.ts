/**
 * Trustee custody of the master key: Shamir k-of-n secret sharing (`hygie keys split|combine`).
 *
 * The field arithmetic is the `shamir-secret-sharing` library's (Privy; audited by Cure53 and
 * Zellic), not ours. Shamir shares carry no integrity of their own — a wrong share silently yields
 * another secret — so every combination is checked against the key id the shares name: a wrong,
 * corrupted or foreign share is detected, never turned into a different key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { combine, split } from 'shamir-secret-sharing';
import { HygieError } from '@hygie/core';
import {
  decodeBase64,
  parseKeyMaterial,
  shareFileSchema,
  type ShareFile,
} from './key-file-formats.js';
import { KeyRing, masterSecretOf } from './key-ring.js';
import { readKeyFile } from './master-key-file.js';
import { readSecretFile, writeSecretFile, type WriteSecretOptions } from './secret-file.js';

/** How to split a key. */
export interface SplitOptions extends WriteSecretOptions {
  /** Number of shares n (one per trustee), 2..255. */
  shares: number;
  /** Number of shares k needed to recombine the key, 2..n. */
  threshold: number;
  /** Directory receiving the share files (created 0700). */
  outDir: string;
}

/** What a split wrote. */
export interface SplitResult {
  keyId: string;
  splitId: string;
  /** Share files, share 1 first. */
  files: string[];
}

/** The file name of share `index` of `shares`. */
export function shareFileName(index: number, shares: number): string {
  return `share-${index}-of-${shares}.json`;
}

function checkSplitCounts(shares: number, threshold: number): void {
  const whole = (n: number): boolean => Number.isInteger(n);
  if (!whole(shares) || shares < 2 || shares > 255) {
    throw new HygieError('HYG_INVALID_ARGUMENT', '--shares: expected a number from 2 to 255', {
      argument: 'shares',
    });
  }
  if (!whole(threshold) || threshold < 2 || threshold > shares) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      `--threshold: expected a number from 2 to the number of shares (${shares})`,
      { argument: 'threshold' },
    );
  }
}

/**
 * Splits a key ring into `shares` share files of which any `threshold` recombine it. Every target
 * is checked before any is written, so a refused overwrite leaves nothing half-done.
 */
export async function splitKeyRing(ring: KeyRing, options: SplitOptions): Promise<SplitResult> {
  checkSplitCounts(options.shares, options.threshold);
  const files = Array.from({ length: options.shares }, (_, i) =>
    join(options.outDir, shareFileName(i + 1, options.shares)),
  );
  if (options.force !== true) {
    const existing = files.filter((f) => existsSync(f));
    if (existing.length > 0) {
      throw new HygieError(
        'HYG_CONFLICT',
        `${existing[0]} already exists; refusing to overwrite shares (use --force to replace them)`,
        { files: existing },
      );
    }
  }
  const splitId = randomBytes(8).toString('hex');
  const createdAt = new Date().toISOString();
  // The library wants a plain Uint8Array (it refuses a Buffer): copy, and wipe the copy.
  const secret = new Uint8Array(masterSecretOf(ring));
  let parts: Uint8Array[];
  try {
    parts = await split(secret, options.shares, options.threshold);
  } finally {
    secret.fill(0);
  }
  try {
    parts.forEach((part, i) => {
      const file: ShareFile = {
        format: 'hygie-key-share',
        version: 1,
        keyId: ring.keyId,
        splitId,
        index: i + 1,
        threshold: options.threshold,
        shares: options.shares,
        platformKeyVersion: ring.platformKeyVersion,
        keyCreatedAt: ring.createdAt,
        createdAt,
        share: Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64'),
      };
      writeSecretFile(
        files[i] as string,
        JSON.stringify(file, null, 2) + '\n',
        options,
        'share file',
      );
    });
  } finally {
    for (const part of parts) part.fill(0);
  }
  return { keyId: ring.keyId, splitId, files };
}

/** Splits the key of a key file (see `splitKeyRing`). */
export async function splitKeyFile(keyFile: string, options: SplitOptions): Promise<SplitResult> {
  const ring = readKeyFile(keyFile);
  try {
    return await splitKeyRing(ring, options);
  } finally {
    ring.destroy();
  }
}

/** Reads and validates one share file (mode 0600 required, like a key file). */
export function readShareFile(path: string): ShareFile {
  return parseKeyMaterial(
    readSecretFile(path, 'share file'),
    shareFileSchema,
    'share file',
    path,
    'hygie-key-share',
  );
}

function keyError(message: string, details: Record<string, string | number>): HygieError {
  return new HygieError('HYG_KEY_ERROR', message, { ...details });
}

/** Checks that share files belong together and are enough; returns the first one's metadata. */
function checkShareSet(files: readonly string[], shares: readonly ShareFile[]): ShareFile {
  const first = shares[0];
  if (!first) throw keyError('no share file given', { reason: 'no-shares' });
  const keyIds = [...new Set(shares.map((s) => s.keyId))];
  if (keyIds.length > 1) {
    throw new HygieError(
      'HYG_KEY_ERROR',
      `the shares belong to different keys (${keyIds.join(', ')}); give shares of one key only`,
      { keyIds, reason: 'mixed-keys' },
    );
  }
  for (const [i, s] of shares.entries()) {
    const file = files[i] as string;
    if (s.splitId !== first.splitId) {
      throw keyError(
        `share file ${file} comes from another split of key ${first.keyId} than ${files[0]}; ` +
          'shares of different splits cannot be combined',
        { file, reason: 'mixed-splits' },
      );
    }
    if (
      s.threshold !== first.threshold ||
      s.shares !== first.shares ||
      s.platformKeyVersion !== first.platformKeyVersion ||
      s.keyCreatedAt !== first.keyCreatedAt
    ) {
      throw keyError(`share file ${file} disagrees with ${files[0]} on the split's parameters`, {
        file,
        reason: 'inconsistent-shares',
      });
    }
  }
  const indexes = shares.map((s) => s.index);
  const duplicate = indexes.find((x, i) => indexes.indexOf(x) !== i);
  if (duplicate !== undefined) {
    throw keyError(`share ${duplicate} is given twice; give distinct shares`, {
      index: duplicate,
      reason: 'duplicate-share',
    });
  }
  if (shares.length < first.threshold) {
    throw keyError(
      `${shares.length} share(s) given, but key ${first.keyId} needs ${first.threshold} of its ${first.shares} shares`,
      { keyId: first.keyId, given: shares.length, threshold: first.threshold, reason: 'too-few' },
    );
  }
  return first;
}

/**
 * Recombines the master key from share files: checks they belong to one split of one key, are
 * distinct and at least the threshold, combines them, and checks the result has the shares' key
 * id. Returns the master key as a key ring (with the platform key version the shares record).
 */
export async function combineShares(files: readonly string[]): Promise<KeyRing> {
  const shares = files.map((f) => readShareFile(f));
  const meta = checkShareSet(files, shares);
  const parts = shares.map((s) => decodeBase64(s.share) as Buffer);
  let master: Uint8Array;
  try {
    master = await combine(parts.map((p) => new Uint8Array(p.buffer, p.byteOffset, p.length)));
  } catch {
    // The library refuses, e.g., two shares with the same x coordinate (a copied share renamed).
    throw keyError(`the shares of key ${meta.keyId} cannot be combined: one is wrong or copied`, {
      keyId: meta.keyId,
      reason: 'combine-failed',
    });
  } finally {
    for (const p of parts) p.fill(0);
  }
  try {
    const ring = new KeyRing(master, {
      platformKeyVersion: meta.platformKeyVersion,
      createdAt: meta.keyCreatedAt,
    });
    if (ring.keyId !== meta.keyId) {
      ring.destroy();
      throw keyError(
        `the shares do not reconstruct key ${meta.keyId}: at least one share is wrong or corrupted`,
        { keyId: meta.keyId, reason: 'key-id-mismatch' },
      );
    }
    return ring;
  } finally {
    master.fill(0);
  }
}
