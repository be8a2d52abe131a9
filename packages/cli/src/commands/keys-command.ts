/**
 * `hygie keys init|status|split|combine|export-source-key`: custody of the master key. Output
 * shows key ids, versions, dates and file paths — never a secret (DESIGN.md §4.5).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { HygieError, SYSTEM_ACTOR } from '@hygie/core';
import type { AuditDetails } from '@hygie/core';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_KEY_FILE,
  bumpPlatformKeyVersion,
  combineShares,
  createKeyFile,
  exportSourceKey,
  loadKeyRing,
  readKeyFile,
  splitKeyFile,
  writeKeyFile,
  type KeyRing,
} from '@hygie/keys';
import { existsSync } from 'node:fs';
import { governanceSqliteFile, openGovernanceStore } from '@hygie/governance';
import { assertKeyId, rotatePersonIds, warehouseKeyVersion } from '@hygie/ingest';
import { migrate, openDuckDbWarehouse } from '@hygie/warehouse';
import { integerArg } from '../arguments.js';
import { operatorOperation } from '../operator-audit.js';

/** Parses a comma-separated list of files (`a.json,b.json`). */
function fileListArg(value: string): string[] {
  const files = value
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
  if (files.length === 0) throw new InvalidArgumentError('expected comma-separated file paths');
  return files;
}

function print(lines: readonly string[]): void {
  process.stdout.write(lines.join('\n') + '\n');
}

/** Runs `fn` with a key ring and wipes its secret afterwards. */
async function withRing<T>(ring: KeyRing | Promise<KeyRing>, fn: (r: KeyRing) => T): Promise<T> {
  const r = await ring;
  try {
    return fn(r);
  } finally {
    r.destroy();
  }
}

const KEEP_APART =
  'Keep it outside the data directory and out of its backups; consider `hygie keys split` among trustees.';

/** A key operation, recorded in the audit trail (`operatorOperation`) on the key's id. */
async function keyOperation<T>(
  dataDir: string,
  action: string,
  run: () => Promise<{
    readonly result: T;
    readonly keyId: string;
    readonly details?: AuditDetails;
  }>,
): Promise<T> {
  return operatorOperation(dataDir, action, 'key', async () => {
    const out = await run();
    return {
      result: out.result,
      targetId: out.keyId,
      ...(out.details ? { details: out.details } : {}),
    };
  });
}

/** Registers `hygie keys`. */
/**
 * Citizens' opt-outs hold platform person ids: they move to the next key version with the
 * warehouse, or they would stop matching its persons. Idempotent like the warehouse step: an
 * interrupted rotation is finished by running the command again.
 */
async function rotateOptOuts(ring: KeyRing, dataDir: string): Promise<void> {
  const file = governanceSqliteFile(dataDir);
  if (!existsSync(file)) return;
  const store = await openGovernanceStore({ kind: 'sqlite', file });
  try {
    await store.migrate();
    const v = await store.optOuts.platformKeyVersion();
    const k = ring.platformKeyVersion;
    if (v === k) {
      const next = ring.withPlatformKeyVersion(k + 1);
      const n = await store.optOuts.rotatePersonIds(SYSTEM_ACTOR, next.platformKey(k + 1), k + 1);
      next.destroy();
      process.stdout.write(
        `Opt-outs re-pseudonymised: ${n.toLocaleString('en-GB')} records, platform key version ${k} → ${k + 1}.\n`,
      );
    } else if (v !== k + 1) {
      throw new HygieError(
        'HYG_KEY_ERROR',
        `the opt-outs are under platform key version ${v}, the key file says ${k}: not the key of this platform?`,
      );
    }
  } finally {
    await store.close();
  }
}

/**
 * `hygie keys rotate`: re-pseudonymise the warehouse and the citizens' opt-outs under the next
 * platform key version, then record the new version in the key file.
 */
