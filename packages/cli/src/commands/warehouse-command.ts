/**
 * `hygie warehouse init|status`: creates the embedded warehouse (schema migrations, French
 * vocabularies) and reports what it holds.
 */
import type { Command } from 'commander';
import { vocabularyDir } from '@hygie/reference';
import {
  copyWarehouse,
  loadVocabulary,
  migrate,
  openDuckDbWarehouse,
  openPostgresWarehouse,
  warehouseSummary,
  type WarehouseEngine,
} from '@hygie/warehouse';
import { loadReferenceLocations } from '@hygie/ingest';
import { count } from '../format.js';

/** What `initWarehouse` did. */
export interface WarehouseInitReport {
  schemaVersion: number;
  migrationsApplied: number;
  /** Rows of the reference `location` table (communes and départements). */
  locations: number;
  concepts: number;
  ancestors: number;
  vocabularyMs: number;
}

/** Applies pending migrations and (re)loads the shipped vocabularies when empty or asked to. */
export async function initWarehouse(
  engine: WarehouseEngine,
  reloadVocabulary: boolean,
): Promise<WarehouseInitReport> {
  const m = await migrate(engine);
  const [row] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM concept');
  let concepts = Number(row?.n ?? 0);
  let ancestors = 0;
  let ms = 0;
  if (concepts === 0 || reloadVocabulary) {
    const v = await loadVocabulary(engine, vocabularyDir());
    concepts = v.concepts;
    ancestors = v.ancestors;
    ms = v.durationMs;
  }
  // Residence (commune, département, région) is resolved at ingestion against these rows:
  // without them every person would be of unknown residence.
  const [loc] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM location');
  let locations = Number(loc?.n ?? 0);
  if (locations === 0 || reloadVocabulary) locations = await loadReferenceLocations(engine);
  return {
    schemaVersion: m.version,
    migrationsApplied: m.applied.length,
    locations,
    concepts,
    ancestors,
    vocabularyMs: ms,
  };
}

/** Registers `hygie warehouse`. */
export function registerWarehouse(program: Command): void {
  const wh = program.command('warehouse').description('the embedded OMOP warehouse (DuckDB)');
  wh.command('init')
    .description('create or upgrade the warehouse schema and load the French vocabularies')
    .option('--data-dir <dir>', 'data directory', './hygie-data')
    .option('--reload-vocabulary', 'reload the vocabularies even if present')
    .action(async (opts: { dataDir: string; reloadVocabulary?: boolean }) => {
      const engine = await openDuckDbWarehouse({ dataDir: opts.dataDir });
      try {
        const r = await initWarehouse(engine, opts.reloadVocabulary === true);
        process.stdout.write(
          `Warehouse ${engine.location}: schema version ${r.schemaVersion} (${r.migrationsApplied} migration(s) applied), ` +
            `${count(r.locations)} locations, ${count(r.concepts)} concepts${r.ancestors ? `, ${count(r.ancestors)} ancestor rows computed in ${r.vocabularyMs} ms` : ''}\n`,
        );
      } finally {
        await engine.close();
      }
    });
  wh.command('status')
    .description('schema version and row counts per table')
    .option('--data-dir <dir>', 'data directory', './hygie-data')
    .option('--json', 'machine-readable output')
    .action(async (opts: { dataDir: string; json?: boolean }) => {
      const engine = await openDuckDbWarehouse({ dataDir: opts.dataDir, readOnly: true });
      try {
        const s = await warehouseSummary(engine);
        if (opts.json) {
          process.stdout.write(JSON.stringify(s, null, 2) + '\n');
          return;
        }
        process.stdout.write(`Warehouse ${engine.location}, schema version ${s.schemaVersion}\n`);
        for (const t of s.tables)
          process.stdout.write(
            `  ${t.table.padEnd(24)} ${t.rows === null ? '—' : count(t.rows)}\n`,
          );
      } finally {
        await engine.close();
      }
    });
  wh.command('copy')
    .description(
      'copy the embedded warehouse into PostgreSQL (or Citus): migrates the target, then every table',
    )
    .requiredOption('--to <url>', 'PostgreSQL connection string of the target database')
    .option('--data-dir <dir>', 'data directory of the DuckDB warehouse', './hygie-data')
    .option('--citus', 'distribute the CDM tables by person_id (Citus extension; untested here)')
    .action(async (opts: { to: string; dataDir: string; citus?: boolean }) => {
      const from = await openDuckDbWarehouse({ dataDir: opts.dataDir, readOnly: true });
      try {
        const to = await openPostgresWarehouse({
          connectionString: opts.to,
          ...(opts.citus ? { citus: true } : {}),
        });
        try {
          await migrate(to);
          const r = await copyWarehouse(from, to, {
            onTable: (table, rows, done, total) =>
              process.stdout.write(`  [${done}/${total}] ${table.padEnd(24)} ${count(rows)}\n`),
          });
          const rows = r.tables.reduce((a, t) => a + t.rows, 0);
          process.stdout.write(
            `Copied ${count(rows)} rows in ${(r.ms / 1000).toFixed(1)} s to ${to.location}\n`,
          );
        } finally {
          await to.close();
        }
      } finally {
        await from.close();
      }
    });
}
