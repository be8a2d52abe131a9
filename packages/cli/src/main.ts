/**
 * The `hygie` command line: commander subcommands over the Hygie packages. Errors are printed as
 * one line with their stable code; the process exit code is returned rather than forced, so the
 * program can be driven from tests.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isHygieError } from '@hygie/core';
import { registerAccounts } from './commands/accounts-command.js';
import { registerAudit } from './commands/audit-command.js';
import { registerSurveillance } from './commands/surveillance-command.js';
import { registerDemo } from './commands/demo-command.js';
import { registerIngest } from './commands/ingest-command.js';
import { registerKeys } from './commands/keys-command.js';
import { registerQuery } from './commands/query-command.js';
import { registerServe } from './commands/serve-command.js';
import { registerSynth } from './commands/synth-command.js';
import { registerWarehouse } from './commands/warehouse-command.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** Builds the command tree. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('hygie')
    .description('Hygie — a sovereign, self-hostable health data platform')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerDemo(program);
  registerKeys(program);
  registerSynth(program);
  registerIngest(program);
  registerWarehouse(program);
  registerServe(program);
  registerAccounts(program);
  registerQuery(program);
  registerAudit(program);
  registerSurveillance(program);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  return program;
}

/** Runs the command line and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isHygieError(e)) {
      process.stderr.write(`hygie: ${e.message} [${e.code}]\n`);
      return e.code === 'HYG_INVALID_ARGUMENT' ? 2 : 1;
    }
    process.stderr.write(
      `hygie: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return 1;
  }
}
