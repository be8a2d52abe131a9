import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import {
  HygieError,
  MerkleFrontier,
  ed25519KeyPairFromSeed,
  jcs,
  leafHash,
  logIdOf,
  publicKeyPem,
  signTreeHead,
} from '@hygie/core';
import type { SignedTreeHead } from '@hygie/core';
import { TRANSPARENCY_SQLITE_FILE, openTransparencyLog, verifyLogExport } from '../src/index.js';
import type { VerifyLogExportResult } from '../src/index.js';
import { TestClock } from './helpers.js';
import {
  OTHER_SEED,
  SEED,
  buildLog,
  entries,
  iterate,
  readLines,
  writeLines,
} from './transparency-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'hygie-tlog-tamper-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

// One log of 200 entries, a head after every 20 (sizes 20…200) and a seal of the same size.
const logFile = join(dir, TRANSPARENCY_SQLITE_FILE);
const built = buildLog({ file: logFile }, 200, 20);
const PEM = built.log.publicKeyPem;
const LATEST = built.log.latestHead() as SignedTreeHead;
const HEAD_100 = built.log.headAt(100) as SignedTreeHead;
const exportFile = join(dir, 'export.jsonl');
await built.log.export(exportFile);
built.log.close();
const LINES = readLines(exportFile);
// Line 0 is the header, lines 1…200 the entries, then 11 heads.
const ENTRY = (i: number): number => 1 + i;

let copies = 0;
/** Verifies a modified copy of the export (from a file, and as a one-pass iterable). */
async function verifyCopy(
  lines: readonly string[],
  options: { since?: SignedTreeHead; pem?: string } = {},
): Promise<VerifyLogExportResult> {
  const file = join(dir, `copy-${++copies}.jsonl`);
  writeLines(file, lines);
  const opts = {
    publicKeyPem: options.pem ?? PEM,
    ...(options.since ? { since: options.since } : {}),
  };
  const fromFile = await verifyLogExport(file, opts);
  const fromLines = await verifyLogExport(iterate(lines), opts);
  assert.deepEqual(fromLines, fromFile, 'a path and a one-pass iterable give the same verdict');
  return fromFile;
}

function expectProblem(r: VerifyLogExportResult, ...patterns: RegExp[]): void {
  assert.equal(r.ok, false, 'tampering must be detected');
  for (const p of patterns) {
    assert.ok(
      r.problems.some((s) => p.test(s)),
      `expected a problem matching ${String(p)}, got:\n${r.problems.join('\n')}`,
    );
  }
}

/** The entry object of an entry line. */
function entryOf(line: string): Record<string, unknown> {
  return (JSON.parse(line) as { entry: Record<string, unknown> }).entry;
}

function entryLine(index: number, e: unknown): string {
  return `{"type":"entry","index":${index},"entry":${jcs(e)}}`;
}

test('an untouched export verifies, with or without a head kept from before', async () => {
  assert.equal(LINES.length, 1 + 200 + 11);
  const r = await verifyCopy(LINES);
  assert.deepEqual(r, {
    ok: true,
    treeSize: 200,
    heads: 11,
    problems: [],
    signedTreeSize: 200,
    latestHead: LATEST,
  });
  assert.ok((await verifyCopy(LINES, { since: HEAD_100 })).ok);
  assert.ok((await verifyCopy(LINES, { since: LATEST })).ok);
  // A stream export is the same bytes as the file export.
  const log = openTransparencyLog({ file: logFile }, { signingSeed: SEED });
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  assert.deepEqual(await log.export(stream), { entries: 200, heads: 11 });
  log.close();
  assert.deepEqual(Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean), LINES);
});

