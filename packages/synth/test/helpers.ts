/**
 * Test helpers: generate a run into a temporary directory, read SNDS files, hash outputs.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { synthesise, type SynthSummary } from '../src/index.js';

/** A generated run in a temporary directory. */
export interface Run {
  dir: string;
  summary: SynthSummary;
  cleanup(): void;
}

/** Generates a run with the given options into a fresh temporary directory. */
export async function generate(options: Record<string, unknown>): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'hygie-synth-test-'));
  const summary = await synthesise({
    from: 2019,
    to: 2024,
    seed: 'test',
    format: 'both',
    ...options,
    out: dir,
  });
  return { dir, summary, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Reads a `;`-separated SNDS file into header and rows (all values as text). */
export function readSnds(path: string): { header: string[]; rows: string[][] } {
  const records = parse(readFileSync(path, 'utf8'), {
    delimiter: ';',
    relax_column_count: false,
  }) as string[][];
  const [header, ...rows] = records;
  return { header: header ?? [], rows };
}

/** Reads an SNDS file as objects keyed by column. */
export function readSndsObjects(path: string): Record<string, string>[] {
  const { header, rows } = readSnds(path);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** SHA-256 of a file. */
export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Parses an NDJSON file. */
export function readNdjson(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
