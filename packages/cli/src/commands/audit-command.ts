/**
 * `hygie audit verify|export|head`: the transparency log (issue #6).
 *
 * - `verify` checks an export offline against the log's public key — no database, no secret —
 *   and exits 1 when anything is wrong (each problem printed);
 * - `export` writes the log of a data directory as JSON Lines (what `/api/v1/transparency/export`
 *   serves);
 * - `head` prints the latest signed tree head.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError, type Command } from 'commander';
import { HygieError } from '@hygie/core';
import type { SignedTreeHead } from '@hygie/core';
import { TRANSPARENCY_SQLITE_FILE, openTransparencyLog, verifyLogExport } from '@hygie/governance';
import type { TransparencyLog } from '@hygie/governance';
import { DEFAULT_DATA_DIR, loadKeyRing } from '@hygie/keys';
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
}
