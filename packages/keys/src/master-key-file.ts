/**
 * The master key file: creation (`hygie keys init`), reading, writing a recombined key, and the
 * platform key version bump of a rotation. The file is JSON, mode 0600, outside the data
 * directory.
 */
import { randomBytes } from 'node:crypto';
import { HygieError } from '@hygie/core';
import {
  MASTER_SECRET_BYTES,
  decodeBase64,
  masterKeyFileSchema,
  parseKeyMaterial,
  type MasterKeyFile,
} from './key-file-formats.js';
import { KeyRing, masterSecretOf } from './key-ring.js';
import { readSecretFile, writeSecretFile, type WriteSecretOptions } from './secret-file.js';

/** Default path of the master key file, relative to the working directory. */
export const DEFAULT_KEY_FILE = './hygie-keys/master.key';

/** Default data directory (the warehouse's `--data-dir`), which key files must stay out of. */
export const DEFAULT_DATA_DIR = './hygie-data';

function keyFileText(ring: KeyRing): string {
  const secret = masterSecretOf(ring).toString('base64');
  const file: MasterKeyFile = {
    format: 'hygie-master-key',
    version: 1,
    keyId: ring.keyId,
    createdAt: ring.createdAt,
    platformKeyVersion: ring.platformKeyVersion,
    secret,
  };
  return JSON.stringify(file, null, 2) + '\n';
}

/**
 * Writes the key file of a key ring (mode 0600; see `writeSecretFile` for `force` and
 * `dataDir`).
 */
export function writeKeyFile(ring: KeyRing, path: string, options: WriteSecretOptions = {}): void {
  writeSecretFile(path, keyFileText(ring), options, 'key file');
}

/**
 * Creates a new master key (32 random bytes from the system CSPRNG) and writes its key file.
 * Returns its key ring.
 */
export function createKeyFile(path: string, options: WriteSecretOptions = {}): KeyRing {
  const master = randomBytes(MASTER_SECRET_BYTES);
  try {
    const ring = new KeyRing(master, { platformKeyVersion: 1 });
    writeKeyFile(ring, path, options);
    return ring;
  } finally {
    master.fill(0);
  }
}

/**
 * Reads a key file into a key ring. Refuses a file other users may read, a malformed file, and a
 * file whose key id does not match its secret (a corrupted or hand-edited file).
 */
export function readKeyFile(path: string): KeyRing {
  const parsed = parseKeyMaterial(
    readSecretFile(path, 'key file'),
    masterKeyFileSchema,
    'key file',
    path,
    'hygie-master-key',
  );
  const master = decodeBase64(parsed.secret) as Buffer;
  try {
    const ring = new KeyRing(master, {
      platformKeyVersion: parsed.platformKeyVersion,
      createdAt: parsed.createdAt,
    });
    if (ring.keyId !== parsed.keyId) {
      throw new HygieError(
        'HYG_KEY_ERROR',
        `key file ${path}: its secret does not match its key id ${parsed.keyId} (corrupted or edited)`,
        { file: path, keyId: parsed.keyId, reason: 'key-id-mismatch' },
      );
    }
    return ring;
  } finally {
    master.fill(0);
  }
}

/**
 * Rotation bookkeeping: rewrites the key file with the platform key version + 1, same secret and
 * key id, atomically (a temporary 0600 file renamed over the old one). Returns the new key ring.
 * Re-pseudonymising the warehouse is the caller's job (`hygie keys rotate`): it can get the next
 * version's key beforehand from `readKeyFile(path).withPlatformKeyVersion(v + 1)`.
 */
export function bumpPlatformKeyVersion(path: string): KeyRing {
  const ring = readKeyFile(path);
  const next = ring.withPlatformKeyVersion(ring.platformKeyVersion + 1);
  ring.destroy();
  writeKeyFile(next, path, { force: true });
  return next;
}
