/**
 * Loads OMOP vocabulary files (Athena format: TAB-separated, header line, dates YYYYMMDD, no
 * quoting) into `vocabulary`, `concept` and `concept_relationship`, then rebuilds
 * `concept_ancestor` — all in one transaction, so the previous vocabulary stays in place until the
 * new one is complete, and stays in place if anything fails.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { HygieError } from '@hygie/core';
import { rebuildConceptAncestor } from './concept-ancestor.js';
import type { WarehouseEngine } from './engine.js';

/** The Athena files read, their tables, and their columns in OMOP v5.4 order. */
export const VOCABULARY_FILES = [
  {
    table: 'vocabulary',
    columns: [
      'vocabulary_id',
      'vocabulary_name',
      'vocabulary_reference',
      'vocabulary_version',
      'vocabulary_concept_id',
    ],
  },
  {
    table: 'concept',
    columns: [
      'concept_id',
      'concept_name',
      'domain_id',
      'vocabulary_id',
      'concept_class_id',
      'standard_concept',
      'concept_code',
      'valid_start_date',
      'valid_end_date',
      'invalid_reason',
    ],
  },
  {
    table: 'concept_relationship',
    columns: [
      'concept_id_1',
      'concept_id_2',
      'relationship_id',
      'valid_start_date',
      'valid_end_date',
      'invalid_reason',
    ],
  },
] as const;

/** What `loadVocabulary` loaded. */
export interface VocabularyLoadReport {
  readonly vocabularies: number;
  readonly concepts: number;
  readonly relationships: number;
  /** Rows of the computed `concept_ancestor`, reflexive rows included. */
  readonly ancestors: number;
  /** Wall-clock time of the whole load, in milliseconds. */
  readonly durationMs: number;
}

/** `concept.csv`, or `CONCEPT.csv` as Athena names it. */
function findFile(dir: string, table: string): string {
  for (const name of [`${table}.csv`, `${table.toUpperCase()}.csv`]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new HygieError('HYG_NOT_FOUND', `vocabulary file ${table}.csv not found in ${dir}`, {
    dir,
    file: `${table}.csv`,
  });
}

/** The header line of a file (the first 64 KiB are plenty for a header). */
function headerOf(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf
      .subarray(0, n)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    return (text.split('\n', 1)[0] ?? '').replace(/\r$/, '');
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks the header, because the engine maps fields by position: a file with its columns in
 * another order would otherwise load shifted values (or fail on a type, far less clearly).
 */
function checkHeader(path: string, table: string, columns: readonly string[]): void {
  const found = headerOf(path)
    .split('\t')
    .map((c) => c.trim().toLowerCase());
  if (found.join('\t') !== columns.join('\t')) {
    throw new HygieError(
      'HYG_SCHEMA_VIOLATION',
      `${table}.csv must have the OMOP v5.4 columns in order: ${columns.join(', ')}`,
      { file: `${table}.csv`, expected: [...columns], found },
    );
  }
}

/**
 * Replaces the vocabulary with the files of `dir` (`vocabulary.csv`, `concept.csv`,
 * `concept_relationship.csv`, upper-case names accepted) and recomputes `concept_ancestor`.
 * Atomic: on any error the previous vocabulary is untouched. Bulk-loaded by the engine, never row
 * by row.
 */
export async function loadVocabulary(
  engine: WarehouseEngine,
  dir: string,
): Promise<VocabularyLoadReport> {
  const started = performance.now();
  const files = VOCABULARY_FILES.map((f) => {
    const path = findFile(dir, f.table);
    checkHeader(path, f.table, f.columns);
    return { ...f, path };
  });
  const q = engine.dialect.quoteIdent;
  const counts = await engine.transaction(async (tx) => {
    // Dependants first, though no foreign keys are declared (they would slow bulk loads).
    for (const table of ['concept_ancestor', 'concept_relationship', 'concept', 'vocabulary']) {
      await tx.execute(`DELETE FROM ${q(table)}`);
    }
    const loaded = new Map<string, number>();
    for (const f of files) {
      const n = await tx.loadCsv(f.table, f.path, {
        delimiter: '\t',
        header: true,
        columns: f.columns,
        quote: null,
        dateFormat: 'YYYYMMDD',
      });
      loaded.set(f.table, n);
    }
    const ancestors = await rebuildConceptAncestor(tx);
    return { loaded, ancestors };
  });
  return {
    vocabularies: counts.loaded.get('vocabulary') ?? 0,
    concepts: counts.loaded.get('concept') ?? 0,
    relationships: counts.loaded.get('concept_relationship') ?? 0,
    ancestors: counts.ancestors,
    durationMs: Math.round(performance.now() - started),
  };
}
