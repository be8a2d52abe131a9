/**
 * `hygie audit verify|export|head|prove|check-proof`: the transparency log (issue #6).
 *
 * - `verify` checks an export offline against the log's public key — no database, no secret —
 *   and exits 1 when anything is wrong (each problem printed);
 * - `export` writes the log of a data directory as JSON Lines (what `/api/v1/transparency/export`
 *   serves);
 * - `head` prints the latest signed tree head;
 * - `prove` prints an inclusion or consistency proof against a signed head, and `check-proof`
 *   checks one offline with the public key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError, type Command } from 'commander';
import type { KeyObject } from 'node:crypto';
import {
  HygieError,
  encodeLogEntry,
  leafHash,
  parseLogEntry,
  publicKeyFromPem,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
} from '@hygie/core';
import type { LogEntry, SignedTreeHead } from '@hygie/core';
import { TRANSPARENCY_SQLITE_FILE, openTransparencyLog, verifyLogExport } from '@hygie/governance';
import type { TransparencyLog } from '@hygie/governance';
import { DEFAULT_DATA_DIR, loadKeyRing } from '@hygie/keys';
import { integerArg } from '../arguments.js';
import { keySourceOf } from './ingest-command.js';

interface LogOptions {
  dataDir: string;
  keyFile?: string;
  keyShares?: string;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new HygieError('HYG_INVALID_ARGUMENT', `cannot read the ${what} ${file}`, {
      argument: what,
    });
  }
}

/** A tree head kept from before: a raw signed head, or the `/transparency/head` answer. */
function readSince(file: string): SignedTreeHead {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(file, 'tree head file'));
  } catch (e) {
    if (e instanceof HygieError) throw e;
    throw new HygieError('HYG_INVALID_ARGUMENT', `${file} is not JSON`, { argument: 'since' });
  }
  const o = parsed as { head?: unknown };
  const head = (o !== null && typeof o === 'object' && 'head' in o ? o.head : parsed) as
    SignedTreeHead | null | undefined;
  if (head === null || head === undefined || typeof head !== 'object') {
    throw new HygieError('HYG_INVALID_ARGUMENT', `${file} holds no signed tree head`, {
      argument: 'since',
    });
  }
  return head;
}

/** Opens the log of a data directory with the key ring's signing seed (then wipes the key). */
async function openLog(opts: LogOptions): Promise<TransparencyLog> {
  const file = join(opts.dataDir, TRANSPARENCY_SQLITE_FILE);
  if (!existsSync(file)) {
    throw new HygieError('HYG_NOT_FOUND', `no transparency log at ${file}`, {
      argument: 'data-dir',
    });
  }
  const ring = await loadKeyRing(keySourceOf(opts));
  try {
    return openTransparencyLog({ file }, { signingSeed: ring.logSigningSeed() });
  } finally {
    ring.destroy();
  }
}

function withKeyOptions(c: Command): Command {
  return c
    .option('--data-dir <dir>', 'data directory holding transparency.sqlite', DEFAULT_DATA_DIR)
    .option('--key-file <path>', 'master key file (default ./hygie-keys/master.key)')
    .option('--key-shares <files>', 'comma-separated trustee share files instead of a key file');
}

