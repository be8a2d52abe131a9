/**
 * One work unit: a contiguous range of persons, generated and written into per-file text. The same
 * code runs in worker threads and, for small runs or tests, in the calling thread.
 */
import { Rng, isoWeekLabel, sourcePseudonym } from '@hygie/core';
import { ChunkOutput } from './chunk-output.js';
import { FhirWriter } from './fhir-writer.js';
import { drawIdentity, nirNumericKey } from './identity.js';
import { LifeGenerator } from './life.js';
import { SndsWriter } from './snds-writer.js';
import type { World } from './world.js';

/** Counters a work unit reports for the run summary and the ground truth. */
export interface ChunkStats {
  persons: number;
  newborns: number;
  deaths: number;
  /** Deaths per calendar year. */
  deathsByYear: Record<string, number>;
  /** Episodes produced by each injected outbreak. */
  outbreakCases: Record<string, number>;
  /** Acute-episode consultations per syndrome and ISO week (`syndrome|2024-W07`). */
  syndromeWeekly: Record<string, number>;
  rows: Record<string, number>;
}

/** Counters at zero. */
export function emptyStats(): ChunkStats {
  return {
    persons: 0,
    newborns: 0,
    deaths: 0,
    deathsByYear: {},
    outbreakCases: {},
    syndromeWeekly: {},
    rows: {},
  };
}

/** The result of a work unit. */
export interface ChunkResult {
  chunk: number;
  files: Record<string, Uint8Array<ArrayBuffer>>;
  stats: ChunkStats;
}

/** NIR keys of persons [start, end), for the uniqueness pass. */
export function identityKeys(world: World, start: number, end: number): Float64Array<ArrayBuffer> {
  const keys = new Float64Array(end - start);
  for (let i = start; i < end; i++) keys[i - start] = nirNumericKey(drawIdentity(world, i).nir);
  return keys;
}

/** Generates persons [start, end). `orders` overrides NIR order numbers found colliding. */
export function generateChunk(
  world: World,
  chunk: number,
  start: number,
  end: number,
  orders: ReadonlyMap<number, number>,
): ChunkResult {
  const out = new ChunkOutput();
  const format = world.options.format;
  const snds = format === 'fhir' ? null : new SndsWriter(world, out);
  const fhir = format === 'snds' ? null : new FhirWriter(world, out);
  const life = new LifeGenerator(world);
  const stats = emptyStats();
  const residenceAt = (day: number): number => life.residenceAt(day);
  for (let i = start; i < end; i++) {
    const id = drawIdentity(world, i, orders.get(i));
    const rec = life.generate(id);
    // The identifier the sources carry: the raw NIR, or its source pseudonym (of the 13-character
    // body, as the platform pseudonymises it) computed once per person, not per row.
    const personId = world.sourceNirKey
      ? sourcePseudonym(world.sourceNirKey, id.nir.slice(0, 13))
      : id.nir;
    snds?.write(id, personId, rec, residenceAt);
    if (
      fhir &&
      (world.options.fhirShare >= 1 ||
        Rng.from(world.options.seed, 'fhir-export', i).float() < world.options.fhirShare)
    ) {
      fhir.write(id, personId, rec);
    }
    stats.persons++;
    if (id.newborn) stats.newborns++;
    if (rec.death) {
      stats.deaths++;
      const cy = new Date(rec.death.day * 86_400_000).getUTCFullYear();
      stats.deathsByYear[cy] = (stats.deathsByYear[cy] ?? 0) + 1;
    }
    for (const c of rec.consultations) {
      if (c.outbreak !== null)
        stats.outbreakCases[c.outbreak] = (stats.outbreakCases[c.outbreak] ?? 0) + 1;
      if (c.syndrome !== null && c.syndrome !== 'general_examination') {
        const key = `${c.syndrome}|${isoWeekLabel(c.day)}`;
        stats.syndromeWeekly[key] = (stats.syndromeWeekly[key] ?? 0) + 1;
      }
    }
  }
  stats.rows = out.rowCounts();
  return { chunk, files: out.toBuffers(), stats };
}
