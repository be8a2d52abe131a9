/**
 * The streaming NDJSON reader: line numbers, blank lines, CRLF, byte-order mark, multi-byte
 * characters across chunk boundaries, gzip, and lines too long to hold.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readNdjsonLines, type NdjsonLine } from '../src/index.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hygie-ndjson-test-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(path: string, gzip = false, maxLineBytes?: number): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  for await (const batch of readNdjsonLines(path, { gzip, maxLineBytes })) out.push(...batch);
  return out;
}

test('line numbers count blank lines; CRLF and a byte-order mark are removed', async () => {
  const path = join(dir, 'crlf.ndjson');
  writeFileSync(path, '\uFEFF{"a":1}\r\n\r\n   \n{"b":2}\n{"c":3}');
  assert.deepEqual(await readAll(path), [
    { line: 1, text: '{"a":1}' },
    { line: 4, text: '{"b":2}' },
    { line: 5, text: '{"c":3}' },
  ]);
});

test('multi-byte characters split across chunks decode whole; gzip reads the same lines', async () => {
  // 1 MiB chunks: 40,000 lines of accented text cross many chunk boundaries.
  const lines = Array.from({ length: 40_000 }, (_, i) =>
    JSON.stringify({ i, t: 'Hélène Œuvre ⚕ 漢字' }),
  );
  const text = lines.join('\n') + '\n';
  const plain = join(dir, 'big.ndjson');
  const gz = join(dir, 'big.ndjson.gz');
  writeFileSync(plain, text);
  writeFileSync(gz, gzipSync(text));
  for (const [path, gzip] of [
    [plain, false],
    [gz, true],
  ] as const) {
    const read = await readAll(path, gzip);
    assert.equal(read.length, lines.length);
    assert.ok(read.every((l, i) => l.line === i + 1 && l.text === lines[i]));
  }
});

test('a line longer than the limit is reported with null text, the next ones still read', async () => {
  const path = join(dir, 'long.ndjson');
  writeFileSync(path, `{"a":1}\n{"x":"${'y'.repeat(5000)}"}\n{"b":2}`);
  assert.deepEqual(await readAll(path, false, 1000), [
    { line: 1, text: '{"a":1}' },
    { line: 2, text: null },
    { line: 3, text: '{"b":2}' },
  ]);
});

test('a corrupt gzip file fails the iteration after the lines it could read', async () => {
  const path = join(dir, 'corrupt.ndjson.gz');
  writeFileSync(path, Buffer.from('not gzip at all'));
  await assert.rejects(readAll(path, true));
});
