/**
 * The bytes a work unit produces, per output file, before they are handed to the ordered writer.
 * Lines are UTF-8-encoded as they are added, into a growing buffer per file: building one huge
 * string per file instead costs more in garbage collection and flattening than generating the
 * data does.
 */

const encoder = new TextEncoder();

class ByteSink {
  buf = new Uint8Array(1 << 16);
  len = 0;
  rows = 0;

  append(line: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit; +1 for the newline.
    const need = this.len + line.length * 3 + 1;
    if (need > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < need) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.len += encoder.encodeInto(line, this.buf.subarray(this.len)).written;
    this.buf[this.len++] = 10;
    this.rows++;
  }
}

/** Accumulates lines per output file. */
export class ChunkOutput {
  private readonly sinks = new Map<string, ByteSink>();

  /** Appends one line (without its newline) to a file. */
  add(file: string, line: string): void {
    let sink = this.sinks.get(file);
    if (!sink) {
      sink = new ByteSink();
      this.sinks.set(file, sink);
    }
    sink.append(line);
  }

  /** Lines per file. */
  rowCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [file, s] of this.sinks) out[file] = s.rows;
    return out;
  }

  /**
   * The bytes per file, each in an ArrayBuffer of its own (copied to its exact length), so it can
   * be transferred to the main thread without copying again.
   */
  toBuffers(): Record<string, Uint8Array<ArrayBuffer>> {
    const out: Record<string, Uint8Array<ArrayBuffer>> = {};
    for (const [file, s] of this.sinks) out[file] = s.buf.slice(0, s.len);
    return out;
  }
}
