/**
 * What ingestion needs of the operator's keys: the source-level NIR key, a source namespace key,
 * the platform key versions, the provider key, and public ids for the batch manifest. `@hygie/keys`
 * provides it from a key file or from trustee shares; tests build it from a master secret.
 */
import { KeyLabels, deriveKey, masterKeyId } from '@hygie/core';

/** Key material for pseudonymisation. */
export interface PseudonymKeys {
  readonly keyId: string;
  readonly platformKeyVersion: number;
  sourceNirKey(): Buffer;
  sourceNamespaceKey(namespace: string): Buffer;
  /** Platform keys of versions 1..current, in order. */
  platformKeys(): readonly Buffer[];
  providerKey(): Buffer;
}

/** Pseudonym keys derived from a master secret (tests and tools; production uses `@hygie/keys`). */
export function pseudonymKeysFromMaster(master: Uint8Array, platformKeyVersion = 1): PseudonymKeys {
  const secret = Buffer.from(master);
  return {
    keyId: masterKeyId(secret),
    platformKeyVersion,
    sourceNirKey: () => deriveKey(secret, KeyLabels.sourceNir),
    sourceNamespaceKey: (ns) => deriveKey(secret, KeyLabels.sourceNamespace(ns)),
    platformKeys: () =>
      Array.from({ length: platformKeyVersion }, (_, i) =>
        deriveKey(secret, KeyLabels.platform(i + 1)),
      ),
    providerKey: () => deriveKey(secret, KeyLabels.provider),
  };
}