async function rotate(opts: {
  keyFile: string;
  dataDir: string;
}): Promise<{ result: undefined; keyId: string; details: AuditDetails }> {
  const ring = await loadKeyRing({ keyFile: opts.keyFile, dataDir: opts.dataDir });
  const engine = await openDuckDbWarehouse({ dataDir: opts.dataDir });
  try {
    await migrate(engine);
    // Another platform's key would pseudonymise this warehouse anew: refused before anything.
    await assertKeyId(engine, ring.keyId);
    const w = await warehouseKeyVersion(engine);
    const k = ring.platformKeyVersion;
    if (w !== null && w === k) {
      const next = ring.withPlatformKeyVersion(k + 1);
      const r = await rotatePersonIds(engine, ring.keyId, k + 1, next.platformKey(k + 1));
      next.destroy();
      const updated = Object.values(r.rows).reduce((a, b) => a + b, 0);
      process.stdout.write(
        `Warehouse re-pseudonymised: ${r.persons.toLocaleString('en-GB')} persons, ${updated.toLocaleString('en-GB')} rows, ` +
          `platform key version ${r.fromVersion} → ${r.toVersion} in ${(r.ms / 1000).toFixed(1)} s (recorded as ${r.batchId}).\n`,
      );
    } else if (w !== null && w !== k + 1) {
      throw new HygieError(
        'HYG_KEY_ERROR',
        `the warehouse is under platform key version ${w}, the key file says ${k}: not the key of this warehouse?`,
      );
    } else if (w === k + 1) {
      process.stdout.write(
        `The warehouse is already under version ${w} (an earlier rotation was interrupted): updating the key file.\n`,
      );
    }
  } finally {
    await engine.close();
  }
  await rotateOptOuts(ring, opts.dataDir);
  ring.destroy();
  const bumped = bumpPlatformKeyVersion(opts.keyFile);
  process.stdout.write(
    `Key file ${opts.keyFile} now at platform key version ${bumped.platformKeyVersion}.\n`,
  );
  const done = {
    result: undefined,
    keyId: bumped.keyId,
    details: { platformKeyVersion: bumped.platformKeyVersion },
  };
  bumped.destroy();
  return done;
}

