/**
 * Helpers of the ingestion tests: a fresh warehouse (schema, vocabularies, locations), fixed test
 * keys, a synthetic extract in a temporary directory, row counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vocabularyDir } from '@hygie/reference';
import { synthesise } from '@hygie/synth';
import {
  loadVocabulary,
  migrate,
  openInMemoryWarehouse,
  type WarehouseEngine,
} from '@hygie/warehouse';
import {
  loadReferenceLocations,
  pseudonymKeysFromMaster,
  type PseudonymKeys,
} from '../src/index.js';

/** Fixed test master secret (never a real key). */
export const TEST_MASTER = Buffer.alloc(32, 7);

/** Test keys. */
export function testKeys(version = 1): PseudonymKeys {
  return pseudonymKeysFromMaster(TEST_MASTER, version);
}

/** An in-memory warehouse ready for ingestion. */
export async function freshWarehouse(): Promise<WarehouseEngine> {
  const engine = await openInMemoryWarehouse();
  await migrate(engine);
  await loadVocabulary(engine, vocabularyDir());
  await loadReferenceLocations(engine);
  return engine;
}

/** A synthetic extract in a temporary directory. */
export async function syntheticExtract(
  options: Record<string, unknown>,
): Promise<{ dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'hygie-ingest-test-'));
  await synthesise({
    from: 2021,
    to: 2022,
    seed: 'ingest-test',
    format: 'snds',
    workers: 0,
    ...options,
    out: dir,
  });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Row count of a table. */
export async function rows(engine: WarehouseEngine, table: string): Promise<number> {
  const [r] = await engine.query<{ n: number }>(
    `SELECT count(*) AS n FROM ${engine.dialect.quoteIdent(table)}`,
  );
  return Number(r?.n ?? 0);
}

/** Row counts of every CDM data table. */
export async function cdmCounts(engine: WarehouseEngine): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [
    'person',
    'observation_period',
    'visit_occurrence',
    'condition_occurrence',
    'drug_exposure',
    'procedure_occurrence',
    'measurement',
    'death',
    'provider',
  ]) {
    out[t] = await rows(engine, t);
  }
  return out;
}
