#!/usr/bin/env node
// Benchmark of `hygie synth` (not a test): prints persons/s, rows/s, MB/s and peak RSS for an SNDS
// run (default 1,000,000 persons × 2019–2024) and a FHIR run (default 100,000 persons), each in a
// fresh process so peak memory is the run's own. Floors from the foundation issue: ≥ 500,000 SNDS
// rows/s overall and ≤ 1.5 GiB peak RSS.
//
// Usage: npm run build && node scripts/bench-synth.mjs [--snds N] [--fhir N] [--out DIR] [--keep]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

if (args[0] === '--child') {
  // Child: one run, JSON result on stdout.
  const { synthesise } = await import('@hygie/synth');
  const [persons, format, out] = [Number(args[1]), args[2], args[3]];
  const s = await synthesise({ persons, from: 2019, to: 2024, seed: 'bench', format, out });
  const bytes = s.files.reduce((a, f) => a + f.bytes, 0);
  process.stdout.write(
    JSON.stringify({
      persons: s.persons,
      rows: format === 'fhir' ? s.fhirResources : s.sndsRows,
      bytes,
      seconds: s.seconds,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    }),
  );
  process.exit(0);
}

const base = opt('--out', undefined) ?? mkdtempSync(join(tmpdir(), 'hygie-bench-'));
const runs = [
  { label: 'SNDS', format: 'snds', persons: Number(opt('--snds', '1000000')) },
  { label: 'FHIR', format: 'fhir', persons: Number(opt('--fhir', '100000')) },
].filter((r) => r.persons > 0);

console.log(
  `hygie synth benchmark — ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}, 2019–2024`,
);
const results = [];
for (const r of runs) {
  const out = join(base, r.format);
  const child = spawnSync(
    process.execPath,
    [new URL(import.meta.url).pathname, '--child', String(r.persons), r.format, out],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (child.status !== 0) {
    console.error(`${r.label} run failed`);
    process.exit(1);
  }
  const m = JSON.parse(child.stdout);
  results.push({ ...r, ...m });
  console.log(
    `${r.label.padEnd(5)} ${m.persons.toLocaleString('en-GB')} persons in ${m.seconds.toFixed(1)} s: ` +
      `${Math.round(m.persons / m.seconds).toLocaleString('en-GB')} persons/s, ` +
      `${Math.round(m.rows / m.seconds).toLocaleString('en-GB')} ${r.format === 'fhir' ? 'resources' : 'rows'}/s ` +
      `(${m.rows.toLocaleString('en-GB')} in all), ${(m.bytes / 1e6 / m.seconds).toFixed(0)} MB/s ` +
      `(${(m.bytes / 1e9).toFixed(2)} GB), peak RSS ${(m.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
  );
  if (!args.includes('--keep')) rmSync(out, { recursive: true, force: true });
}
const snds = results.find((r) => r.format === 'snds');
if (snds) {
  const rowsPerSecond = snds.rows / snds.seconds;
  console.log(
    `floor ≥ 500,000 SNDS rows/s: ${rowsPerSecond >= 500_000 ? 'met' : 'NOT met'} (${Math.round(rowsPerSecond).toLocaleString('en-GB')})`,
  );
}
const peak = Math.max(...results.map((r) => r.peakRssBytes));
console.log(
  `floor ≤ 1.5 GiB peak RSS: ${peak <= 1.5 * 2 ** 30 ? 'met' : 'NOT met'} (${(peak / 2 ** 30).toFixed(2)} GiB)`,
);
if (!args.includes('--keep') && opt('--out', undefined) === undefined)
  rmSync(base, { recursive: true, force: true });
