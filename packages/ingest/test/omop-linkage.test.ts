/**
 * Linkage of OMOP exports with the rest of the warehouse: a hospital export whose
 * `person_source_value` holds the NIRs of persons of an SNDS extract adds its events to those
 * persons instead of creating new ones; persons known only by a hospital number link within their
 * source (across batches of that source) and never across sources, even with the same numbers.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WarehouseEngine } from '@hygie/warehouse';
import { createOmopConnector } from '../src/omop/index.js';
import { createSndsConnector, runBatch, type IngestReport } from '../src/index.js';
import { freshWarehouse, rows, syntheticExtract, testKeys } from './ingest-helpers.js';
import {
  batchRows,
  localPersonId,
  nirPersonId,
  textColumnsHolding,
  writeExport,
} from './omop-test-helpers.js';

const MRNS = ['MRN-0450001', 'MRN-0450002'];

/** `1 84 05 75 123 456 25`: a NIR written with the usual spaces. */
function spaced(nir: string): string {
  return [0, 1, 3, 5, 7, 10, 13]
    .map((at, i, all) => nir.slice(at, all[i + 1]))
    .join(' ')
    .trim();
}

/**
 * An export: NIR persons 101… (their year of birth deliberately wrong: the warehouse keeps the
 * SNDS one) and hospital-number persons 201…, each with one visit and one diagnosis.
 */
function exportFiles(
  nirs: readonly string[],
  mrns: readonly string[],
  day: string,
): Record<string, string[]> {
  const persons = [
    ...nirs.map((nir, i) => [101 + i, nir]),
    ...mrns.map((mrn, i) => [201 + i, mrn]),
  ] as const;
  return {
    'person.csv': [
      'person_id,gender_concept_id,year_of_birth,race_concept_id,ethnicity_concept_id,person_source_value',
      ...persons.map(([id, value]) => `${id},8532,1900,0,0,${value}`),
    ],
    'visit_occurrence.csv': [
      'visit_occurrence_id,person_id,visit_concept_id,visit_start_date,visit_end_date,visit_type_concept_id',
      ...persons.map(([id]) => `${id}0,${id},9202,${day},${day},32817`),
    ],
    'condition_occurrence.csv': [
      'condition_occurrence_id,person_id,condition_concept_id,condition_start_date,condition_type_concept_id,visit_occurrence_id,condition_source_value',
      ...persons.map(([id]) => `${id}1,${id},0,${day},32817,${id}0,I10`),
    ],
  };
}

