/**
 * OMOP export files: OHDSI table names (`person.csv`, `PERSON.csv`, `measurement.tsv`,
 * `death.txt`), and the layout of a file read from its header line — the delimiter (comma, tab,
 * semicolon or pipe: whichever splits the header into known column names) and which OMOP column
 * each position holds (names are case-insensitive; v5.3 names of renamed columns are accepted).
 */
import { basename } from 'node:path';
import { HygieError } from '@hygie/core';
import { OMOP_STAGING, OMOP_TABLES, OMOP_V53_ALIASES, type OmopTable } from './omop-tables.js';

const EXTENSION = /\.(csv|tsv|txt)$/i;

/** The OMOP table of a file name, or null. */
export function omopTableOfFile(path: string): OmopTable | null {
  const name = basename(path);
  if (!EXTENSION.test(name)) return null;
  const table = name.replace(EXTENSION, '').toLowerCase();
  return (OMOP_TABLES as readonly string[]).includes(table) ? (table as OmopTable) : null;
}

/** Accepts OMOP table file names. */
export function isOmopFile(path: string): boolean {
  return omopTableOfFile(path) !== null;
}

import { firstLine } from '../source-files.js';

export { firstLine };

/** How a file is laid out. */
export interface OmopFileLayout {
  table: OmopTable;
  delimiter: string;
  /** Per header position: the OMOP column it holds, or null for a column Hygie does not know. */
  columns: (string | null)[];
}

const DELIMITERS = ['\t', ',', ';', '|'] as const;

function headerNames(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((h) =>
    h
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim()
      .toLowerCase(),
  );
}

/**
 * Reads the header line of a table's file and finds its layout. Throws when the header is not an
 * OMOP header for the table: no delimiter gives known columns, a column appears twice, or a column
 * the CDM requires is missing (column names only — never a value — appear in the message).
 */
export function omopFileLayout(table: OmopTable, header: string, fileName: string): OmopFileLayout {
  const spec = OMOP_STAGING[table];
  const aliases = OMOP_V53_ALIASES[table] ?? {};
  const known = new Set(spec.columns.map((c) => c.name));
  const resolve = (h: string): string | null => {
    const name = aliases[h] ?? h;
    return known.has(name) ? name : null;
  };
  let best: { delimiter: string; columns: (string | null)[]; score: number } | null = null;
  for (const delimiter of DELIMITERS) {
    const columns = headerNames(header, delimiter).map(resolve);
    const score = columns.filter((c) => c !== null).length;
    if (score > 0 && (best === null || score > best.score)) best = { delimiter, columns, score };
  }
  if (best === null) {
    throw new HygieError(
      'HYG_SCHEMA_VIOLATION',
      `${fileName}: the header line holds no ${table} column of the OMOP CDM v5.4 (or an unknown separator)`,
      { path: fileName, table },
    );
  }
  const seen = new Set<string>();
  for (const c of best.columns) {
    if (c === null) continue;
    if (seen.has(c)) {
      throw new HygieError('HYG_SCHEMA_VIOLATION', `${fileName}: column ${c} appears twice`, {
        path: fileName,
        table,
        column: c,
      });
    }
    seen.add(c);
  }
  const missing = spec.columns.filter((c) => c.required && !seen.has(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new HygieError(
      'HYG_SCHEMA_VIOLATION',
      `${fileName}: the ${table} header lacks required OMOP column(s) ${missing.join(', ')}`,
      { path: fileName, table, missing },
    );
  }
  return { table, delimiter: best.delimiter, columns: best.columns };
}

/** The layout of a file, from its name and header line. */
export function readOmopFileLayout(path: string): OmopFileLayout {
  const table = omopTableOfFile(path);
  if (table === null) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `not an OMOP table file: ${basename(path)}`);
  }
  return omopFileLayout(table, firstLine(path), basename(path));
}
