/**
 * The key ring: the master secret held in memory, and the keys derived from it by HKDF under the
 * labels of `@hygie/core` (DESIGN.md §3). The secret stays in a private field; printing, logging
 * or serialising a key ring shows its public identity only (DESIGN.md §4.5).
 */
import { inspect } from 'node:util';
import { HygieError, KeyLabels, deriveKey, masterKeyId } from '@hygie/core';
import { MASTER_SECRET_BYTES } from './key-file-formats.js';

/** The public facts of a key ring. */
export interface KeyRingInfo {
  /** Public identifier of the master key (16 hex characters, derived, reveals nothing). */
  keyId: string;
  /** Current platform pseudonym key version (1, then +1 at each rotation). */
  platformKeyVersion: number;
  /** When the master key was created (ISO 8601). */
  createdAt: string;
}

let masterOf: (ring: KeyRing) => Buffer;

/** The master secret and every key derived from it. */
export class KeyRing implements KeyRingInfo {
  readonly keyId: string;
  readonly platformKeyVersion: number;
  readonly createdAt: string;
  readonly #master: Buffer;

  static {
    masterOf = (ring) => ring.#master;
  }

  /**
   * A key ring over a copy of `master` (32 bytes). `platformKeyVersion` defaults to 1 and
   * `createdAt` to now.
   */
  constructor(
    master: Uint8Array,
    options: { platformKeyVersion?: number; createdAt?: string } = {},
  ) {
    if (master.length !== MASTER_SECRET_BYTES) {
      throw new HygieError('HYG_KEY_ERROR', `a master secret is ${MASTER_SECRET_BYTES} bytes`, {
        reason: 'bad-secret-length',
      });
    }
    const version = options.platformKeyVersion ?? 1;
    if (!Number.isInteger(version) || version < 1) {
      throw new HygieError('HYG_KEY_ERROR', 'the platform key version must be a whole number ≥ 1', {
        reason: 'bad-platform-key-version',
      });
    }
    this.#master = Buffer.from(master);
    this.keyId = masterKeyId(this.#master);
    this.platformKeyVersion = version;
    this.createdAt = options.createdAt ?? new Date().toISOString();
  }

  /** Source-level key of NIRs: the one a data producer may hold (`hygie keys export-source-key`). */
  sourceNirKey(): Buffer {
    return deriveKey(this.#master, KeyLabels.sourceNir);
  }

  /** Source-level key of a source's own identifier namespace (record numbers, FHIR ids). */
  sourceNamespaceKey(namespace: string): Buffer {
    return deriveKey(this.#master, KeyLabels.sourceNamespace(nonEmpty(namespace, 'namespace')));
  }

  /** The platform pseudonym key of one version (1..current). */
  platformKey(version: number): Buffer {
    if (!Number.isInteger(version) || version < 1 || version > this.platformKeyVersion) {
      throw new HygieError(
        'HYG_KEY_ERROR',
        `platform key version ${version} does not exist (current version ${this.platformKeyVersion})`,
        { version, reason: 'no-such-version' },
      );
    }
    return deriveKey(this.#master, KeyLabels.platform(version));
  }

  /** Platform keys of versions 1..current in order, as `platformIdentity` takes them. */
  platformKeys(): Buffer[] {
    return Array.from({ length: this.platformKeyVersion }, (_, i) => this.platformKey(i + 1));
  }

  /** Key of provider (health professional) numbers. */
  providerKey(): Buffer {
    return deriveKey(this.#master, KeyLabels.provider);
  }

  /** Key of a research project's own pseudonyms. */
  projectKey(projectId: string): Buffer {
    return deriveKey(this.#master, KeyLabels.project(nonEmpty(projectId, 'project id')));
  }

  /** Seed (32 bytes) of the transparency log's Ed25519 signing key. */
  logSigningSeed(): Buffer {
    return deriveKey(this.#master, KeyLabels.logSigning);
  }

  /** Key of the transparency log's pseudonymous actor ids (HMAC-SHA-256). */
  logActorKey(): Buffer {
    return deriveKey(this.#master, KeyLabels.logActor);
  }

  /** Key that signs citizens' short sessions (HMAC-SHA-256). */
  citizenSessionKey(): Buffer {
    return deriveKey(this.#master, KeyLabels.citizenSession);
  }

  /** The same master key at another platform key version (rotation bookkeeping). */
  withPlatformKeyVersion(platformKeyVersion: number): KeyRing {
    return new KeyRing(this.#master, { platformKeyVersion, createdAt: this.createdAt });
  }

  /** Overwrites the secret in memory; the ring is unusable afterwards. */
  destroy(): void {
    this.#master.fill(0);
  }

  /** Public facts only. */
  info(): KeyRingInfo {
    return {
      keyId: this.keyId,
      platformKeyVersion: this.platformKeyVersion,
      createdAt: this.createdAt,
    };
  }

  /** `JSON.stringify` sees the public facts only. */
  toJSON(): KeyRingInfo {
    return this.info();
  }

  /** Template strings and concatenation see the key id only. */
  toString(): string {
    return `KeyRing(${this.keyId}, platform key v${this.platformKeyVersion})`;
  }

  /** `console.log` and `util.inspect` see the public facts only. */
  [inspect.custom](): string {
    return `KeyRing ${inspect(this.info())}`;
  }
}

function nonEmpty(value: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `a ${what} must be a non-empty string`, {
      argument: what,
    });
  }
  return value;
}

/**
 * The master secret of a key ring. Internal to `@hygie/keys` (not exported by its index): only
 * the custody code writing key and share files needs the master itself.
 */
export function masterSecretOf(ring: KeyRing): Buffer {
  return masterOf(ring);
}
