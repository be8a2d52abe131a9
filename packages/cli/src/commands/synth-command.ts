/**
 * `hygie synth`: writes a deterministic synthetic national population in the source formats.
 */
import type { Command } from 'commander';
import { SYNTH_FORMATS, synthesise, type SynthSummary } from '@hygie/synth';
import { choiceArg, fractionArg, integerArg } from '../arguments.js';
import { count, megabytes } from '../format.js';
import { createProgress } from '../progress.js';

/** Options shared by `synth` and `demo`. */
export interface SynthCliOptions {
  persons: number;
  from: number;
  to: number;
  seed: string;
  format: (typeof SYNTH_FORMATS)[number];
  workers?: number;
  fhirShare: number;
  /** Source key file: write source pseudonyms instead of NIRs. */
  sourceKey?: string;
  quiet?: boolean;
}

/** Runs the generator with a progress display and returns its summary. */
export async function runSynth(opts: SynthCliOptions, out: string): Promise<SynthSummary> {
  const progress = createProgress(opts.quiet === true);
  try {
    return await synthesise(
      {
        persons: opts.persons,
        from: opts.from,
        to: opts.to,
        seed: opts.seed,
        format: opts.format,
        fhirShare: opts.fhirShare,
        out,
        workers: opts.workers,
        sourceKeyFile: opts.sourceKey,
      },
      (p) => progress.update(p.phase, p.done, p.total),
    );
  } finally {
    progress.stop();
  }
}

/** Prints a run summary. */
export function printSynthSummary(s: SynthSummary, out: string): void {
  const lines = [
    `Synthetic population written to ${out}`,
    `  persons ${count(s.persons)} (${count(s.newborns)} born in the period), deaths ${count(s.deaths)}`,
    `  ${s.options.format !== 'fhir' ? `SNDS rows ${count(s.sndsRows)}` : ''}${s.options.format === 'both' ? ', ' : ''}${s.options.format !== 'snds' ? `FHIR resources ${count(s.fhirResources)}` : ''}`,
    `  ${s.seconds.toFixed(1)} s, ${count((s.sndsRows + s.fhirResources) / s.seconds)} rows/s, ${megabytes(s.files.reduce((a, f) => a + f.bytes, 0) / s.seconds)}/s`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** Adds the generator options to a command. */
export function addSynthOptions(
  cmd: Command,
  defaultPersons: number,
  defaultFhirShare: number,
): Command {
  return cmd
    .option(
      '--persons <n>',
      'persons alive at the start of the period (births are added)',
      integerArg(1, 35_000_000),
      defaultPersons,
    )
    .option('--from <year>', 'first year of the period', integerArg(2000, 2100), 2019)
    .option('--to <year>', 'last year of the period', integerArg(2000, 2100), 2024)
    .option('--seed <text>', 'random seed: the same arguments give byte-identical files', 'hygie')
    .option(
      '--format <format>',
      `output format: ${SYNTH_FORMATS.join(', ')}`,
      choiceArg(SYNTH_FORMATS),
      'both',
    )
    .option(
      '--fhir-share <fraction>',
      'share of persons also exported as FHIR (a hospital export covers part of the population)',
      fractionArg,
      defaultFhirShare,
    )
    .option(
      '--source-key <file>',
      'source key file (hygie keys export-source-key): write an extract pseudonymised at the source',
    )
    .option(
      '--workers <n>',
      'worker threads (default: one per CPU, at most 8; 0 = none)',
      integerArg(0, 64),
    )
    .option('-q, --quiet', 'no progress display');
}

/** Registers `hygie synth`. */
export function registerSynth(program: Command): void {
  addSynthOptions(
    program
      .command('synth')
      .description('generate a synthetic national population as an SNDS extract and/or FHIR NDJSON')
      .requiredOption(
        '--out <dir>',
        'output directory (snds/, fhir/, ground-truth.json, manifest.json)',
      ),
    100_000,
    1,
  ).action(async (opts: SynthCliOptions & { out: string }) => {
    const summary = await runSynth(opts, opts.out);
    printSynthSummary(summary, opts.out);
  });
}
