/**
 * Pseudonym derivation (DESIGN.md §3): keys by HKDF from the operator's master secret, and two
 * keyed levels like the SNDS FOIN.
 *
 * 1. Source level — `K_source`: the NIR's 13-character body becomes a source pseudonym, 17
 *    upper-case hexadecimal characters (68 bits; the SNDS's own pseudonyms are 17 characters). A
 *    data producer holding only `K_source` can apply it before sending; identifiers without a NIR
 *    (a hospital record number, a FHIR id) are pseudonymised the same way with a key of their
 *    source's own namespace, so they link inside that source only.
 * 2. Platform level — `K_platform` (versioned): the source pseudonym becomes the warehouse
 *    `person_id` (63 bits) and a 64-bit fingerprint that tells two identities apart if their ids
 *    ever collide. A key rotation chains a new version over the previous id, so every link
 *    survives re-pseudonymisation:
 *      h1 = HMAC(K_platform_v1, kind ":" p1)      id1 = h1[0..8] & 2^63−1, fingerprint = h1[8..16]
 *      hk = HMAC(K_platform_vk, id(k−1) as 8 bytes big-endian)    idk = hk[0..8] & 2^63−1
 *
 * The same functions exist in SQL (the ingestion pseudonymises every distinct identifier in the
 * engine); tests check both give the same values. Pure computation, no I/O.
 */
import { createHmac, hkdfSync } from 'node:crypto';

/** HKDF labels of every derived key. Never change one: it would change every pseudonym. */
export const KeyLabels = {
  /** Source-level key for NIRs, shared with data producers that pseudonymise before sending. */
  sourceNir: 'hygie/v1/source/nir',
  /** Source-level key of a source's own identifier namespace (record numbers, FHIR ids). */
  sourceNamespace: (namespace: string): string => `hygie/v1/source/namespace/${namespace}`,
  /** Platform pseudonym key, version n ≥ 1. */
  platform: (version: number): string => `hygie/v1/platform/pseudonym/v${version}`,
  /** Key of a research project's own pseudonyms. */
  project: (projectId: string): string => `hygie/v1/project/${projectId}`,
  /** Seed of the transparency log's Ed25519 signing key. */
  logSigning: 'hygie/v1/log/signing',
  /** Key of the transparency log's pseudonymous actor ids (`pseudonymousActorId`). */
  logActor: 'hygie/v1/log/actor',
  /** Public identifier of a master key (not secret). */
  keyId: 'hygie/v1/key-id',
  /** Provider (health professional) numbers. */
  provider: 'hygie/v1/source/provider',
  /** Key that signs citizens' short sessions (identified by NIR and birth date in the demo). */
  citizenSession: 'hygie/v1/citizen/session',
} as const;

const HKDF_SALT = Buffer.from('hygie-key-derivation', 'utf8');

/** Derives a 32-byte key from the master secret with HKDF-SHA-256 under a label. */
export function deriveKey(master: Uint8Array, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, HKDF_SALT, Buffer.from(label, 'utf8'), 32));
}

/** The public identifier of a master key: 16 hex characters, reveals nothing of the key. */
export function masterKeyId(master: Uint8Array): string {
  return deriveKey(master, KeyLabels.keyId).subarray(0, 8).toString('hex');
}

/** HMAC-SHA-256. */
export function hmac(key: Uint8Array, message: Uint8Array | string): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

/** Length of a source pseudonym. */
export const SOURCE_PSEUDONYM_LENGTH = 17;

/** Pattern of a source pseudonym (what a pre-pseudonymised extract carries instead of a NIR). */
export const SOURCE_PSEUDONYM_RE = /^[0-9A-F]{17}$/;

/** The source pseudonym of a value under a source-level key: 17 upper-case hex characters. */
export function sourcePseudonym(key: Uint8Array, value: string): string {
  return hmac(key, value).toString('hex').slice(0, SOURCE_PSEUDONYM_LENGTH).toUpperCase();
}

/** The identity kind of a NIR-based person (links across sources). */
export const NIR_KIND = 'nir';

/** The identity kind of a person known only by a source-local identifier. */
export function namespaceKind(namespace: string): string {
  return `ns:${namespace}`;
}

/** A warehouse person identity. */
export interface PlatformIdentity {
  /** The warehouse `person_id`: 63 bits, never 0. */
  personId: bigint;
  /** A 64-bit fingerprint of the identity, stable across key rotations. */
  fingerprint: bigint;
}

const MASK63 = (1n << 63n) - 1n;

function id63(h: Buffer): bigint {
  const id = h.readBigUInt64BE(0) & MASK63;
  return id === 0n ? 1n : id;
}

/**
 * The platform identity of a source pseudonym. `platformKeys` are the platform keys of versions
 * 1..n in order (n = the current version).
 */
export function platformIdentity(
  platformKeys: readonly Uint8Array[],
  kind: string,
  p1: string,
): PlatformIdentity {
  const [first, ...later] = platformKeys;
  if (!first) throw new Error('at least one platform key version is required');
  const h1 = hmac(first, `${kind}:${p1}`);
  let personId = id63(h1);
  const fingerprint = h1.readBigInt64BE(8);
  for (const key of later) personId = rotatePersonId(key, personId);
  return { personId, fingerprint };
}

/** One rotation step: the id under the next platform key version. */
export function rotatePersonId(nextKey: Uint8Array, personId: bigint): bigint {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(personId);
  return id63(hmac(nextKey, b));
}

/**
 * The HMAC inner and outer padded keys (hex) of a key, so that the engine can compute
 * HMAC-SHA-256 as sha256(opad ‖ sha256(ipad ‖ message)) with only its SHA-256 function. They are
 * as secret as the key: pass them as bound parameters, never in SQL text.
 */
export function hmacPads(key: Uint8Array): { ipadHex: string; opadHex: string } {
  if (key.length > 64) throw new Error('HMAC keys longer than the block size are not supported');
  const ipad = Buffer.alloc(64, 0x36);
  const opad = Buffer.alloc(64, 0x5c);
  for (let i = 0; i < key.length; i++) {
    ipad[i] = (ipad[i] as number) ^ (key[i] as number);
    opad[i] = (opad[i] as number) ^ (key[i] as number);
  }
  return { ipadHex: ipad.toString('hex'), opadHex: opad.toString('hex') };
}
