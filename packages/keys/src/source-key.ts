/**
 * The source-level NIR key (`K_source`, DESIGN.md §3) exported for a data producer that
 * pseudonymises NIRs before sending (`hygie keys export-source-key`, `hygie synth --source-key`).
 *
 * The file holds an HKDF output of the master secret, never the master: HKDF is one-way, so its
 * holder can compute source pseudonyms but neither the master nor the platform key, which is
 * another HKDF output of the master under another label.
 */
import { inspect } from 'node:util';
import {
  decodeBase64,
  parseKeyMaterial,
  sourceKeyFileSchema,
  type SourceKeyFile,
} from './key-file-formats.js';
import type { KeyRing } from './key-ring.js';
import { readSecretFile, writeSecretFile, type WriteSecretOptions } from './secret-file.js';

/** A source-level NIR key, read from a source key file. Printing it shows its key id only. */
export class SourceKey {
  /** Key id of the master key it was derived from (public). */
  readonly keyId: string;
  readonly #secret: Buffer;

  constructor(keyId: string, secret: Uint8Array) {
    this.keyId = keyId;
    this.#secret = Buffer.from(secret);
  }

  /** The key itself, for `sourcePseudonym(key, nirBody13)`. */
  nirKey(): Buffer {
    return Buffer.from(this.#secret);
  }

  /** `JSON.stringify` sees the key id only. */
  toJSON(): { keyId: string } {
    return { keyId: this.keyId };
  }

  /** Template strings see the key id only. */
  toString(): string {
    return `SourceKey(${this.keyId})`;
  }

  /** `console.log` and `util.inspect` see the key id only. */
  [inspect.custom](): string {
    return `SourceKey ${inspect(this.toJSON())}`;
  }
}

/** Writes the source NIR key of a key ring to a source key file (mode 0600). */
export function exportSourceKey(
  ring: KeyRing,
  outFile: string,
  options: WriteSecretOptions = {},
): void {
  const key = ring.sourceNirKey();
  try {
    const file: SourceKeyFile = {
      format: 'hygie-source-key',
      version: 1,
      keyId: ring.keyId,
      secret: key.toString('base64'),
    };
    writeSecretFile(outFile, JSON.stringify(file, null, 2) + '\n', options, 'source key file');
  } finally {
    key.fill(0);
  }
}

/** Reads a source key file (mode 0600 required, like a key file). */
export function readSourceKey(path: string): SourceKey {
  const parsed = parseKeyMaterial(
    readSecretFile(path, 'source key file'),
    sourceKeyFileSchema,
    'source key file',
    path,
    'hygie-source-key',
  );
  const secret = decodeBase64(parsed.secret) as Buffer;
  try {
    return new SourceKey(parsed.keyId, secret);
  } finally {
    secret.fill(0);
  }
}
