/**
 * The offline verifier of a transparency log export (format in `log-export.ts`). It needs the
 * export and the log's public key — no database, no secret — and recomputes everything: each
 * entry's canonical form and leaf hash, the Merkle Tree Hash at every signed size, every
 * signature; it looks for forks (two signed roots for one size), for heads going back in time or
 * size, and, given a tree head the reader kept from an earlier visit (`since`), whether this
 * export still contains what that head signed.
 *
 * Memory: one Merkle frontier (O(log n)) plus one root per signed size. Heads come after the
 * entries, so from a file path the verifier reads twice: first the heads (their sizes), then
 * everything, recording the frontier's root when it reaches a signed size. A one-pass iterable
 * of lines cannot be re-read; it is verified the same way, except that roots of sizes learnt
 * only after the entries went by are recomputed from the leaf hashes kept on the way (32 bytes
 * an entry) — pass a path to stay within O(log n + heads).
 *
 * What the export alone cannot show: a log operator who drops the newest entries *together* with
 * every head that signed them serves a shorter export that is consistent in itself. A reader who
 * kept an earlier head catches that with `since`; that is why heads are published and kept.
 */
import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import {
  EMPTY_ROOT,
  HygieError,
  MerkleFrontier,
  jcs,
  leafHash,
  logIdOf,
  parseLogEntry,
  publicKeyFromPem,
  verifyTreeHead,
} from '@hygie/core';
import type { SignedTreeHead } from '@hygie/core';
import type { KeyObject } from 'node:crypto';
import { LOG_EXPORT_TYPE, exportEntryLine } from './log-export.js';

/** Options of `verifyLogExport`. */
export interface VerifyLogExportOptions {
  /** The log's public key (SPKI PEM), obtained independently of the export. */
  publicKeyPem: string;
  /** A tree head the reader kept from before: the export must extend what it signed. */
  since?: SignedTreeHead;
}

/** The verdict. */
export interface VerifyLogExportResult {
  /** True when no problem was found. */
  ok: boolean;
  /** Entries in the export. */
  treeSize: number;
  /** Signed tree heads in the export. */
  heads: number;
  /** What is wrong, one specific sentence each (at most 100, then a count). */
  problems: string[];
  /** Size of the latest valid head that matches the entries (0 if none): entries beyond are unsigned. */
  signedTreeSize: number;
  /** The latest valid, matching head — keep it as `since` for the next verification. */
  latestHead: SignedTreeHead | null;
}

/** Problems listed before the rest are only counted. */
const MAX_PROBLEMS = 100;

interface HeadRecord {
  sth: SignedTreeHead;
  line: number;
}

const ENTRY_PREFIX = '{"type":"entry",';

const short = (h: string): string => `${h.slice(0, 16)}…`;

