/**
 * Which files a FHIR staging run reads: the paths given, directories walked recursively in a
 * sorted, deterministic order, keeping the extensions the connector understands.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { HygieError } from '@hygie/core';

/** How a FHIR file is laid out. */
export type FhirFileFormat = 'ndjson' | 'json';

/** A file to stage. */
export interface FhirFile {
  readonly path: string;
  readonly format: FhirFileFormat;
  readonly gzip: boolean;
}

const EXTENSIONS: readonly [suffix: string, format: FhirFileFormat, gzip: boolean][] = [
  ['.ndjson', 'ndjson', false],
  ['.jsonl', 'ndjson', false],
  ['.ndjson.gz', 'ndjson', true],
  ['.jsonl.gz', 'ndjson', true],
  ['.json', 'json', false],
  ['.json.gz', 'json', true],
];

/** The format of a file by its name, or undefined when the connector does not read it. */
export function fhirFileFormat(path: string): Omit<FhirFile, 'path'> | undefined {
  const name = basename(path).toLowerCase();
  const match = EXTENSIONS.find(([suffix]) => name.endsWith(suffix));
  return match === undefined ? undefined : { format: match[1], gzip: match[2] };
}

// Code-point order, not the locale's: the same files give the same order on every machine.
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function walk(dir: string, out: FhirFile[]): Promise<void> {
  const names = (await readdir(dir)).sort(byName);
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const info = await stat(path);
    if (info.isDirectory()) await walk(path, out);
    else {
      const format = fhirFileFormat(path);
      if (info.isFile() && format !== undefined) out.push({ path, ...format });
    }
  }
}

/**
 * The files to stage, in order. A path given explicitly must exist and have a FHIR extension;
 * inside directories, other files are ignored. Error messages name the file, not its directory.
 */
export async function listFhirFiles(paths: readonly string[]): Promise<FhirFile[]> {
  const out: FhirFile[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) {
      throw new HygieError('HYG_NOT_FOUND', `FHIR input not found: ${basename(path)}`, {
        file: basename(path),
      });
    }
    if (info.isDirectory()) {
      await walk(path, out);
      continue;
    }
    const format = fhirFileFormat(path);
    if (format === undefined) {
      throw new HygieError(
        'HYG_INVALID_ARGUMENT',
        `not a FHIR file (expected .ndjson, .jsonl, .ndjson.gz or .json): ${basename(path)}`,
        { file: basename(path) },
      );
    }
    out.push({ path, ...format });
  }
  return out;
}
