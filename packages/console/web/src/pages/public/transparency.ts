/**
 * The transparency log as the browser sees it: the API's shapes, and the checks anyone can run
 * without trusting the server — an entry's leaf hash recomputed from its RFC 8785 canonical JSON,
 * an RFC 9162 audit path folded up to the signed root, the Ed25519 signature of a tree head.
 * Mirrors `@hygie/core` (transparency/canonical-json.ts, merkle.ts, tree-head.ts), which the
 * console cannot import (it holds Node code); WebCrypto does the hashing.
 */

/** One entry of the log (version 1), as `/api/v1/transparency/entries` answers it. */
export interface LogEntry {
  readonly v: 1;
  readonly seq: number;
  readonly at: string;
  readonly actorRole: string;
  readonly actorId: string;
  readonly action: string;
  readonly decision: 'allow' | 'deny' | 'error';
  readonly targetType?: string;
  readonly targetId?: string;
  readonly permitId?: string;
  readonly queryHash?: string;
  readonly reason?: string;
  readonly shape?: Readonly<Record<string, string | number | boolean | null>>;
}

/** An entry with its place in the log. */
export interface IndexedEntry {
  readonly index: number;
  readonly leafHash: string;
  readonly entry: LogEntry;
}

/** A signed tree head. */
export interface SignedTreeHead {
  readonly logId: string;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly timestamp: string;
  readonly signature: string;
}

/** `GET /api/v1/transparency/head`. */
export interface HeadResponse {
  readonly logId: string;
  readonly publicKeyPem: string;
  readonly head: SignedTreeHead | null;
}

/** Why a check could not run at all (as opposed to failing). */
export class VerificationUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationUnavailable';
  }
}

function subtle(): SubtleCrypto {
  // WebCrypto exists only in a secure context (https, or localhost).
  if (typeof crypto === 'undefined' || crypto.subtle === undefined) {
    throw new VerificationUnavailable('WebCrypto is not available (not a secure context)');
  }
  return crypto.subtle;
}

/** RFC 8785 canonical JSON of a JSON value (keys sorted by UTF-16 code units, no spaces). */
export function jcs(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: unknown) => jcs(v)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs(record[k])}`).join(',')}}`;
  }
  throw new Error(`${typeof value} has no JSON form`);
}

/** Bytes of a lower-case hex string (null when it is not hex of even length). */
export function fromHex(hex: string): Uint8Array | null {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256(...parts: readonly Uint8Array[]): Promise<Uint8Array> {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    buf.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await subtle().digest('SHA-256', buf));
}

const LEAF = new Uint8Array([0x00]);
const NODE = new Uint8Array([0x01]);

/** SHA-256(0x00 ‖ canonical entry bytes), hex. */
export async function leafHashOf(entry: LogEntry): Promise<string> {
  return toHex(await sha256(LEAF, new TextEncoder().encode(jcs(entry))));
}

/**
 * Folds an audit path up to a root (RFC 9162 §2.1.3.2); true when it reaches `rootHex` with
 * every proof node used. Never throws on bad input.
 */
export async function verifyInclusion(
  leafHex: string,
  index: number,
  treeSize: number,
  proofHex: readonly string[],
  rootHex: string,
): Promise<boolean> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize)) return false;
  if (index < 0 || index >= treeSize) return false;
  const leaf = fromHex(leafHex);
  const root = fromHex(rootHex);
  const proof = proofHex.map(fromHex);
  if (leaf?.length !== 32 || root?.length !== 32) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (p?.length !== 32 || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(NODE, p, r);
      // Climb past the levels where this node has no right sibling.
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await sha256(NODE, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && toHex(r) === toHex(root);
}

/** The outcome of checking one entry against a signed head. */
export type ProofOutcome = 'verified' | 'invalid' | 'unavailable';

/**
 * Checks an entry end to end: its leaf hash is recomputed from the entry itself (so the server
 * cannot show one entry and prove another), then its audit path is folded up to the head's root.
 */
export async function checkEntry(
  e: IndexedEntry & { readonly inclusionProof: readonly string[] },
  head: SignedTreeHead,
): Promise<ProofOutcome> {
  try {
    const leaf = await leafHashOf(e.entry);
    if (leaf !== e.leafHash) return 'invalid';
    const ok = await verifyInclusion(leaf, e.index, head.treeSize, e.inclusionProof, head.rootHash);
    return ok ? 'verified' : 'invalid';
  } catch (err) {
    if (err instanceof VerificationUnavailable) return 'unavailable';
    return 'invalid';
  }
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * Checks the Ed25519 signature of a tree head with the log's public key (SPKI PEM). The signed
 * bytes are the canonical JSON of `{logId, rootHash, timestamp, treeSize, type}`. Browsers
 * without Ed25519 in WebCrypto answer 'unavailable' (the offline check still works).
 */
export async function checkHeadSignature(
  head: SignedTreeHead,
  publicKeyPem: string,
): Promise<ProofOutcome> {
  try {
    const der = base64ToBytes(
      publicKeyPem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, ''),
    );
    const key = await subtle().importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
    const message = new TextEncoder().encode(
      jcs({
        logId: head.logId,
        rootHash: head.rootHash,
        timestamp: head.timestamp,
        treeSize: head.treeSize,
        type: 'hygie-sth/v1',
      }),
    );
    const ok = await subtle().verify(
      { name: 'Ed25519' },
      key,
      base64ToBytes(head.signature),
      message,
    );
    return ok ? 'verified' : 'invalid';
  } catch (err) {
    // A browser that does not know Ed25519 throws NotSupportedError: not a forged head.
    if (err instanceof VerificationUnavailable) return 'unavailable';
    if (err instanceof DOMException && err.name === 'NotSupportedError') return 'unavailable';
    return 'invalid';
  }
}