/** Splits iterable elements into lines (an element may hold several) and drops empty ones. */
async function* linesOf(input: AsyncIterable<string> | string): AsyncGenerator<string> {
  if (typeof input === 'string') {
    const rl = createInterface({
      input: createReadStream(input, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const line of rl) if (line !== '') yield line;
    return;
  }
  for await (const element of input) {
    for (const line of String(element).split('\n')) {
      const l = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (l !== '') yield l;
    }
  }
}

function asHead(o: Record<string, unknown>): SignedTreeHead {
  return {
    logId: o.logId as string,
    treeSize: o.treeSize as number,
    rootHash: o.rootHash as string,
    timestamp: o.timestamp as string,
    signature: o.signature as string,
  };
}

/** Sizes signed by the heads of a file (first pass: entry lines are recognised, not parsed). */
async function signedSizes(path: string): Promise<Set<number>> {
  const sizes = new Set<number>();
  for await (const line of linesOf(path)) {
    if (line.startsWith(ENTRY_PREFIX)) continue;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (o?.type === 'sth' && Number.isSafeInteger(o.treeSize)) sizes.add(o.treeSize as number);
    } catch {
      // Reported by the second pass.
    }
  }
  return sizes;
}

/**
 * Verifies an export (a file path, or an iterable of its lines) against the log's public key.
 * Never throws for a bad export: every defect is a problem in the verdict. A file that cannot be
 * read is HYG_NOT_FOUND.
 */
export async function verifyLogExport(
  input: AsyncIterable<string> | string,
  options: VerifyLogExportOptions,
): Promise<VerifyLogExportResult> {
  const problems: string[] = [];
  let dropped = 0;
  const problem = (s: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(s);
    else dropped++;
  };

  let key: KeyObject;
  let expectedLogId: string;
  try {
    key = publicKeyFromPem(options.publicKeyPem);
    expectedLogId = logIdOf(key);
  } catch {
    return {
      ok: false,
      treeSize: 0,
      heads: 0,
      problems: ['the expected public key is not an Ed25519 public key in PEM form'],
      signedTreeSize: 0,
      latestHead: null,
    };
  }

  if (typeof input === 'string') {
    // A missing or unreadable file is the caller's problem, not a verdict on a log.
    try {
      await access(input, constants.R_OK);
    } catch (e) {
      throw new HygieError(
        'HYG_NOT_FOUND',
        'the log export file cannot be read',
        { reason: 'export-file' },
        { cause: e },
      );
    }
  }

  const since = options.since;
  const wanted = typeof input === 'string' ? await signedSizes(input) : new Set<number>();
  if (since !== undefined && Number.isSafeInteger(since.treeSize)) wanted.add(since.treeSize);
  const roots = new Map<number, string>([[0, EMPTY_ROOT.toString('hex')]]);
  // One-pass input only: leaf hashes kept to compute roots of sizes learnt late.
  const kept: Buffer[] | null = typeof input === 'string' ? null : [];

  const frontier = new MerkleFrontier();
  const heads: HeadRecord[] = [];
  let lineNo = 0;
  let indexOffset = 0;

  for await (const line of linesOf(input)) {
    lineNo++;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
      if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new Error('not an object');
    } catch {
      problem(
        lineNo === 1
          ? 'line 1: not a JSON object: this is not a Hygie log export'
          : `line ${lineNo}: not a JSON object`,
      );
      continue;
    }
    if (lineNo === 1) {
      if (o.type !== LOG_EXPORT_TYPE) {
        problem(`line 1: not a ${LOG_EXPORT_TYPE} header: this is not a Hygie log export`);
      } else {
        checkHeader(o, expectedLogId, problem);
        continue;
      }
    }
    switch (o.type) {
      case 'entry': {
        const pos = frontier.size;
        if (heads.length > 0) {
          problem(`line ${lineNo}: entry ${pos} comes after the tree heads (out of order)`);
        }
        // Report where the numbering jumps, not every line after a removed or inserted entry.
        const offset = typeof o.index === 'number' ? o.index - pos : NaN;
        if (o.index !== pos && offset !== indexOffset) {
          problem(
            `line ${lineNo}: entry index ${JSON.stringify(o.index)} where ${pos} was expected ` +
              '(an entry was removed, inserted, duplicated or moved)',
          );
        }
        indexOffset = offset;
        let canonical: string;
        try {
          canonical = jcs(o.entry);
        } catch {
          problem(`entry ${pos}: cannot be put in canonical form (RFC 8785)`);
          canonical = JSON.stringify(o.entry) ?? 'null';
        }
        if (line !== exportEntryLine(o.index as number, canonical)) {
          problem(
            `entry ${pos}: its line is not in canonical form (RFC 8785): ` +
              'the text was rewritten; its leaf hash is computed from the canonical form',
          );
        }
        try {
          parseLogEntry(o.entry);
        } catch (e) {
          problem(`entry ${pos}: not a valid log entry (${(e as Error).message})`);
        }
        const leaf = leafHash(Buffer.from(canonical, 'utf8'));
        frontier.append(leaf);
        kept?.push(leaf);
        if (wanted.has(frontier.size)) roots.set(frontier.size, frontier.root().toString('hex'));
        break;
      }
      case 'sth':
        heads.push({ sth: asHead(o), line: lineNo });
        break;
      case LOG_EXPORT_TYPE:
        problem(`line ${lineNo}: a second export header`);
        break;
      default:
        problem(`line ${lineNo}: unknown record type ${JSON.stringify(o.type)}`);
    }
  }
  if (lineNo === 0) problem('the export is empty');

  const n = frontier.size;
  if (kept !== null) {
    // Roots of sizes met only in the heads: one replay over the kept leaves, O(n) in all.
    const late = new Set(heads.map((h) => h.sth.treeSize));
    if (since !== undefined) late.add(since.treeSize);
    const missing = [...late].filter(
      (s) => Number.isSafeInteger(s) && s > 0 && s <= n && !roots.has(s),
    );
    if (missing.length > 0) {
      const need = new Set(missing);
      const replay = new MerkleFrontier();
      for (const leaf of kept) {
        replay.append(leaf);
        if (need.has(replay.size)) roots.set(replay.size, replay.root().toString('hex'));
      }
    }
  }

  const verdict = checkHeads(heads, roots, n, key, expectedLogId, problem);
  if (since !== undefined) checkSince(since, roots, n, key, problem);
  if (dropped > 0) problems.push(`… and ${dropped} more problems`);
  return {
    ok: problems.length === 0,
    treeSize: n,
    heads: heads.length,
    problems,
    signedTreeSize: verdict.latest?.treeSize ?? 0,
    latestHead: verdict.latest,
  };
}

