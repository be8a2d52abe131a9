/**
 * Source files of a batch: discovery (files and directories, walked in sorted order so batches are
 * reproducible), size and SHA-256 computed by streaming (constant memory whatever the size).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { HygieError } from '@hygie/core';

/** A source file with its identity. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  bytes: number;
  sha256: string;
}

/** Expands files and directories into the sorted list of files accepted by `accept`. */
export function listSourceFiles(
  paths: readonly string[],
  accept: (name: string) => boolean,
): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name));
    } else if (st.isFile() && accept(p)) {
      out.push(p);
    }
  };
  for (const raw of paths) {
    const p = resolve(raw);
    if (!existsSync(p))
      throw new HygieError('HYG_NOT_FOUND', `no such file or directory: ${raw}`, { path: raw });
    walk(p);
  }
  return [...new Set(out)];
}

/** Streams a file through SHA-256. */
export function hashFile(path: string): Promise<SourceFile> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => {
        bytes += chunk.length;
        hash.update(chunk);
      })
      .on('error', (e) =>
        reject(new HygieError('HYG_IO_ERROR', `cannot read ${path}`, { path }, { cause: e })),
      )
      .on('end', () => resolvePromise({ path, bytes, sha256: hash.digest('hex') }));
  });
}

/** Hashes files, a few at a time. */
export async function hashFiles(paths: readonly string[], concurrency = 2): Promise<SourceFile[]> {
  const out: SourceFile[] = new Array<SourceFile>(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      out[i] = await hashFile(paths[i] as string);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return out;
}

/**
 * The name under which a source file is recorded in the warehouse (batch files, quarantine,
 * manifest): its base name when it looks like a table or resource name (`ER_PRS_F.csv`,
 * `T_MCO19B.csv`, `Patient.ndjson`), otherwise `file-<n>-<hash prefix>` — some tools put patient
 * names in file names (Synthea writes `Given123_Family456_<uuid>.json`), and directories may name
 * people too, so neither is ever stored.
 */
export function safeFileLabel(path: string, index: number, sha256: string): string {
  const name = basename(path);
  return /^[A-Za-z][A-Za-z_]*(\.[0-9]{1,3})?\.(csv|tsv|txt|ndjson|jsonl|json)(\.gz)?$/.test(name) &&
    name.length <= 64
    ? name
    : `file-${index + 1}-${sha256.slice(0, 12)}${name.match(/\.(csv|tsv|txt|ndjson|jsonl|json)(\.gz)?$/)?.[0] ?? ''}`;
}
