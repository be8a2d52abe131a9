/**
 * Memory of FHIR staging on a large export: a 20,000-person synthetic FHIR export (about two
 * million resources, 1 GB of NDJSON) is staged while the JavaScript heap and the RSS are sampled.
 * The heap must stay bounded (batches, not the input, decide it); the RSS also holds DuckDB's
 * in-memory staging tables. Figures are logged, time is never asserted.
 * `HYGIE_FHIR_MEMORY_PERSONS` changes the size.
 *
 * Publishing is bounded too: the same export is ingested under an engine memory limit far below
 * what a publish holding every encounter at once needs (the publish before partitioning ran out
 * of memory at 256 MB on 4,000 persons; partitioned, it publishes under 96 MB), with its encounter
 * joins cut into several partitions whose results must link as one would.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { vocabularyDir } from '@hygie/reference';
import {
  loadVocabulary,
  migrate,
  openDuckDbWarehouse,
  openInMemoryWarehouse,
  type WarehouseEngine,
} from '@hygie/warehouse';
import { createFhirConnector, loadReferenceLocations, runBatch, stageFhir } from '../src/index.js';
import { generateSynthFhir, type SynthFhir } from './fhir-test-helpers.js';
import { cdmCounts, testKeys } from './ingest-helpers.js';

const PERSONS = Number(process.env['HYGIE_FHIR_MEMORY_PERSONS'] ?? 4_000);
const MiB = 1024 * 1024;
/** Far above the ~300 MiB measured with 50k-row batches, far below an input-sized heap. */
const HEAP_CEILING = 768 * MiB;
/** Engine memory limit of the publish test (see the header). */
const PUBLISH_MEMORY_LIMIT = '160MB';

let sample: SynthFhir;
let engine: WarehouseEngine;

before(() => {
  sample = generateSynthFhir(PERSONS, 'fhir-memory');
});

after(async () => {
  await engine?.close();
  sample.cleanup();
});

test(`staging a ${PERSONS}-person FHIR export keeps the heap bounded`, async () => {
  engine = await openInMemoryWarehouse();
  let peakHeap = 0;
  let peakRss = 0;
  const sampleMemory = (): void => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  };
  const timer = setInterval(sampleMemory, 50);
  const cpu0 = process.cpuUsage();
  try {
    const report = await stageFhir(engine, [sample.fhirDir], {
      onProgress: sampleMemory,
      progressEvery: 20_000,
    });
    sampleMemory();
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const expected = [...sample.rowsByFile.values()].reduce((a, b) => a + b, 0);
    assert.equal(report.total.read, expected);
    assert.equal(report.total.staged, expected);
    console.log(
      `FHIR staging: ${report.total.read.toLocaleString('en')} resources in ` +
        `${report.seconds.toFixed(1)} s (${Math.round(report.total.read / report.seconds).toLocaleString('en')} resources/s wall, ` +
        `${Math.round(report.total.read / cpuSeconds).toLocaleString('en')}/s per CPU-second); ` +
        `peak heap ${Math.round(peakHeap / MiB)} MiB, peak RSS ${Math.round(peakRss / MiB)} MiB ` +
        `(process max RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB)`,
    );
    assert.ok(peakHeap < HEAP_CEILING, `peak heap ${Math.round(peakHeap / MiB)} MiB`);
  } finally {
    clearInterval(timer);
  }
});

test(`publishing a ${PERSONS}-person FHIR export stays within a ${PUBLISH_MEMORY_LIMIT} engine memory limit`, async () => {
  // A file-backed warehouse, so that what the engine spills goes to its own temporary directory.
  const dataDir = mkdtempSync(join(tmpdir(), 'hygie-fhir-publish-memory-'));
  const limited = await openDuckDbWarehouse({
    dataDir,
    memoryLimit: PUBLISH_MEMORY_LIMIT,
    threads: 2,
  });
  try {
    await migrate(limited);
    await loadVocabulary(limited, vocabularyDir());
    await loadReferenceLocations(limited);
    const encounters = sample.rowsByFile.get('fhir/Encounter.ndjson') ?? 0;
    // Several partitions, however small the export is.
    const encountersPerPartition = Math.max(1_000, Math.ceil(encounters / 5));
    const r = await runBatch(limited, testKeys(), {
      connector: createFhirConnector({ encountersPerPartition }),
      paths: [sample.fhirDir],
    });
    assert.equal(r.status, 'published', r.error);
    console.log(
      `FHIR publish under ${PUBLISH_MEMORY_LIMIT}: ${encounters.toLocaleString('en')} encounters in ` +
        `${Math.ceil(encounters / encountersPerPartition)} partitions, publish ${r.timingsMs['publish']} ms`,
    );
    const counts = await cdmCounts(limited);
    const rows = (file: string): number => sample.rowsByFile.get(`fhir/${file}.ndjson`) ?? 0;
    assert.equal(counts['person'], rows('Patient'));
    assert.equal(counts['visit_occurrence'], encounters);
    assert.equal(counts['drug_exposure'], rows('MedicationDispense'));
    assert.equal(counts['procedure_occurrence'], rows('Procedure'));
    assert.equal(counts['measurement'], rows('Observation'));
    // Across partitions, every reference found its encounter: events link to a visit of their
    // own person, and exactly the Conditions without an encounter reference lack a visit
    // (encounter reasons always have one).
    const [orphans] = await limited.query<{ n: number | bigint }>(
      `SELECT count(*) AS n FROM (
         SELECT person_id, visit_occurrence_id FROM condition_occurrence
         UNION ALL SELECT person_id, visit_occurrence_id FROM drug_exposure
         UNION ALL SELECT person_id, visit_occurrence_id FROM procedure_occurrence
         UNION ALL SELECT person_id, visit_occurrence_id FROM measurement) e
       LEFT JOIN visit_occurrence v USING (visit_occurrence_id)
       WHERE e.visit_occurrence_id IS NOT NULL AND v.person_id IS DISTINCT FROM e.person_id`,
    );
    assert.equal(Number(orphans?.n), 0);
    const conditionLines = readFileSync(join(sample.fhirDir, 'Condition.ndjson'), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0);
    const withoutEncounter = conditionLines.filter((l) => !l.includes('"encounter"')).length;
    const [unlinked] = await limited.query<{ n: number | bigint }>(
      'SELECT count(*) AS n FROM condition_occurrence WHERE visit_occurrence_id IS NULL',
    );
    assert.equal(Number(unlinked?.n), withoutEncounter);
    const [linkedProcedures] = await limited.query<{ n: number | bigint }>(
      'SELECT count(visit_occurrence_id) AS n FROM procedure_occurrence',
    );
    const procedureLines = readFileSync(join(sample.fhirDir, 'Procedure.ndjson'), 'utf8');
    assert.equal(Number(linkedProcedures?.n), procedureLines.split('"encounter"').length - 1);
  } finally {
    await limited.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