test('editing one field of one entry is detected and located', async () => {
  const lines = LINES.slice();
  const e = entryOf(lines[ENTRY(41)] as string);
  lines[ENTRY(41)] = entryLine(41, { ...e, decision: 'allow' === e.decision ? 'deny' : 'allow' });
  const r = await verifyCopy(lines);
  expectProblem(
    r,
    /tree head of size 60 .*: its root does not match the first 60 entries/,
    /the first change lies in entries 40…59: the head of size 40 matches, the head of size 60 does not/,
  );
  assert.ok(!r.problems.some((p) => /tree head of size 40 /.test(p)), 'heads before still match');
  assert.equal(r.signedTreeSize, 40);

  // With a head after every entry, the verifier names the entry.
  const small = buildLog({ memory: true }, 30, 1).log;
  const file = join(dir, 'small.jsonl');
  await small.export(file);
  small.close();
  const each = readLines(file);
  each[ENTRY(17)] = entryLine(17, { ...entryOf(each[ENTRY(17)] as string), action: 'data.export' });
  expectProblem(
    await verifyCopy(each),
    /^entry 17 was changed: the head of size 17 matches, the head of size 18 does not$/,
  );
});

test('deleting, swapping or inserting entries is detected', async () => {
  const deleted = LINES.filter((_, i) => i !== ENTRY(120));
  expectProblem(
    await verifyCopy(deleted),
    /entry index 121 where 120 was expected/,
    /size 140 .*root does not match/,
    /covers 200 entries but the export holds only 199/,
  );

  const swapped = LINES.slice();
  [swapped[ENTRY(7)], swapped[ENTRY(8)]] = [
    swapped[ENTRY(8)] as string,
    swapped[ENTRY(7)] as string,
  ];
  expectProblem(await verifyCopy(swapped), /entry index 8 where 7 was expected/, /size 20 .*root/);

  // Swapped with their indexes rewritten: the numbering is fine, the tree is not.
  const renumbered = LINES.slice();
  renumbered[ENTRY(7)] = entryLine(7, entryOf(LINES[ENTRY(8)] as string));
  renumbered[ENTRY(8)] = entryLine(8, entryOf(LINES[ENTRY(7)] as string));
  expectProblem(
    await verifyCopy(renumbered),
    /the first change lies in entries 0…19: the head of size 20 is the earliest that does not match/,
  );

  const inserted = LINES.slice();
  inserted.splice(
    ENTRY(50),
    0,
    entryLine(50, { ...entryOf(LINES[ENTRY(50)] as string), seq: 5000 }),
  );
  expectProblem(
    await verifyCopy(inserted),
    /entry index 50 where 51 was expected/,
    /root does not match/,
  );
});

test('truncation is detected; a clean cut needs the head the reader kept', async () => {
  expectProblem(
    await verifyCopy(LINES.slice(0, 100)),
    /no signed tree head: nothing in it is signed/,
  );

  const tailCut = [...LINES.slice(0, ENTRY(195)), ...LINES.slice(ENTRY(200))];
  expectProblem(await verifyCopy(tailCut), /covers 200 entries but the export holds only 195/);

  // The newest 100 entries dropped together with every head that signed them: consistent in
  // itself — only a head kept from before shows what is missing.
  const clean = [
    ...LINES.slice(0, ENTRY(100)),
    ...LINES.slice(ENTRY(200)).filter((l) => {
      const o = JSON.parse(l) as { treeSize: number };
      return o.treeSize <= 100;
    }),
  ];
  assert.ok((await verifyCopy(clean)).ok);
  expectProblem(
    await verifyCopy(clean, { since: LATEST }),
    /the tree head you kept \(size 200, .*\) covers more entries than the export holds \(100\): the log was truncated or rolled back/,
  );
});

