/**
 * Signed tree heads (STH): the log operator's Ed25519 signature over (log id, size, root,
 * time). Anyone holding the public key can check that a given root was published for a given size;
 * two signed heads of the same size with different roots are proof of a fork.
 *
 * Signed bytes = UTF-8 of jcs({ type: 'hygie-sth/v1', logId, treeSize, rootHash, timestamp }):
 * the type tag keeps a tree head signature from ever being valid for another message signed with
 * the same key.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { HygieError } from '../errors.js';
import { jcs } from './canonical-json.js';

/** A tree head before signing. */
export interface TreeHead {
  /** The log's id: hex SHA-256 of its raw Ed25519 public key (`logIdOf`). */
  logId: string;
  /** Number of entries the tree covers. */
  treeSize: number;
  /** Merkle Tree Hash of those entries, 64 lower-case hex characters. */
  rootHash: string;
  /** When it was signed: ISO 8601 UTC with milliseconds (`2025-03-01T09:00:00.000Z`). */
  timestamp: string;
}

/** A tree head with the log's signature. */
export interface SignedTreeHead extends TreeHead {
  /** Base64 Ed25519 signature over `treeHeadSignedBytes(head)`. */
  signature: string;
}

/** Type tag inside the signed bytes. */
export const TREE_HEAD_TYPE = 'hygie-sth/v1';

const HEX64 = /^[0-9a-f]{64}$/;
const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A reason the head is malformed, or null. */
function malformed(head: TreeHead): string | null {
  if (typeof head !== 'object' || head === null) return 'not an object';
  if (typeof head.logId !== 'string' || !HEX64.test(head.logId)) return 'logId';
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0) return 'treeSize';
  if (typeof head.rootHash !== 'string' || !HEX64.test(head.rootHash)) return 'rootHash';
  if (
    typeof head.timestamp !== 'string' ||
    !ISO_MS_UTC.test(head.timestamp) ||
    Number.isNaN(Date.parse(head.timestamp)) ||
    new Date(head.timestamp).toISOString() !== head.timestamp
  ) {
    return 'timestamp';
  }
  return null;
}

/** The bytes a tree head signature covers. */
export function treeHeadSignedBytes(head: TreeHead): Buffer {
  const bad = malformed(head);
  if (bad !== null) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `tree head: ${bad} is malformed`, {
      argument: bad,
    });
  }
  return Buffer.from(
    jcs({
      type: TREE_HEAD_TYPE,
      logId: head.logId,
      treeSize: head.treeSize,
      rootHash: head.rootHash,
      timestamp: head.timestamp,
    }),
    'utf8',
  );
}

/** Signs a tree head with the log's Ed25519 private key. */
export function signTreeHead(head: TreeHead, privateKey: KeyObject): SignedTreeHead {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'tree heads are signed with an Ed25519 key', {
      argument: 'privateKey',
    });
  }
  const bytes = treeHeadSignedBytes(head);
  return {
    logId: head.logId,
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
    signature: sign(null, bytes, privateKey).toString('base64'),
  };
}

/**
 * True when `sth` is well formed, names the log of `publicKey` and carries a valid signature by
 * it. Never throws on bad input.
 */
export function verifyTreeHead(sth: SignedTreeHead, publicKey: KeyObject): boolean {
  try {
    if (malformed(sth) !== null || typeof sth.signature !== 'string') return false;
    if (sth.logId !== logIdOf(publicKey)) return false;
    const sig = Buffer.from(sth.signature, 'base64');
    // Buffer.from(…, 'base64') skips junk; insist on the exact canonical encoding.
    if (sig.length !== 64 || sig.toString('base64') !== sth.signature) return false;
    return verify(null, treeHeadSignedBytes(sth), publicKey, sig);
  } catch {
    return false;
  }
}

// PKCS#8 DER prefix of an Ed25519 private key (RFC 8410): the 32-byte seed follows.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
// SPKI DER prefix of an Ed25519 public key: the raw 32-byte key follows.
const SPKI_ED25519_PREFIX_LENGTH = 12;

/** The log's Ed25519 key pair from a 32-byte seed (a secret derived from the master key). */
export function ed25519KeyPairFromSeed(seed: Uint8Array): {
  privateKey: KeyObject;
  publicKey: KeyObject;
} {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'an Ed25519 seed is 32 bytes', {
      argument: 'seed',
    });
  }
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

function assertEd25519Public(key: KeyObject): void {
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519') {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'expected an Ed25519 public key', {
      argument: 'publicKey',
    });
  }
}

/** The public key as SPKI PEM (what the log publishes). */
export function publicKeyPem(publicKey: KeyObject): string {
  assertEd25519Public(publicKey);
  return publicKey.export({ type: 'spki', format: 'pem' }) as string;
}

/** Reads an Ed25519 public key from SPKI PEM; HYG_INVALID_ARGUMENT for anything else. */
export function publicKeyFromPem(pem: string): KeyObject {
  // createPublicKey would happily derive a public key from a private one: a private key pasted
  // where a public one is expected is a mistake to stop, not to accept.
  if (typeof pem !== 'string' || /PRIVATE KEY/.test(pem)) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'not a PEM public key', { argument: 'publicKey' });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      'not a PEM public key',
      { argument: 'publicKey' },
      { cause: e },
    );
  }
  assertEd25519Public(key);
  return key;
}

/** The log id: hex SHA-256 of the raw 32-byte Ed25519 public key. */
export function logIdOf(publicKey: KeyObject): string {
  assertEd25519Public(publicKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der.subarray(SPKI_ED25519_PREFIX_LENGTH)).digest('hex');
}
