#!/usr/bin/env node
// Benchmark of SNDS ingestion (not a test): generates (or reuses) a synthetic SNDS extract, then
// in the same run measures (1) DuckDB's own read_csv of the same files into plain tables and
// (2) `hygie ingest` end to end (hash, validate every row against its table schema, pseudonymise,
// publish to the OMOP tables, quarantine, manifest), each in a fresh process so peak memory is its
// own. Prints rows/s, the ratio ingest / read_csv (floor 0.5×) and peak RSS (floor ≤ 2 GiB, not
// growing with input size: a second, smaller ingest is measured for comparison).
//
// Usage: npm run build && node scripts/bench-ingest.mjs [--persons 1000000] [--small 200000]
//        [--dir DIR (extracts kept and reused there)] [--memory-limit 1GB]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const memoryLimit = opt('--memory-limit', '768MB');

async function child(kind, dir, work) {
  const t0 = performance.now();
  if (kind === 'baseline') {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(join(work, 'baseline.duckdb'), {
      memory_limit: memoryLimit,
    });
    const c = await instance.connect();
    let rows = 0;
    for (const f of readdirSync(join(dir, 'snds')).sort()) {
      const table = f.replace(/\.csv$/, '');
      const path = join(dir, 'snds', f).replaceAll("'", "''");
      await c.run(
        `CREATE TABLE "${table}" AS SELECT * FROM read_csv('${path}', delim = ';', header = true)`,
      );
      const r = await c.runAndReadAll(`SELECT count(*) AS n FROM "${table}"`);
      rows += Number(r.getRowObjects()[0].n);
    }
    c.closeSync();
    return { rows, seconds: (performance.now() - t0) / 1000 };
  }
  const { createKeyFile } = await import('@hygie/keys');
  const { openDuckDbWarehouse, migrate, loadVocabulary } = await import('@hygie/warehouse');
  const { vocabularyDir } = await import('@hygie/reference');
  const { createSndsConnector, loadReferenceLocations, runBatch } = await import('@hygie/ingest');
  const keys = createKeyFile(join(work, 'keys', 'master.key'), { dataDir: join(work, 'data') });
  const engine = await openDuckDbWarehouse({ dataDir: join(work, 'data'), memoryLimit });
  await migrate(engine);
  await loadVocabulary(engine, vocabularyDir());
  await loadReferenceLocations(engine);
  const t1 = performance.now();
  const report = await runBatch(engine, keys, {
    connector: createSndsConnector(),
    paths: [join(dir, 'snds')],
  });
  const seconds = (performance.now() - t1) / 1000;
  await engine.close();
  const rows = Object.values(report.tables).reduce((a, t) => a + t.read, 0);
  return { rows, seconds, status: report.status, timings: report.timingsMs };
}

if (args[0] === '--child') {
  const r = await child(args[1], args[2], args[3]);
  process.stdout.write(
    JSON.stringify({ ...r, peakRssBytes: process.resourceUsage().maxRSS * 1024 }),
  );
  process.exit(0);
}

const base = opt('--dir', undefined) ?? mkdtempSync(join(tmpdir(), 'hygie-bench-ingest-'));
mkdirSync(base, { recursive: true });

function extract(persons) {
  const dir = join(base, `snds-${persons}`);
  const manifest = join(dir, 'manifest.json');
  if (
    existsSync(manifest) &&
    JSON.parse(readFileSync(manifest, 'utf8')).options?.persons === persons
  )
    return dir;
  console.log(`generating ${persons.toLocaleString('en-GB')} persons × 2019–2024 (SNDS)…`);
  const r = spawnSync(
    process.execPath,
    [
      'packages/cli/bin/hygie.js',
      'synth',
      '--persons',
      String(persons),
      '--format',
      'snds',
      '--seed',
      'bench',
      '--out',
      dir,
      '-q',
    ],
    {
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) process.exit(1);
  return dir;
}

function run(kind, dir) {
  const work = mkdtempSync(join(base, `${kind}-`));
  const r = spawnSync(
    process.execPath,
    [new URL(import.meta.url).pathname, '--child', kind, dir, work],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    },
  );
  rmSync(work, { recursive: true, force: true });
  if (r.status !== 0) {
    console.error(`${kind} failed`);
    process.exit(1);
  }
  return JSON.parse(r.stdout);
}

const mib = (b) => `${Math.round(b / 2 ** 20)} MiB`;
const persons = Number(opt('--persons', '1000000'));
const small = Number(opt('--small', '200000'));
console.log(
  `hygie ingest benchmark — ${cpus().length} CPUs, Node ${process.version}, DuckDB memory limit ${memoryLimit}`,
);
const dir = extract(persons);
const baseline = run('baseline', dir);
const ingest = run('ingest', dir);
const baseRate = baseline.rows / baseline.seconds;
const ingestRate = ingest.rows / ingest.seconds;
console.log(
  `read_csv into plain tables: ${baseline.rows.toLocaleString('en-GB')} rows in ${baseline.seconds.toFixed(1)} s = ${Math.round(baseRate).toLocaleString('en-GB')} rows/s, peak RSS ${mib(baseline.peakRssBytes)}`,
);
console.log(
  `hygie ingest (end to end):  ${ingest.rows.toLocaleString('en-GB')} rows in ${ingest.seconds.toFixed(1)} s = ${Math.round(ingestRate).toLocaleString('en-GB')} rows/s, peak RSS ${mib(ingest.peakRssBytes)} [${ingest.status}; ms ${JSON.stringify(ingest.timings)}]`,
);
const ratio = ingestRate / baseRate;
console.log(
  `ratio ingest / read_csv: ${ratio.toFixed(2)}× (floor 0.5×: ${ratio >= 0.5 ? 'met' : 'NOT met'})`,
);
if (small > 0 && small !== persons) {
  const s = run('ingest', extract(small));
  console.log(
    `hygie ingest at ${small.toLocaleString('en-GB')} persons: ${Math.round(s.rows / s.seconds).toLocaleString('en-GB')} rows/s, peak RSS ${mib(s.peakRssBytes)}`,
  );
  console.log(
    `peak RSS ${mib(s.peakRssBytes)} at ${s.rows.toLocaleString('en-GB')} rows → ${mib(ingest.peakRssBytes)} at ${ingest.rows.toLocaleString('en-GB')} rows (floor ≤ 2 GiB: ${ingest.peakRssBytes <= 2 ** 31 ? 'met' : 'NOT met'})`,
  );
}
if (opt('--dir', undefined) === undefined) rmSync(base, { recursive: true, force: true });
