/**
 * `hygie demo`: the main job end to end — a synthetic national population in the source formats,
 * the operator's key, the warehouse with its schema and French vocabularies, ingestion of the
 * SNDS extract and the hospital FHIR export, then the running platform with one demo account per
 * role and an approved project (until Ctrl-C; `--no-serve` stops after ingestion).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createKeyFile } from '@hygie/keys';
import { loadServerConfig, startPlatform } from '@hygie/server';
import { openDuckDbWarehouse } from '@hygie/warehouse';
import { count } from '../format.js';
import {
  addSynthOptions,
  printSynthSummary,
  runSynth,
  type SynthCliOptions,
} from './synth-command.js';
import { printIngestReport, runIngest } from './ingest-command.js';
import { initWarehouse } from './warehouse-command.js';
import { closeOnSignal } from './serve-command.js';
import { pickDemoCitizen, seedDemo } from '../demo-seed.js';
import type { DemoSeed } from '../demo-seed.js';

/** True when `dir` already holds a complete run with the same options (the demo reuses it). */
function sameRunExists(dir: string, opts: SynthCliOptions): boolean {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest) || !existsSync(join(dir, 'ground-truth.json'))) return false;
  try {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { options?: Record<string, unknown> };
    const o = m.options ?? {};
    return (
      o.persons === opts.persons &&
      o.from === opts.from &&
      o.to === opts.to &&
      o.seed === opts.seed &&
      o.format === opts.format &&
      o.fhirShare === opts.fhirShare
    );
  } catch {
    return false;
  }
}

/** Server options of `hygie demo`. */
interface DemoServeOptions {
  dir: string;
  host: string;
  port: string;
  serve: boolean;
}

function printSeed(seed: DemoSeed, url: string): void {
  const width = Math.max(...seed.accounts.map((a) => a.login.length));
  const lines = seed.accounts.map(
    (a) => `     ${a.login.padEnd(width)}  ${a.password}  ${a.roles.join(', ')} — ${a.displayName}`,
  );
  process.stdout.write(
    `   demo accounts (passwords drawn for this run; log in with POST ${url}/api/v1/auth/login):\n` +
      `${lines.join('\n')}\n` +
      `   approved project ${seed.projectId} with permit ${seed.permitId}` +
      `${seed.projectCreated ? ' (reviewed by relecteur-1 and relecteur-2)' : ' (from an earlier run)'}\n`,
  );
}

/** Step 6: seeds the governance store and runs the platform until Ctrl-C. */
async function serveDemo(
  opts: DemoServeOptions,
  where: { dataDir: string; keyFile: string; fhirDir: string; to: number },
): Promise<void> {
  process.stdout.write(
    '\n6. The platform: governance store, demo accounts per role, an approved project, the API\n',
  );
  const config = loadServerConfig({
    overrides: { host: opts.host, port: opts.port, dataDir: where.dataDir, logLevel: 'warn' },
  });
  let seed: DemoSeed | undefined;
  const platform = await startPlatform({
    config,
    keySource: { keyFile: where.keyFile, dataDir: where.dataDir },
    beforeListen: async ({ store }) => {
      seed = await seedDemo(store);
    },
  });
  if (seed) printSeed(seed, platform.url);
  const citizen = await pickDemoCitizen(where.fhirDir, where.to);
  if (citizen) {
    process.stdout.write(
      `   a citizen of the synthetic population (synthetic identifiers): ${citizen.name}, ` +
        `NIR ${citizen.nir}, born ${citizen.birthDate} — POST ${platform.url}/api/v1/citizen/identify\n`,
    );
  }
  process.stdout.write(
    `\nHygie is running at ${platform.url}\n` +
      `   API documentation: ${platform.url}/docs   public directory: ${platform.url}/api/v1/directory/projects\n` +
      'Stop with Ctrl-C.\n',
  );
  await closeOnSignal(platform);
}

/** Registers `hygie demo`. */
export function registerDemo(program: Command): void {
  addSynthOptions(
    program
      .command('demo')
      .description(
        'run the main job end to end: synthetic population → keys → warehouse → ingestion → running platform',
      )
      .option(
        '--dir <dir>',
        'demo directory (source files in source/, keys in keys/, warehouse in data/)',
        './hygie-demo',
      )
      .option('--host <host>', 'address the server listens on', '127.0.0.1')
      .option('--port <port>', 'port the server listens on', '8080')
      .option('--no-serve', 'stop after ingestion instead of running the server'),
    100_000,
    0.1,
  ).action(async (opts: SynthCliOptions & DemoServeOptions) => {
    const dir = resolve(opts.dir);
    const source = join(dir, 'source');
    const t0 = performance.now();
    process.stdout.write(
      `Hygie demo in ${dir}\n\n1. Synthetic national population (${count(opts.persons)} persons, ${opts.from}–${opts.to})\n`,
    );
    if (sameRunExists(source, opts)) {
      process.stdout.write(`   reusing ${source} (same options)\n`);
    } else {
      const s = await runSynth(opts, source);
      printSynthSummary(s, source);
    }
    const dataDir = join(dir, 'data');
    const keyFile = join(dir, 'keys', 'master.key');
    process.stdout.write("\n2. Keys: the operator's master key, outside the data directory\n");
    if (existsSync(keyFile)) {
      process.stdout.write(`   reusing ${keyFile}\n`);
    } else {
      const ring = createKeyFile(keyFile, { dataDir });
      process.stdout.write(`   master key ${ring.keyId} written to ${keyFile} (mode 0600)\n`);
      ring.destroy();
    }
    process.stdout.write('\n3. Warehouse (OMOP CDM on DuckDB) with the French vocabularies\n');
    const engine = await openDuckDbWarehouse({ dataDir });
    try {
      const r = await initWarehouse(engine, false);
      process.stdout.write(
        `   ${engine.location}: schema version ${r.schemaVersion}, ${count(r.concepts)} concepts\n`,
      );
    } finally {
      await engine.close();
    }
    const ingestOptions = {
      dataDir,
      keyFile,
      maxRejectRate: 0.01,
      memoryLimit: '768MB',
      quiet: opts.quiet === true,
    };
    process.stdout.write(
      '\n4. Ingestion of the SNDS extract: validated, pseudonymised at the border, published atomically\n',
    );
    printIngestReport(
      await runIngest([join(source, 'snds')], { ...ingestOptions, format: 'snds', source: 'snds' }),
    );
    if (opts.format !== 'snds') {
      process.stdout.write(
        '\n5. Ingestion of the hospital FHIR export: the same persons link by their NIR\n',
      );
      printIngestReport(
        await runIngest([join(source, 'fhir')], {
          ...ingestOptions,
          format: 'fhir',
          source: 'fhir-hospitals',
        }),
      );
    }
    process.stdout.write(
      `\nData ready in ${((performance.now() - t0) / 1000).toFixed(1)} s. ` +
        `Source files: ${source}. Keys: ${join(dir, 'keys')}. Warehouse: ${dataDir}.\n`,
    );
    if (!opts.serve) return;
    await serveDemo(opts, { dataDir, keyFile, fhirDir: join(source, 'fhir'), to: opts.to });
  });
}