/** Registers `hygie audit`. */
export function registerAudit(program: Command): void {
  const audit = program
    .command('audit')
    .description('the public transparency log: verify an export, export the log, latest head');

  audit
    .command('verify')
    .description('verify a log export offline with the public key (no database, no secret)')
    .requiredOption('--log <file>', 'log export (JSON Lines, from /api/v1/transparency/export)')
    .requiredOption('--pubkey <file>', 'public key PEM (from /api/v1/transparency/public-key)')
    .option('--since <file>', 'a signed tree head kept from before: the log must extend it')
    .action(async (opts: { log: string; pubkey: string; since?: string }) => {
      const publicKeyPem = readText(opts.pubkey, 'public key file');
      const since = opts.since !== undefined ? readSince(opts.since) : undefined;
      const r = await verifyLogExport(opts.log, {
        publicKeyPem,
        ...(since !== undefined ? { since } : {}),
      });
      if (!r.ok) {
        for (const p of r.problems) process.stdout.write(`PROBLEM: ${p}\n`);
        process.stdout.write(`FAILED: ${r.problems.length} problem(s) in ${opts.log}\n`);
        throw new CommanderError(1, 'hygie.audit.verify', 'the log export does not verify');
      }
      const h = r.latestHead;
      const latest =
        h === null
          ? 'none'
          : `size ${h.treeSize}, root ${h.rootHash}, signed ${h.timestamp} (log ${h.logId})`;
      process.stdout.write(
        `OK: ${r.treeSize} entries, ${r.heads} signed heads, latest head ${latest}\n`,
      );
    });

  withKeyOptions(
    audit
      .command('export')
      .description('write the transparency log of a data directory as JSON Lines')
      .requiredOption('--out <file>', 'export file to write'),
  ).action(async (opts: LogOptions & { out: string }) => {
    const log = await openLog(opts);
    try {
      const s = await log.export(opts.out);
      process.stdout.write(
        `Exported ${s.entries} entries and ${s.heads} signed heads to ${opts.out}\n`,
      );
    } finally {
      log.close();
    }
  });

  withKeyOptions(
    audit.command('head').description('print the latest signed tree head (JSON)'),
  ).action(async (opts: LogOptions) => {
    const log = await openLog(opts);
    try {
      const head = log.latestHead();
      if (head === null) {
        throw new HygieError('HYG_NOT_FOUND', 'the transparency log has no signed head yet');
      }
      process.stdout.write(JSON.stringify(head, null, 2) + '\n');
    } finally {
      log.close();
    }
  });

  withKeyOptions(
    audit
      .command('prove')
      .description(
        'print a proof against a signed head: --index I (entry I is in the log) or --from M ' +
          '(the log of size M is a prefix of the head)',
      )
      .option(
        '--index <i>',
        'entry index for an inclusion proof',
        integerArg(0, Number.MAX_SAFE_INTEGER),
      )
      .option(
        '--from <m>',
        'earlier tree size for a consistency proof',
        integerArg(1, Number.MAX_SAFE_INTEGER),
      )
      .option(
        '--tree-size <n>',
        'size of the signed head to prove against (default: latest)',
        integerArg(1, Number.MAX_SAFE_INTEGER),
      ),
  ).action(async (opts: LogOptions & { index?: number; from?: number; treeSize?: number }) => {
    if ((opts.index === undefined) === (opts.from === undefined)) {
      throw new HygieError('HYG_INVALID_ARGUMENT', '--index or --from: give exactly one', {
        argument: 'index',
      });
    }
    const log = await openLog(opts);
    try {
      const head = opts.treeSize === undefined ? log.latestHead() : log.headAt(opts.treeSize);
      if (head === null) {
        throw new HygieError('HYG_NOT_FOUND', 'no signed head of that size', {
          argument: 'tree-size',
        });
      }
      const proof: LogProof =
        opts.index !== undefined
          ? {
              type: 'inclusion',
              index: opts.index,
              entry: entryAt(log, opts.index),
              proof: log.inclusionProof(opts.index, head.treeSize),
              head,
            }
          : {
              type: 'consistency',
              first: opts.from as number,
              firstRootHash: log.rootAt(opts.from as number),
              proof: log.consistencyProof(opts.from as number, head.treeSize),
              head,
            };
      process.stdout.write(JSON.stringify(proof, null, 2) + '\n');
    } finally {
      log.close();
    }
  });

  audit
    .command('check-proof')
    .description('check a proof from `hygie audit prove` offline with the public key')
    .requiredOption('--proof <file>', 'proof (JSON)')
    .requiredOption('--pubkey <file>', 'public key PEM (from /api/v1/transparency/public-key)')
    .action((opts: { proof: string; pubkey: string }) => {
      const key = publicKeyFromPem(readText(opts.pubkey, 'public key file'));
      let proof: LogProof;
      try {
        proof = JSON.parse(readText(opts.proof, 'proof file')) as LogProof;
      } catch (e) {
        if (e instanceof HygieError) throw e;
        throw new HygieError('HYG_INVALID_ARGUMENT', `${opts.proof} is not JSON`, {
          argument: 'proof',
        });
      }
      const problem = checkProof(proof, key);
      if (problem !== null) {
        process.stdout.write(`FAILED: ${problem}\n`);
        throw new CommanderError(1, 'hygie.audit.check-proof', problem);
      }
      process.stdout.write(
        proof.type === 'inclusion'
          ? `OK: entry ${proof.index} is in the log of size ${proof.head.treeSize} signed ${proof.head.timestamp}\n`
          : `OK: the log of size ${proof.first} is a prefix of the log of size ${proof.head.treeSize} signed ${proof.head.timestamp}\n`,
      );
    });
}

/** A proof as `hygie audit prove` prints it and `check-proof` reads it. */
type LogProof =
  | {
      type: 'inclusion';
      index: number;
      entry: LogEntry;
      proof: string[];
      head: SignedTreeHead;
    }
  | {
      type: 'consistency';
      first: number;
      firstRootHash: string;
      proof: string[];
      head: SignedTreeHead;
    };

function entryAt(log: TransparencyLog, index: number): LogEntry {
  const [e] = log.entries(index, index + 1);
  if (e === undefined) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `no entry ${index} in the log`, {
      argument: 'index',
    });
  }
  return e.entry;
}

/** Null when the proof holds: signed head, then the RFC 9162 verification. */
function checkProof(p: LogProof, key: KeyObject): string | null {
  if (p === null || typeof p !== 'object' || typeof p.head !== 'object' || p.head === null) {
    return 'not a proof from hygie audit prove';
  }
  if (!verifyTreeHead(p.head, key)) return 'the tree head is not signed by this key';
  const root = Buffer.from(p.head.rootHash, 'hex');
  const hashes = Array.isArray(p.proof) ? p.proof.map((h) => Buffer.from(String(h), 'hex')) : [];
  if (p.type === 'inclusion') {
    const leaf = leafHash(encodeLogEntry(parseLogEntry(p.entry)));
    return verifyInclusion(leaf, p.index, p.head.treeSize, hashes, root)
      ? null
      : `entry ${p.index} is not proved to be in the log of size ${p.head.treeSize}`;
  }
  if (p.type === 'consistency') {
    const first = Buffer.from(p.firstRootHash, 'hex');
    return verifyConsistency(p.first, p.head.treeSize, first, root, hashes)
      ? null
      : `the log of size ${p.first} (root ${p.firstRootHash}) is not proved a prefix of the head`;
  }
  return 'unknown proof type';
}
