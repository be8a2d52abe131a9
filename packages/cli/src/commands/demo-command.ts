/**
 * `hygie demo`: the main job end to end with what exists — a synthetic national population in the
 * source formats, then the warehouse with its schema and French vocabularies. Ingestion and the
 * server join this command as they land.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createKeyFile } from '@hygie/keys';
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

/** Registers `hygie demo`. */
export function registerDemo(program: Command): void {
  addSynthOptions(
    program
      .command('demo')
      .description(
        'run the main job end to end: synthetic population → keys → warehouse → ingestion (→ server as it lands)',
      )
      .option(
        '--dir <dir>',
        'demo directory (source files in source/, keys in keys/, warehouse in data/)',
        './hygie-demo',
      ),
    100_000,
    0.1,
  ).action(async (opts: SynthCliOptions & { dir: string }) => {
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
      `\nDone in ${((performance.now() - t0) / 1000).toFixed(1)} s.\n` +
        `Source files: ${source}. Keys: ${join(dir, 'keys')}. Warehouse: ${dataDir}.\n` +
        `Inspect it with: hygie warehouse status --data-dir ${dataDir}\n` +
        'The platform server (governance, permits, analytics) is the next step of the roadmap.\n',
    );
  });
}