test('an altered signature, reordered heads or another key are detected', async () => {
  const lastHead = LINES.length - 3;
  const altered = LINES.slice();
  const h = JSON.parse(altered[lastHead] as string) as SignedTreeHead;
  const sig = Buffer.from(h.signature, 'base64');
  sig[10] = (sig[10] as number) ^ 0x40;
  altered[lastHead] = JSON.stringify({ ...h, signature: sig.toString('base64') });
  expectProblem(
    await verifyCopy(altered),
    /the signature does not verify with the log's public key/,
  );

  const moved = LINES.slice();
  [moved[lastHead], moved[lastHead + 1]] = [
    moved[lastHead + 1] as string,
    moved[lastHead] as string,
  ];
  expectProblem(await verifyCopy(moved), /is not later than the head before it/, /the log shrank/);

  // An impostor re-signs every head with its own key and puts that key in the header.
  const other = ed25519KeyPairFromSeed(OTHER_SEED);
  const otherId = logIdOf(other.publicKey);
  const resigned = LINES.map((l, i) => {
    const o = JSON.parse(l) as Record<string, unknown>;
    if (i === 0)
      return JSON.stringify({ ...o, logId: otherId, publicKey: publicKeyPem(other.publicKey) });
    if (o.type !== 'sth') return l;
    const sth = signTreeHead(
      { ...(o as unknown as SignedTreeHead), logId: otherId },
      other.privateKey,
    );
    return JSON.stringify({ type: 'sth', ...sth });
  });
  const r = await verifyCopy(resigned);
  expectProblem(r, /header: the export carries another public key/, /names another log/);
  assert.equal(r.signedTreeSize, 0);
  // Against the expected key, nothing of the impostor's passes; the right key still reads it.
  expectProblem(
    await verifyCopy(LINES, { pem: publicKeyPem(other.publicKey) }),
    /another public key/,
  );
  await assert.rejects(
    verifyLogExport(join(dir, 'no-such-file.jsonl'), { publicKeyPem: PEM }),
    (e: unknown) => e instanceof HygieError && e.code === 'HYG_NOT_FOUND',
  );
  const bad = await verifyLogExport(exportFile, { publicKeyPem: 'nonsense' });
  expectProblem(bad, /expected public key is not an Ed25519 public key/);
});

test('rewritten text, junk lines and invalid entries are reported', async () => {
  const lines = LINES.slice();
  const e = entryOf(lines[ENTRY(3)] as string);
  // Same content, other key order: not canonical, but the leaf is hashed from the canonical form.
  lines[ENTRY(3)] = `{"type":"entry","index":3,"entry":${JSON.stringify({ v: 1, ...e })}}`;
  const reordered = await verifyCopy(lines);
  expectProblem(reordered, /entry 3: its line is not in canonical form \(RFC 8785\)/);
  assert.equal(reordered.problems.length, 1, reordered.problems.join('\n'));

  const junk = LINES.slice();
  junk.splice(5, 0, 'not json', '{"type":"comment"}');
  expectProblem(
    await verifyCopy(junk),
    /line 6: not a JSON object/,
    /line 7: unknown record type "comment"/,
  );

  const invalid = LINES.slice();
  invalid[ENTRY(9)] = entryLine(9, {
    ...entryOf(LINES[ENTRY(9)] as string),
    targetId: '2840375123456',
  });
  expectProblem(await verifyCopy(invalid), /entry 9: not a valid log entry \(.*NIR-shaped/);

  expectProblem(await verifyCopy(LINES.slice(1)), /line 1: not a hygie-log-export\/v1 header/);
  expectProblem(await verifyCopy([]), /the export is empty/);
});

test('tampering with the SQLite file itself is caught by export and verification', async () => {
  const tamper = (edit: (raw: Database.Database) => void): string => {
    const copy = join(dir, `tampered-${++copies}.sqlite`);
    copyFileSync(logFile, copy);
    const raw = new Database(copy);
    edit(raw);
    raw.close();
    return copy;
  };
  const run = async (
    edit: (raw: Database.Database) => void,
    ...patterns: RegExp[]
  ): Promise<void> => {
    const copy = tamper(edit);
    const log = openTransparencyLog({ file: copy }, { signingSeed: SEED });
    const out = `${copy}.jsonl`;
    await log.export(out);
    log.close();
    expectProblem(await verifyLogExport(out, { publicKeyPem: PEM }), ...patterns);
  };
  const editEntry32 = (raw: Database.Database): string => {
    raw.exec('DROP TRIGGER tlog_entries_no_update');
    const text = raw
      .prepare('SELECT entry FROM tlog_entries WHERE idx = 32')
      .pluck()
      .get() as string;
    const edited = jcs({ ...(JSON.parse(text) as object), decision: 'error' });
    raw.prepare('UPDATE tlog_entries SET entry = ? WHERE idx = 32').run(edited);
    return edited;
  };
  // The log closed cleanly: no WAL left beside the file to copy along.
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('-wal')),
    [],
  );

  // An entry edited behind the log's back (trigger dropped first).
  await run(
    editEntry32,
    /the first change lies in entries 20…39: the head of size 20 matches, the head of size 40 does not/,
    /size 40 .*root does not match/,
  );

  // The same edit with its leaf hash and every stored node recomputed, as a careful forger would:
  // proofs served by the store are now self-consistent, but the signed heads disagree.
  await run((raw) => {
    const edited = editEntry32(raw);
    raw
      .prepare('UPDATE tlog_entries SET leaf_hash = ? WHERE idx = 32')
      .run(leafHash(Buffer.from(edited, 'utf8')));
    raw.exec('DROP TRIGGER tlog_nodes_no_delete; DELETE FROM tlog_nodes');
    const f = new MerkleFrontier();
    const insert = raw.prepare('INSERT INTO tlog_nodes (level, idx, hash) VALUES (?, ?, ?)');
    for (const leaf of raw
      .prepare('SELECT leaf_hash FROM tlog_entries ORDER BY idx')
      .pluck()
      .all()) {
      for (const n of f.append(leaf as Buffer))
        if (n.level > 0) insert.run(n.level, n.index, n.hash);
    }
  }, /size 40 .*root does not match/);

  // A head's root rewritten.
  await run((raw) => {
    raw.exec('DROP TRIGGER tlog_heads_no_update');
    raw.prepare('UPDATE tlog_heads SET root_hash = ? WHERE tree_size = 100').run('0'.repeat(64));
  }, /size 100 .*the signature does not verify/);

  // The newest entries deleted: the newest heads cover entries that are gone.
  await run((raw) => {
    raw.exec('DROP TRIGGER tlog_entries_no_delete; DELETE FROM tlog_entries WHERE idx >= 190');
  }, /size 200 .*covers 200 entries but the export holds only 190/);

  // Stored tree nodes destroyed: the log refuses to open rather than sign a wrong root.
  const broken = tamper((raw) =>
    raw.exec('DROP TRIGGER tlog_nodes_no_delete; DELETE FROM tlog_nodes'),
  );
  assert.throws(
    () => openTransparencyLog({ file: broken }, { signingSeed: SEED }),
    (e: unknown) => e instanceof HygieError && e.code === 'HYG_INTERNAL',
  );
});

