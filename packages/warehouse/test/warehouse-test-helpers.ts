/** Shared helpers of the warehouse tests: temporary directories and fixture paths. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Tests run from dist/test; fixtures stay in the source tree. */
export const FIXTURE_VOCABULARY = fileURLToPath(
  new URL('../../test/fixtures/vocabulary/', import.meta.url),
);

/** The real vocabulary produced by @hygie/reference, when it has been generated. */
export const REFERENCE_VOCABULARY = fileURLToPath(
  new URL('../../../reference/data/vocabulary/', import.meta.url),
);

/** The compiled public API, for child processes. */
export const WAREHOUSE_INDEX_URL = new URL('../src/index.js', import.meta.url).href;

/** A fresh temporary directory and its cleanup. */
export function tempDir(prefix = 'hygie-wh-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Minimal valid PERSON values, in PERSON_COLUMNS order. */
export const PERSON_COLUMNS = [
  'person_id',
  'gender_concept_id',
  'year_of_birth',
  'race_concept_id',
  'ethnicity_concept_id',
  'person_source_value',
] as const;

/** A PERSON row for `PERSON_COLUMNS`. */
export function personValues(id: number | bigint, pseudonym = `psn-${String(id)}`): unknown[] {
  return [id, 8507, 1950 + (Number(id) % 60), 0, 0, pseudonym];
}