describe('an OMOP export naming SNDS persons by NIR, and exports of other sources', () => {
  let engine: WarehouseEngine;
  let extract: { dir: string; cleanup: () => void };
  let work: string;
  let nirs: string[];
  let sndsPersons: Set<bigint>;
  let first: IngestReport;

  const ingest = (dir: string, source: string, maxRejectRate = 0): Promise<IngestReport> =>
    runBatch(engine, testKeys(), {
      connector: createOmopConnector(),
      paths: [dir],
      source,
      maxRejectRate,
    });
  const personIds = async (): Promise<Set<bigint>> =>
    new Set(
      (await engine.query<{ id: bigint }>('SELECT person_id AS id FROM person')).map((r) =>
        BigInt(r.id),
      ),
    );
  const conditionPersons = async (batchNumber: number): Promise<bigint[]> =>
    (
      await engine.query<{ id: bigint }>(
        'SELECT person_id AS id FROM condition_occurrence WHERE (condition_occurrence_id >> 43) = $1 ORDER BY condition_source_value, person_id',
        [batchNumber],
      )
    ).map((r) => BigInt(r.id));

  before(async () => {
    engine = await freshWarehouse();
    extract = await syntheticExtract({ persons: 200, seed: 'omop-linkage' });
    work = mkdtempSync(join(tmpdir(), 'hygie-omop-linkage-'));
    const snds = await runBatch(engine, testKeys(), {
      connector: createSndsConnector(),
      paths: [join(extract.dir, 'snds')],
    });
    assert.equal(snds.status, 'published');
    nirs = readFileSync(join(extract.dir, 'snds', 'IR_BEN_R.csv'), 'utf8')
      .split('\n')
      .slice(1, 4)
      .map((l) => l.split(';')[0] ?? '');
    assert.equal(nirs.length, 3);
    assert.ok(
      nirs.every((n) => n.length === 15),
      'the extract carries raw NIRs',
    );
    sndsPersons = await personIds();
  });
  after(async () => {
    await engine.close();
    extract.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  test('NIR persons are not duplicated and their OMOP events carry the SNDS person_id', async () => {
    // The same NIRs written three ways: as is, with spaces, without the key.
    const written = [nirs[0] ?? '', spaced(nirs[1] ?? ''), (nirs[2] ?? '').slice(0, 13)];
    first = await ingest(
      writeExport(join(work, 'chu-a-1'), exportFiles(written, MRNS, '2022-03-01')),
      'chu-a',
    );
    assert.equal(first.status, 'published', first.error);
    assert.equal(first.rejectRate, 0);
    const after = await personIds();
    assert.equal(
      after.size,
      sndsPersons.size + MRNS.length,
      'only the hospital-number persons are new',
    );
    const linked = nirs.map(nirPersonId);
    for (const id of linked)
      assert.ok(sndsPersons.has(id), 'the NIR person came from the SNDS extract');
    const events = await conditionPersons(first.batchNumber);
    assert.equal(events.length, 5);
    assert.deepEqual(
      new Set(events),
      new Set([...linked, ...MRNS.map((_, i) => localPersonId('chu-a', String(201 + i)))]),
    );
    assert.equal(
      await batchRows(engine, 'visit_occurrence', 'visit_occurrence_id', first.batchNumber),
      5,
    );
    // The SNDS person rows are kept as they were (the export's year of birth does not replace them).
    const [changed] = await engine.query<{ n: number | bigint }>(
      'SELECT count(*) AS n FROM person WHERE year_of_birth = 1900',
    );
    assert.equal(Number(changed?.n), MRNS.length);
  });

  test('the same hospital numbers from another source are other persons', async () => {
    const before = await personIds();
    const other = await ingest(
      writeExport(join(work, 'chu-b'), exportFiles([], MRNS, '2022-04-01')),
      'chu-b',
    );
    assert.equal(other.status, 'published', other.error);
    const after = await personIds();
    assert.equal(after.size, before.size + MRNS.length);
    const ids = MRNS.map((_, i) => localPersonId('chu-b', String(201 + i)));
    for (const id of ids) {
      assert.ok(after.has(id) && !before.has(id));
    }
    assert.deepEqual(new Set(await conditionPersons(other.batchNumber)), new Set(ids));
    for (const [i] of MRNS.entries()) {
      assert.notEqual(ids[i], localPersonId('chu-a', String(201 + i)));
    }
  });

  test('a later export of the same source finds its hospital-number persons again', async () => {
    const before = await personIds();
    const again = await ingest(
      writeExport(join(work, 'chu-a-2'), exportFiles([], MRNS, '2022-05-01')),
      'chu-a',
    );
    assert.equal(again.status, 'published', again.error);
    assert.equal((await personIds()).size, before.size, 'no new person');
    assert.deepEqual(
      new Set(await conditionPersons(again.batchNumber)),
      new Set(MRNS.map((_, i) => localPersonId('chu-a', String(201 + i)))),
    );
  });

  test('events of an export without person.csv resolve source-local persons through the warehouse', async () => {
    const dir = writeExport(join(work, 'chu-a-3'), {
      'condition_occurrence.csv': [
        'condition_occurrence_id,person_id,condition_concept_id,condition_start_date,condition_type_concept_id,condition_source_value',
        '1,201,0,2022-06-01,32817,E11.9',
        // A NIR person cannot be found again from the export's person_id alone.
        '2,101,0,2022-06-01,32817,E11.9',
        '3,999,0,2022-06-01,32817,E11.9',
      ],
    });
    const r = await ingest(dir, 'chu-a', 1);
    assert.equal(r.status, 'published', r.error);
    assert.deepEqual(await conditionPersons(r.batchNumber), [localPersonId('chu-a', '201')]);
    const q = await engine.query<{ line: number | bigint; field: string; rule: string }>(
      'SELECT line, field, rule FROM hygie_quarantine WHERE batch_id = $1 ORDER BY line',
      [r.batchId],
    );
    assert.deepEqual(
      q.map((x) => [Number(x.line), x.field, x.rule]),
      [
        [3, 'person_id', 'person not in person.csv nor in the warehouse'],
        [4, 'person_id', 'person not in person.csv nor in the warehouse'],
      ],
    );
    assert.equal(r.tables.condition_occurrence?.read, 3);
    assert.equal(r.tables.condition_occurrence?.loaded, 1);
  });

  test('no NIR or hospital number of the exports is stored anywhere', async () => {
    assert.ok((await rows(engine, 'condition_occurrence')) > 0);
    assert.deepEqual(await textColumnsHolding(engine, [...nirs, ...MRNS]), []);
  });
});
