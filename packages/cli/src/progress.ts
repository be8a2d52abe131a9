/**
 * Progress display for long operations: a bar on an interactive terminal, a plain line every few
 * seconds otherwise (logs, CI), nothing when quiet.
 */
import cliProgress from 'cli-progress';

/** A progress reporter for one phase at a time. */
export interface Progress {
  update(phase: string, done: number, total: number): void;
  stop(): void;
}

/** Creates a progress reporter writing to stderr. */
export function createProgress(quiet: boolean, unit = 'persons'): Progress {
  if (quiet) return { update: () => undefined, stop: () => undefined };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `{phase} |{bar}| {percentage}% {value}/{total} ${unit}, eta {eta_formatted}`,
        hideCursor: true,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    let current = '';
    return {
      update(phase, done, total) {
        if (phase !== current) {
          if (current) bar.stop();
          current = phase;
          bar.start(total, done, { phase: phase.padEnd(10) });
        } else bar.update(done, { phase: phase.padEnd(10) });
      },
      stop() {
        if (current) bar.stop();
      },
    };
  }
  let last = 0;
  let lastPhase = '';
  return {
    update(phase, done, total) {
      const now = Date.now();
      if (phase !== lastPhase || now - last > 5000 || done === total) {
        last = now;
        lastPhase = phase;
        process.stderr.write(
          `${phase}: ${done}/${total} (${Math.floor((100 * done) / Math.max(1, total))}%)\n`,
        );
      }
    },
    stop: () => undefined,
  };
}