function checkHeader(
  o: Record<string, unknown>,
  expectedLogId: string,
  problem: (s: string) => void,
): void {
  let headerLogId: string | null = null;
  try {
    headerLogId = logIdOf(publicKeyFromPem(o.publicKey as string));
  } catch {
    problem('header: the public key it carries is not an Ed25519 public key');
  }
  if (headerLogId !== null && headerLogId !== expectedLogId) {
    problem(
      `header: the export carries another public key (log ${short(headerLogId)}) than the ` +
        `expected one (log ${short(expectedLogId)}): the export was re-signed or is of another log`,
    );
  }
  if (o.logId !== expectedLogId) {
    problem(
      `header: log id ${JSON.stringify(o.logId)} is not the expected log ${short(expectedLogId)}`,
    );
  }
}

function describe(sth: SignedTreeHead): string {
  return `the tree head of size ${String(sth.treeSize)} signed at ${String(sth.timestamp)}`;
}

function checkHeads(
  heads: readonly HeadRecord[],
  roots: ReadonlyMap<number, string>,
  n: number,
  key: KeyObject,
  expectedLogId: string,
  problem: (s: string) => void,
): { latest: SignedTreeHead | null } {
  if (heads.length === 0) {
    problem('the export holds no signed tree head: nothing in it is signed');
    return { latest: null };
  }
  const bySize = new Map<number, SignedTreeHead>();
  let previous: SignedTreeHead | null = null;
  let latest: SignedTreeHead | null = null;
  // Signed sizes whose root matches / does not match the entries, to locate a change.
  const matching: number[] = [];
  const mismatching: number[] = [];
  for (const { sth, line } of heads) {
    const what = `line ${line}: ${describe(sth)}`;
    if (!verifyTreeHead(sth, key)) {
      problem(
        sth.logId !== expectedLogId
          ? `${what} names another log (${short(String(sth.logId))}): its signature is not the log's`
          : `${what}: the signature does not verify with the log's public key`,
      );
      continue;
    }
    if (previous !== null) {
      if (sth.timestamp <= previous.timestamp) {
        problem(`${what} is not later than the head before it (${previous.timestamp})`);
      }
      if (sth.treeSize < previous.treeSize) {
        problem(
          `${what} is smaller than the earlier head of size ${previous.treeSize} ` +
            `(${previous.timestamp}): the log shrank`,
        );
      }
    }
    previous = sth;
    const twin = bySize.get(sth.treeSize);
    if (twin !== undefined && twin.rootHash !== sth.rootHash) {
      problem(
        `fork: two signed tree heads of size ${sth.treeSize} have different roots ` +
          `(${twin.timestamp}: ${short(twin.rootHash)}, ${sth.timestamp}: ${short(sth.rootHash)})`,
      );
    }
    if (twin === undefined) bySize.set(sth.treeSize, sth);
    if (sth.treeSize > n) {
      problem(
        `${what} covers ${sth.treeSize} entries but the export holds only ${n}: ` +
          'entries are missing (truncated export?)',
      );
      continue;
    }
    const root = roots.get(sth.treeSize);
    if (root !== sth.rootHash) {
      mismatching.push(sth.treeSize);
      problem(
        `${what}: its root does not match the first ${sth.treeSize} entries of the export ` +
          '(entries were changed, removed, inserted or reordered)',
      );
      continue;
    }
    matching.push(sth.treeSize);
    latest = sth;
  }
  if (mismatching.length > 0) {
    // The change lies between the last head that still matches and the first that does not.
    const firstBad = Math.min(...mismatching);
    const below = matching.filter((size) => size < firstBad);
    const lastGood = below.length > 0 ? Math.max(...below) : null;
    const from = lastGood ?? 0;
    const where =
      firstBad - from === 1
        ? `entry ${from} was changed`
        : `the first change lies in entries ${from}…${firstBad - 1}`;
    problem(
      lastGood === null
        ? `${where}: the head of size ${firstBad} is the earliest that does not match`
        : `${where}: the head of size ${lastGood} matches, the head of size ${firstBad} does not`,
    );
  }
  return { latest };
}

function checkSince(
  since: SignedTreeHead,
  roots: ReadonlyMap<number, string>,
  n: number,
  key: KeyObject,
  problem: (s: string) => void,
): void {
  const what = `the tree head you kept (size ${String(since.treeSize)}, ${String(since.timestamp)})`;
  if (!verifyTreeHead(since, key)) {
    problem(`${what} does not verify with the log's public key`);
    return;
  }
  if (since.treeSize > n) {
    problem(
      `${what} covers more entries than the export holds (${n}): ` +
        'the log was truncated or rolled back since',
    );
    return;
  }
  if (roots.get(since.treeSize) !== since.rootHash) {
    problem(
      `${what} is not consistent with this export: the first ${since.treeSize} entries have ` +
        'another root (a fork, or history rewritten since)',
    );
  }
}