test('a fork — two logs with one key that diverge — is caught with the other head', async () => {
  const clockA = new TestClock();
  const clockB = new TestClock();
  const a = openTransparencyLog({ memory: true }, { signingSeed: SEED, clock: clockA.now });
  const b = openTransparencyLog({ memory: true }, { signingSeed: SEED, clock: clockB.now });
  try {
    for (const log of [a, b]) log.append(entries(1, 100));
    const shared = a.sign();
    clockB.advance(1);
    b.sign();
    a.append(entries(101, 150));
    b.append(entries(101, 150, ' (rewritten)'));
    clockA.advance(60_000);
    clockB.advance(120_000);
    const headA = a.sign();
    const headB = b.sign();
    assert.equal(headA.treeSize, headB.treeSize);
    assert.notEqual(headA.rootHash, headB.rootHash);

    const file = join(dir, 'fork-a.jsonl');
    await a.export(file);
    const lines = readLines(file);
    assert.ok((await verifyCopy(lines)).ok);
    assert.ok((await verifyCopy(lines, { since: shared })).ok, 'the shared prefix is consistent');
    expectProblem(
      await verifyCopy(lines, { since: headB }),
      /the tree head you kept \(size 150, .*\) is not consistent with this export: the first 150 entries have another root \(a fork/,
    );
    // Both heads side by side in one export: a fork, whatever the entries.
    expectProblem(
      await verifyCopy([...lines, JSON.stringify({ type: 'sth', ...headB })]),
      /fork: two signed tree heads of size 150 have different roots/,
    );
  } finally {
    a.close();
    b.close();
  }
});
