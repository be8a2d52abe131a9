/**
 * Locating and reading the data files bundled in this package. Compiled modules live in
 * `dist/src/`, the data in `data/`, so paths are resolved from this module's URL — never from the
 * working directory — and work wherever the package is installed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** Absolute path of a file or folder under this package's `data/` directory. */
export function dataPath(...segments: readonly string[]): string {
  return fileURLToPath(new URL(['..', '..', 'data', ...segments].join('/'), import.meta.url));
}

/** Reads a `;`-separated data file with a header into records (values as strings). */
export function readSemicolonCsv(...segments: readonly string[]): Record<string, string>[] {
  const text = readFileSync(dataPath(...segments), 'utf8');
  return parse(text, {
    delimiter: ';',
    columns: true,
    skip_empty_lines: true,
    bom: true,
    relax_quotes: true,
  }) as Record<string, string>[];
}

/** Memoises a zero-argument loader so each data file is read at most once per process. */
export function once<T>(load: () => T): () => T {
  let value: T | undefined;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}
