/**
 * Streams the lines of an NDJSON file (Bulk Data export), optionally gzip-compressed, with memory
 * bounded by the read chunk and the longest line allowed — never by the file size.
 *
 * Lines are split on raw bytes and decoded one by one, so a multi-byte character cut by a chunk
 * boundary is decoded whole. Lines are handed out in batches (one per chunk read) rather than one
 * by one: an await per line would cost more than parsing many of them.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/** One non-blank line: its 1-based number and text, or null text when it exceeded the limit. */
export interface NdjsonLine {
  readonly line: number;
  readonly text: string | null;
}

/** How to read an NDJSON file. */
export interface NdjsonReadOptions {
  /** The file is gzip-compressed. */
  readonly gzip: boolean;
  /** Longest line accepted, in bytes (longer lines are reported with null text). Default 64 MiB. */
  readonly maxLineBytes?: number;
}

const NEWLINE = 0x0a;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

function openStream(path: string, gzip: boolean): Readable {
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  if (!gzip) return file;
  const gunzip = createGunzip();
  // pipe() does not forward errors: a read error must end the iteration, not hang it.
  file.on('error', (e) => gunzip.destroy(e));
  return file.pipe(gunzip);
}

function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * Yields the non-blank lines of `path` in batches, numbered from 1 (blank lines keep their
 * number). A trailing `\r` and a leading byte-order mark are removed. Throws when the file cannot
 * be read or decompressed; the lines yielded before stay valid.
 */
export async function* readNdjsonLines(
  path: string,
  options: NdjsonReadOptions,
): AsyncGenerator<NdjsonLine[]> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = false;
  let lineNo = 0;

  const finish = (tail: Buffer, out: NdjsonLine[]): void => {
    lineNo++;
    if (overflow || pendingBytes + tail.length > maxLineBytes) {
      out.push({ line: lineNo, text: null });
    } else {
      const bytes = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
      let text = bytes.toString('utf8');
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (!isBlank(text)) out.push({ line: lineNo, text });
    }
    pending = [];
    pendingBytes = 0;
    overflow = false;
  };

  for await (const chunk of openStream(path, options.gzip)) {
    const buf = chunk as Buffer;
    const out: NdjsonLine[] = [];
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
      finish(buf.subarray(start, nl), out);
      start = nl + 1;
    }
    if (start < buf.length && !overflow) {
      const rest = buf.subarray(start);
      pendingBytes += rest.length;
      // Past the limit, the line is dropped as it streams in rather than buffered.
      if (pendingBytes > maxLineBytes) {
        overflow = true;
        pending = [];
      } else pending.push(Buffer.from(rest));
    }
    if (out.length > 0) yield out;
  }
  if (pendingBytes > 0 || overflow) {
    const out: NdjsonLine[] = [];
    finish(Buffer.alloc(0), out);
    if (out.length > 0) yield out;
  }
}
