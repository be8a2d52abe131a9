/**
 * Checks shared by the engines' bulk loads, so both refuse the same things with the same codes:
 * CSV options and paths (`loadCsv`), and the columns a load names (`loadCsv`, `appendRows`).
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { HygieError } from '@hygie/core';
import type { CsvLoadOptions } from './engine.js';

/** A CSV file to load: its absolute path and the name errors may show. */
export interface CsvFile {
  readonly path: string;
  /** The file name without its directory (paths may say more than needed). */
  readonly name: string;
}

/**
 * Checks the options and the file of a CSV load: single-character delimiter and quote, no glob
 * characters (DuckDB's reader would expand them: a load names exactly one file), an existing file.
 */
export function checkCsvLoad(file: string, options: CsvLoadOptions): CsvFile {
  const path = resolve(file);
  const name = basename(path);
  if (options.delimiter.length !== 1 || (options.quote != null && options.quote.length !== 1)) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'delimiter and quote must be single characters');
  }
  if (/[*?[\]{}]/.test(path)) {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'a CSV path must not contain glob characters', {
      file: name,
    });
  }
  if (!existsSync(path)) {
    throw new HygieError('HYG_NOT_FOUND', `file not found: ${name}`, { file: name });
  }
  return { path, name };
}

/**
 * Positions, among the table's columns, of the columns a load names. Throws HYG_INVALID_ARGUMENT
 * for an empty or repeated list, or a column the table does not have.
 */
export function columnPositions(
  table: string,
  tableCols: readonly { readonly name: string }[],
  columns: readonly string[],
): number[] {
  if (columns.length === 0 || new Set(columns).size !== columns.length) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      'columns must be a non-empty list of distinct names',
      {
        table,
      },
    );
  }
  return columns.map((c) => {
    const i = tableCols.findIndex((t) => t.name === c);
    if (i < 0) {
      throw new HygieError('HYG_INVALID_ARGUMENT', `table "${table}" has no column "${c}"`, {
        table,
        column: c,
      });
    }
    return i;
  });
}

/** The error for a load into a table that does not exist. */
export function noSuchTable(table: string): HygieError {
  return new HygieError(
    'HYG_NOT_FOUND',
    `no warehouse table "${table}" (has the schema been migrated?)`,
    {
      table,
    },
  );
}