export function registerKeys(program: Command): void {
  const keys = program
    .command('keys')
    .description('custody of the master key: create, inspect, split among trustees, recombine');

  keys
    .command('init')
    .description('create a new master key file (mode 0600, outside the data directory)')
    .option('--key-file <path>', 'key file to create', DEFAULT_KEY_FILE)
    .option('--data-dir <dir>', 'data directory the key must stay out of', DEFAULT_DATA_DIR)
    .option('--force', 'replace an existing key file (its pseudonyms are then lost)')
    .action(async (opts: { keyFile: string; dataDir: string; force?: boolean }) => {
      await keyOperation(opts.dataDir, 'key.init', () =>
        withRing(
          createKeyFile(opts.keyFile, { dataDir: opts.dataDir, force: opts.force === true }),
          (r) => {
            print([`Master key ${r.keyId} written to ${opts.keyFile} (mode 0600).`, KEEP_APART]);
            return {
              result: undefined,
              keyId: r.keyId,
              details: { replaced: opts.force === true },
            };
          },
        ),
      );
    });

  keys
    .command('status')
    .description('key id, platform key version and creation date of a key file or of shares')
    .option('--key-file <path>', 'master key file')
    .option(
      '--key-shares <files>',
      'comma-separated share files (at least the threshold)',
      fileListArg,
    )
    .option('--json', 'machine-readable output')
    .action(async (opts: { keyFile?: string; keyShares?: string[]; json?: boolean }) => {
      if ((opts.keyFile === undefined) === (opts.keyShares === undefined)) {
        throw new HygieError(
          'HYG_INVALID_ARGUMENT',
          '--key-file or --key-shares: give exactly one of them',
          { argument: 'key-file' },
        );
      }
      const source = opts.keyShares
        ? { shareFiles: opts.keyShares }
        : { keyFile: opts.keyFile as string };
      await withRing(loadKeyRing(source), (r) => {
        if (opts.json) {
          process.stdout.write(JSON.stringify(r, null, 2) + '\n');
          return;
        }
        print([
          `Key id                ${r.keyId}`,
          `Platform key version  ${r.platformKeyVersion}`,
          `Created               ${r.createdAt}`,
          `Loaded from           ${opts.keyShares ? `${opts.keyShares.length} shares` : opts.keyFile}`,
        ]);
      });
    });

  keys
    .command('split')
    .description('split the master key into n share files, any k of which recombine it')
    .option('--key-file <path>', 'master key file', DEFAULT_KEY_FILE)
    .requiredOption('--shares <n>', 'number of shares (one per trustee)', integerArg(2, 255))
    .requiredOption('--threshold <k>', 'shares needed to recombine the key', integerArg(2, 255))
    .requiredOption('--out <dir>', 'directory receiving the share files (created 0700)')
    .option('--data-dir <dir>', 'data directory the shares must stay out of', DEFAULT_DATA_DIR)
    .option('--force', 'replace existing share files')
    .action(
      async (opts: {
        keyFile: string;
        shares: number;
        threshold: number;
        out: string;
        dataDir: string;
        force?: boolean;
      }) => {
        const r = await keyOperation(opts.dataDir, 'key.split', async () => {
          const split = await splitKeyFile(opts.keyFile, {
            shares: opts.shares,
            threshold: opts.threshold,
            outDir: opts.out,
            dataDir: opts.dataDir,
            force: opts.force === true,
          });
          return {
            result: split,
            keyId: split.keyId,
            details: { shares: opts.shares, threshold: opts.threshold },
          };
        });
        print([
          `Master key ${r.keyId} split into ${opts.shares} shares, any ${opts.threshold} of which recombine it:`,
          ...r.files.map((f) => `  ${f}`),
          'Hand each share to a different trustee, then delete these copies.',
        ]);
      },
    );

  keys
    .command('combine')
    .description('recombine the master key from k share files into a key file')
    .requiredOption('--shares <files>', 'comma-separated share files', fileListArg)
    .requiredOption('--out <path>', 'key file to write (mode 0600)')
    .option('--data-dir <dir>', 'data directory the key must stay out of', DEFAULT_DATA_DIR)
    .option('--force', 'replace an existing key file')
    .action(async (opts: { shares: string[]; out: string; dataDir: string; force?: boolean }) => {
      await keyOperation(opts.dataDir, 'key.combine', () =>
        withRing(combineShares(opts.shares), (r) => {
          writeKeyFile(r, opts.out, { dataDir: opts.dataDir, force: opts.force === true });
          print([
            `Master key ${r.keyId} (platform key version ${r.platformKeyVersion}) recombined from ${opts.shares.length} shares and written to ${opts.out} (mode 0600).`,
            KEEP_APART,
          ]);
          return { result: undefined, keyId: r.keyId, details: { shares: opts.shares.length } };
        }),
      );
    });

  keys
    .command('export-source-key')
    .description(
      'write the source-level NIR key for a data producer that pseudonymises before sending',
    )
    .option('--key-file <path>', 'master key file', DEFAULT_KEY_FILE)
    .requiredOption('--out <file>', 'source key file to write (mode 0600)')
    .option('--force', 'replace an existing file')
    .option(
      '--data-dir <dir>',
      'data directory whose audit trail records the export',
      DEFAULT_DATA_DIR,
    )
    .action((opts: { keyFile: string; out: string; dataDir: string; force?: boolean }) =>
      keyOperation(opts.dataDir, 'key.export_source', () =>
        withRing(readKeyFile(opts.keyFile), (r) => {
          exportSourceKey(r, opts.out, { force: opts.force === true });
          print([
            `Source key of master key ${r.keyId} written to ${opts.out} (mode 0600).`,
            'It lets its holder pseudonymise NIRs (hygie synth --source-key) but not derive the master or platform keys.',
          ]);
          return { result: undefined, keyId: r.keyId };
        }),
      ),
    );

  keys
    .command('rotate')
    .description(
      'move the warehouse to the next platform key version: every person id re-pseudonymised in one transaction',
    )
    .option(
      '--key-file <path>',
      'master key file (rotation needs the key file, not shares)',
      DEFAULT_KEY_FILE,
    )
    .option('--data-dir <dir>', 'data directory of the warehouse', DEFAULT_DATA_DIR)
    .action((opts: { keyFile: string; dataDir: string }) =>
      keyOperation(opts.dataDir, 'key.rotate', () => rotate(opts)),
    );
}
