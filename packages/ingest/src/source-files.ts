/**
 * Source files of a batch: discovery (files and directories, walked in sorted order so batches are
 * reproducible), size and SHA-256 computed by streaming (constant memory whatever the size).
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  openSync,
  readSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
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

/**
 * Hashes files on worker threads (one per core, at most one per file): SHA-256 of a national
 * extract is otherwise a noticeable part of a batch.
 */
export async function hashFiles(
  paths: readonly string[],
  threads = Math.min(availableParallelism(), 4),
): Promise<SourceFile[]> {
  if (paths.length <= 1) return Promise.all(paths.map((p) => hashFile(p)));
  const out = new Map<string, SourceFile>();
  const queue = [...paths].sort((a, b) => statSync(b).size - statSync(a).size);
  const workers = Array.from(
    { length: Math.min(threads, paths.length) },
    () => new Worker(new URL('./hash-worker.js', import.meta.url)),
  );
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolvePromise, reject) => {
            const next = (): void => {
              const p = queue.shift();
              if (p === undefined) return resolvePromise();
              w.postMessage(p);
            };
            w.on(
              'message',
              (m: { path: string; bytes?: number; sha256?: string; error?: boolean }) => {
                if (m.error || m.sha256 === undefined || m.bytes === undefined) {
                  return reject(
                    new HygieError('HYG_IO_ERROR', `cannot read ${basename(m.path)}`, {
                      path: basename(m.path),
                    }),
                  );
                }
                out.set(m.path, { path: m.path, bytes: m.bytes, sha256: m.sha256 });
                next();
              },
            );
            w.on('error', reject);
            next();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return paths.map((p) => out.get(p) as SourceFile);
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

/** The first line of a file (without a byte order mark or line ending). */
export function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf
      .subarray(0, n)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    return end < 0 ? text : text.slice(0, end);
  } finally {
    closeSync(fd);
  }
}
