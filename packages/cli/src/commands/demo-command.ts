/**
 * `hygie demo`: the main job end to end with what exists — a synthetic national population in the
 * source formats, then the warehouse with its schema and French vocabularies. Ingestion and the
 * server join this command as they land.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { openDuckDbWarehouse } from '@hygie/warehouse';
import { count } from '../format.js';
import {
  addSynthOptions,
  printSynthSummary,
  runSynth,
  type SynthCliOptions,
} from './synth-command.js';
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
        'run the main job end to end: synthetic population → warehouse (→ ingestion and server as they land)',
      )
      .option(
        '--dir <dir>',
        'demo directory (source files in source/, warehouse in data/)',
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
    process.stdout.write('\n2. Warehouse (OMOP CDM on DuckDB) with the French vocabularies\n');
    const engine = await openDuckDbWarehouse({ dataDir: join(dir, 'data') });
    try {
      const r = await initWarehouse(engine, false);
      const [e11] = await engine.query<{ n: number }>(
        `SELECT count(*) AS n FROM concept_ancestor a JOIN concept c ON c.concept_id = a.ancestor_concept_id
         WHERE c.vocabulary_id = $1 AND c.concept_code = $2 AND a.min_levels_of_separation > 0`,
        ['CIM10', 'E11'],
      );
      process.stdout.write(
        `   ${engine.location}: schema version ${r.schemaVersion}, ${count(r.concepts)} concepts ` +
          `(CIM-10 E11 "type 2 diabetes" has ${count(Number(e11?.n ?? 0))} descendant codes)\n`,
      );
    } finally {
      await engine.close();
    }
    process.stdout.write(
      `\nDone in ${((performance.now() - t0) / 1000).toFixed(1)} s.\n` +
        `Source files: ${source} (snds/, fhir/, ground-truth.json). Warehouse: ${join(dir, 'data')}.\n` +
        'This version stops here: ingestion into the warehouse and the platform server are the next steps of the roadmap.\n',
    );
  });
}
