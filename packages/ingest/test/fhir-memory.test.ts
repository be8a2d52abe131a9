/**
 * Memory of FHIR staging on a large export: a 20,000-person synthetic FHIR export (about two
 * million resources, 1 GB of NDJSON) is staged while the JavaScript heap and the RSS are sampled.
 * The heap must stay bounded (batches, not the input, decide it); the RSS also holds DuckDB's
 * in-memory staging tables. Figures are logged, time is never asserted.
 * `HYGIE_FHIR_MEMORY_PERSONS` changes the size.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openInMemoryWarehouse, type WarehouseEngine } from '@hygie/warehouse';
import { stageFhir } from '../src/index.js';
import { generateSynthFhir, type SynthFhir } from './fhir-test-helpers.js';

const PERSONS = Number(process.env['HYGIE_FHIR_MEMORY_PERSONS'] ?? 4_000);
const MiB = 1024 * 1024;
/** Far above the ~300 MiB measured with 50k-row batches, far below an input-sized heap. */
const HEAP_CEILING = 768 * MiB;

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
