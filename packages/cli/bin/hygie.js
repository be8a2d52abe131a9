#!/usr/bin/env node
// The `hygie` command: a thin layer over the Hygie packages (see packages/cli/src/main.ts).
import { main } from '../dist/src/main.js';

// Output piped into a command that stops reading early (`hygie … | head`) is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await main(process.argv);
