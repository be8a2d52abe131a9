/**
 * Helpers of the OMOP connector tests: expected person ids (the documented derivations), a scan of
 * every text column of the warehouse for identifiers, and writing small exports.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KeyLabels,
  NIR_KIND,
  deriveKey,
  namespaceKind,
  platformIdentity,
  sourcePseudonym,
} from '@hygie/core';
import type { WarehouseEngine } from '@hygie/warehouse';
import { TEST_MASTER } from './ingest-helpers.js';

const platformKeys = [deriveKey(TEST_MASTER, KeyLabels.platform(1))];

/** The warehouse person id of a NIR (raw, with or without key and spaces). */
export function nirPersonId(nir: string): bigint {
  const body = nir.replace(/[ .-]/g, '').slice(0, 13);
  const p1 = sourcePseudonym(deriveKey(TEST_MASTER, KeyLabels.sourceNir), body);
  return platformIdentity(platformKeys, NIR_KIND, p1).personId;
}

/** The warehouse person id of a source pseudonym (17 upper-case hex characters). */
export function sourcePseudonymPersonId(p1: string): bigint {
  return platformIdentity(platformKeys, NIR_KIND, p1).personId;
}

/** The warehouse person id of a source-local identifier in a source's namespace. */
export function localPersonId(source: string, raw: string): bigint {
  const p1 = sourcePseudonym(deriveKey(TEST_MASTER, KeyLabels.sourceNamespace(source)), raw);
  return platformIdentity(platformKeys, namespaceKind(source), p1).personId;
}

/** Vocabulary tables: their text is reference data, not the export's. */
const VOCABULARY_TABLES = [
  'concept',
  'concept_ancestor',
  'concept_class',
  'concept_relationship',
  'concept_synonym',
  'domain',
  'drug_strength',
  'relationship',
  'vocabulary',
];

/** A NIR (13 characters, or 15 with its key) standing alone in a text. */
const NIR_IN_TEXT =
  /(?<![0-9A-Za-z])[12][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{6}(?:[0-9]{2})?(?![0-9A-Za-z])/;

/**
 * Every text value of every warehouse table (vocabularies aside) holding one of the needles
 * (case-insensitive) or a NIR pattern. Returns `table.column: what` hits.
 */
export async function textColumnsHolding(
  engine: WarehouseEngine,
  needles: readonly string[],
): Promise<string[]> {
  const q = engine.dialect.quoteIdent;
  const columns = await engine.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE data_type = 'VARCHAR' AND table_schema = 'main'
       AND table_name NOT IN (${VOCABULARY_TABLES.map((t) => `'${t}'`).join(', ')})`,
  );
  const lower = needles.map((n) => n.toLowerCase());
  const hits = new Set<string>();
  for (const { table_name: table, column_name: column } of columns) {
    const values = await engine.query<{ v: string }>(
      `SELECT DISTINCT ${q(column)} AS v FROM ${q(table)} WHERE ${q(column)} IS NOT NULL`,
    );
    for (const { v } of values) {
      if (NIR_IN_TEXT.test(v)) hits.add(`${table}.${column}: NIR pattern`);
      const text = v.toLowerCase();
      lower.forEach((n, i) => {
        if (text.includes(n)) hits.add(`${table}.${column}: ${needles[i] ?? ''}`);
      });
    }
  }
  return [...hits];
}

/** Count of CDM rows of a table written by a batch (keys carry the batch number). */
export async function batchRows(
  engine: WarehouseEngine,
  table: string,
  key: string,
  batchNumber: number,
): Promise<number> {
  const [r] = await engine.query<{ n: number | bigint }>(
    `SELECT count(*) AS n FROM ${table} WHERE (${key} >> 43) = $1`,
    [batchNumber],
  );
  return Number(r?.n ?? 0);
}

/** Writes an export: file name → lines (header first), comma-separated. */
export function writeExport(dir: string, files: Record<string, readonly string[]>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, lines] of Object.entries(files)) {
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  }
  return dir;
}
