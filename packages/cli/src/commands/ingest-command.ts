/**
 * `hygie ingest --format snds|fhir|omop PATH...`: one batch from source files into the warehouse,
 * pseudonymised at the border with the operator's keys, with a progress display and a summary
 * table of what was read, loaded and quarantined.
 */
import { CommanderError } from 'commander';
import type { Command } from 'commander';
import { HygieError } from '@hygie/core';
import {
  createFhirConnector,
  createOmopConnector,
  createSndsConnector,
  runBatch,
  type Connector,
  type IngestReport,
} from '@hygie/ingest';
import { DEFAULT_KEY_FILE, loadKeyRing, type KeySource } from '@hygie/keys';
import { openDuckDbWarehouse } from '@hygie/warehouse';
import { choiceArg, fractionArg } from '../arguments.js';
import { count } from '../format.js';
import { createProgress } from '../progress.js';
import { initWarehouse } from './warehouse-command.js';

/** Input formats. */
export const INGEST_FORMATS = ['snds', 'fhir', 'omop'] as const;

/** The connector of a format. */
export function connectorFor(format: (typeof INGEST_FORMATS)[number]): Connector {
  switch (format) {
    case 'snds':
      return createSndsConnector();
    case 'fhir':
      return createFhirConnector();
    case 'omop':
      return createOmopConnector();
    default:
      throw new HygieError(
        'HYG_INVALID_ARGUMENT',
        `--format: the ${format} connector is not available yet`,
        { argument: 'format' },
      );
  }
}

/** Options of `hygie ingest`. */
export interface IngestCliOptions {
  format: (typeof INGEST_FORMATS)[number];
  dataDir: string;
  keyFile?: string;
  keyShares?: string;
  source?: string;
  maxRejectRate: number;
  memoryLimit: string;
  quiet?: boolean;
}

/** The key source named by the options (a key file, or trustee shares). */
export function keySourceOf(opts: {
  keyFile?: string;
  keyShares?: string;
  dataDir: string;
}): KeySource {
  if (opts.keyShares)
    return {
      shareFiles: opts.keyShares.split(',').filter((f) => f.length > 0),
      dataDir: opts.dataDir,
    };
  return { keyFile: opts.keyFile ?? DEFAULT_KEY_FILE, dataDir: opts.dataDir };
}

/** Runs one batch with progress display. */
export async function runIngest(
  paths: readonly string[],
  opts: IngestCliOptions,
): Promise<IngestReport> {
  const keys = await loadKeyRing(keySourceOf(opts));
  const engine = await openDuckDbWarehouse({
    dataDir: opts.dataDir,
    memoryLimit: opts.memoryLimit,
  });
  const progress = createProgress(opts.quiet === true, 'files');
  try {
    await initWarehouse(engine, false);
    return await runBatch(engine, keys, {
      connector: connectorFor(opts.format),
      paths,
      source: opts.source,
      maxRejectRate: opts.maxRejectRate,
      onProgress: (p) => progress.update(p.phase, p.done, p.total),
    });
  } finally {
    progress.stop();
    await engine.close();
  }
}

/** Prints the summary table of a batch. */
export function printIngestReport(r: IngestReport): void {
  const out: string[] = [];
  const seconds = (r.timingsMs.total ?? 0) / 1000;
  if (r.status === 'noop') {
    out.push(`Already ingested: these files were published by batch ${r.batchId}. Nothing to do.`);
    process.stdout.write(out.join('\n') + '\n');
    return;
  }
  out.push(
    `Batch ${r.batchId} (${r.format}, source ${r.source}): ${r.status.toUpperCase()}${r.error ? ` — ${r.error}` : ''}`,
  );
  out.push('');
  out.push(
    `  ${'source table'.padEnd(16)} ${'read'.padStart(12)} ${'loaded'.padStart(12)} ${'quarantined'.padStart(12)}`,
  );
  let read = 0;
  for (const [table, t] of Object.entries(r.tables).sort()) {
    out.push(
      `  ${table.padEnd(16)} ${count(t.read).padStart(12)} ${count(t.loaded).padStart(12)} ${count(t.quarantined).padStart(12)}`,
    );
    read += t.read;
  }
  out.push('');
  if (r.status === 'published') {
    out.push(
      `  warehouse rows: ${Object.entries(r.cdm)
        .map(([t, n]) => `${t} ${count(n)}`)
        .join(', ')}`,
    );
    if (r.persons)
      out.push(
        `  persons: ${count(r.persons.persons)} (pseudonymised with key ${r.keyId}, platform key version ${r.platformKeyVersion})`,
      );
  }
  out.push(
    `  ${count(read)} rows in ${seconds.toFixed(1)} s (${count(read / Math.max(seconds, 0.001))} rows/s)`,
  );
  if (r.tables && Object.values(r.tables).some((t) => t.quarantined > 0)) {
    out.push(
      '  quarantined rows (file, line, field, rule): SELECT * FROM hygie_quarantine WHERE batch_id = ' +
        `'${r.batchId}'`,
    );
  }
  process.stdout.write(out.join('\n') + '\n');
}

/** Adds the key options to a command. */
export function addKeyOptions(cmd: Command): Command {
  return cmd
    .option('--key-file <path>', `master key file (default ${DEFAULT_KEY_FILE})`)
    .option(
      '--key-shares <files>',
      'start from trustee shares instead: comma-separated share files (k of n)',
    );
}

/** Registers `hygie ingest`. */
export function registerIngest(program: Command): void {
  addKeyOptions(
    program
      .command('ingest')
      .description(
        'ingest source files into the warehouse: validate, pseudonymise at the border, publish atomically',
      )
      .argument('<paths...>', 'files or directories')
      .requiredOption(
        '--format <format>',
        `input format: ${INGEST_FORMATS.join(', ')}`,
        choiceArg(INGEST_FORMATS),
      )
      .option('--data-dir <dir>', 'data directory', './hygie-data')
      .option(
        '--source <name>',
        'source name (namespace of its own identifiers); default: the format',
      )
      .option(
        '--max-reject-rate <fraction>',
        'largest share of quarantined rows that still publishes',
        fractionArg,
        0.01,
      )
      .option(
        '--memory-limit <size>',
        'engine memory limit (the process peaks about 0.8 GB above it)',
        '768MB',
      )
      .option('-q, --quiet', 'no progress display'),
  ).action(async (paths: string[], opts: IngestCliOptions) => {
    const report = await runIngest(paths, opts);
    printIngestReport(report);
    // Exit 1: a script chaining commands must see that nothing was published. Through the
    // program's error path (main returns the code), not process.exitCode, which main overrides.
    if (report.status === 'rejected' || report.status === 'failed') {
      throw new CommanderError(1, `hygie.ingest.${report.status}`, '');
    }
  });
}
