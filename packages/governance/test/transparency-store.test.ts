import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  HygieError,
  encodeLogEntry,
  leafHash,
  merkleRoot,
  publicKeyFromPem,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
} from '@hygie/core';
import type { LogEntry } from '@hygie/core';
import { TLOG_TABLES, TRANSPARENCY_SQLITE_FILE, openTransparencyLog } from '../src/index.js';
import { TestClock } from './helpers.js';
import { OTHER_SEED, SEED, buildLog, entries, entry } from './transparency-helpers.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const is = (code: string) => (e: unknown) => e instanceof HygieError && e.code === code;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hygie-tlog-'));
}

/** Reference root of the first `n` entries of `list`. */
function referenceRoot(list: readonly LogEntry[], n: number): string {
  return merkleRoot(list.slice(0, n).map((e) => leafHash(encodeLogEntry(e)))).toString('hex');
}

test('proofs served by the store verify against the stored signed tree heads', () => {
  const { log } = buildLog({ memory: true }, 200, 20);
  try {
    const all = entries(1, 200);
    const key = publicKeyFromPem(log.publicKeyPem);
    assert.equal(log.size, 200);
    assert.equal(log.lastSeq(), 200);
    const heads = log.heads({ limit: 1000 });
    assert.equal(heads.length, 11);
    for (const sth of heads) {
      assert.ok(verifyTreeHead(sth, key));
      assert.equal(sth.rootHash, referenceRoot(all, sth.treeSize), `root of ${sth.treeSize}`);
      assert.equal(log.rootAt(sth.treeSize), sth.rootHash);
      const root = hex(sth.rootHash);
      for (let index = 0; index < sth.treeSize; index += 7) {
        const proof = log.inclusionProof(index, sth.treeSize).map(hex);
        const leaf = hex((log.entries(index, index + 1)[0] as { leafHash: string }).leafHash);
        assert.ok(
          verifyInclusion(leaf, index, sth.treeSize, proof, root),
          `${index}/${sth.treeSize}`,
        );
        assert.ok(!verifyInclusion(leafHash(Buffer.from('x')), index, sth.treeSize, proof, root));
      }
      for (const older of heads) {
        if (older.treeSize === 0 || older.treeSize > sth.treeSize) continue;
        const proof = log.consistencyProof(older.treeSize, sth.treeSize).map(hex);
        assert.ok(
          verifyConsistency(older.treeSize, sth.treeSize, hex(older.rootHash), root, proof),
          `${older.treeSize}→${sth.treeSize}`,
        );
      }
    }
    assert.equal(log.rootAt(0), merkleRoot([]).toString('hex'));
    for (const [i, n] of [
      [0, 0],
      [5, 5],
      [-1, 5],
      [0, 201],
      [1.5, 10],
    ] as const) {
      assert.throws(() => log.inclusionProof(i, n), is('HYG_INVALID_ARGUMENT'), `${i}/${n}`);
    }
    for (const [m, n] of [
      [0, 10],
      [11, 10],
      [10, 201],
    ] as const) {
      assert.throws(() => log.consistencyProof(m, n), is('HYG_INVALID_ARGUMENT'), `${m}→${n}`);
    }
    assert.deepEqual(log.consistencyProof(10, 10), []);
  } finally {
    log.close();
  }
});

test('a batch with one invalid entry leaves the store exactly as it was', () => {
  const log = openTransparencyLog({ memory: true }, { signingSeed: SEED });
  try {
    log.append(entries(1, 10));
    const before = { size: log.size, seq: log.lastSeq(), root: log.rootAt(10) };
    const bad: unknown[][] = [
      [...entries(11, 15), { ...entry(16), targetId: 'patient 2840375123456' }],
      [...entries(11, 15), { ...entry(16), decision: 'maybe' }],
      [...entries(11, 15), entry(15)], // seq not increasing
      [entry(10), ...entries(11, 12)], // seq already in the log
    ];
    for (const batch of bad) {
      assert.throws(() => log.append(batch as LogEntry[]), HygieError);
      assert.deepEqual({ size: log.size, seq: log.lastSeq(), root: log.rootAt(10) }, before);
    }
    assert.throws(
      () => log.append([...entries(11, 12), { ...entry(13), permitId: '1 85 05 75 123 456' }]),
      (e: unknown) =>
        is('HYG_INVALID_ARGUMENT')(e) &&
        /^entry 2 of the batch/.test((e as Error).message) &&
        !(e as Error).message.includes('123 456'),
    );
    assert.throws(() => log.append([entry(10)]), is('HYG_CONFLICT'));
    // The log goes on as if nothing happened.
    assert.deepEqual(log.append(entries(11, 20)), { first: 10, treeSize: 20 });
    assert.deepEqual(log.append([]), { first: 20, treeSize: 20 });
    assert.equal(log.rootAt(20), referenceRoot(entries(1, 20), 20));
  } finally {
    log.close();
  }
});

test('the log resumes after close and reopen; its file is 0600 in a 0700 directory', () => {
  const dir = tempDir();
  const file = join(dir, 'data', TRANSPARENCY_SQLITE_FILE);
  try {
    const clock = new TestClock();
    const { log } = buildLog({ file }, 77, 10, clock);
    const head = log.latestHead();
    log.close();
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'data')).mode & 0o777, 0o700);

    const again = openTransparencyLog({ file }, { signingSeed: SEED, clock: clock.now });
    try {
      assert.equal(again.size, 77);
      assert.equal(again.lastSeq(), 77);
      assert.deepEqual(again.latestHead(), head);
      assert.equal(again.rootAt(77), head?.rootHash);
      again.append(entries(78, 130));
      clock.advance(1000);
      const sth = again.sign();
      assert.equal(sth.treeSize, 130);
      assert.equal(sth.rootHash, referenceRoot(entries(1, 130), 130));
      const proof = again.consistencyProof(77, 130).map(hex);
      assert.ok(verifyConsistency(77, 130, hex(head?.rootHash ?? ''), hex(sth.rootHash), proof));
    } finally {
      again.close();
    }
    // A log is bound to its key for life.
    assert.throws(
      () => openTransparencyLog({ file }, { signingSeed: OTHER_SEED }),
      is('HYG_INVALID_CONFIG'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the database refuses UPDATE and DELETE on every log table, and gaps in the leaves', () => {
  const dir = tempDir();
  const file = join(dir, TRANSPARENCY_SQLITE_FILE);
  try {
    buildLog({ file }, 40, 10).log.close();
    const raw = new Database(file);
    try {
      for (const table of TLOG_TABLES) {
        const n = raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
        assert.ok(n > 0, table);
        const column = raw.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().get();
        assert.throws(
          () => raw.prepare(`UPDATE ${table} SET ${String(column)} = ${String(column)}`).run(),
          /append-only/,
          table,
        );
        assert.throws(() => raw.prepare(`DELETE FROM ${table}`).run(), /append-only/, table);
        assert.equal(raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), n);
      }
      const insert = raw.prepare(
        'INSERT INTO tlog_entries (idx, seq, entry, leaf_hash) VALUES (?, ?, ?, ?)',
      );
      assert.throws(() => insert.run(41, 1000, '{}', Buffer.alloc(32)), /next index/);
      assert.throws(() => insert.run(3, 1000, '{}', Buffer.alloc(32)), /next index|UNIQUE|PRIMARY/);
    } finally {
      raw.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('signing: a new head each time, strictly increasing timestamps; head queries', () => {
  const clock = new TestClock('2025-03-01T09:00:00.000Z');
  const log = openTransparencyLog({ memory: true }, { signingSeed: SEED, clock: clock.now });
  try {
    assert.equal(log.latestHead(), null);
    const empty = log.sign();
    assert.equal(empty.treeSize, 0);
    assert.equal(empty.rootHash, merkleRoot([]).toString('hex'));
    log.append(entries(1, 5));
    const a = log.sign();
    const b = log.sign(); // same millisecond, same size: still a new, later head
    assert.equal(a.timestamp, '2025-03-01T09:00:00.001Z');
    assert.equal(b.timestamp, '2025-03-01T09:00:00.002Z');
    assert.equal(a.rootHash, b.rootHash);
    clock.set('2025-02-01T00:00:00.000Z'); // a clock stepped back does not reorder heads
    const c = log.sign();
    assert.equal(c.timestamp, '2025-03-01T09:00:00.003Z');
    clock.set('2025-03-02T00:00:00.000Z');
    log.append(entries(6, 9));
    const d = log.sign();
    assert.deepEqual(log.latestHead(), d);
    assert.deepEqual(log.headAt(5), c);
    assert.equal(log.headAt(6), null);
    assert.deepEqual(log.heads(), [empty, a, b, c, d]);
    assert.deepEqual(log.heads({ since: a.timestamp }), [b, c, d]);
    assert.deepEqual(log.heads({ since: a.timestamp, limit: 2 }), [b, c]);
    assert.throws(() => log.heads({ since: 'yesterday' }), is('HYG_INVALID_ARGUMENT'));
    assert.throws(() => log.heads({ limit: 0 }), is('HYG_INVALID_ARGUMENT'));
    const key = publicKeyFromPem(log.publicKeyPem);
    for (const h of log.heads()) assert.ok(verifyTreeHead(h, key));
    assert.equal(d.logId, log.logId);
  } finally {
    log.close();
  }
});

test('entries pages are bounded; a permit’s entries come most recent first', () => {
  const log = openTransparencyLog({ memory: true }, { signingSeed: SEED });
  try {
    const all = entries(1, 1500);
    log.append(all);
    const page = log.entries(100, 5000);
    assert.equal(page.length, 1000);
    assert.equal(page[0]?.index, 100);
    assert.deepEqual(page[0]?.entry, all[100]);
    assert.equal(page[0]?.leafHash, leafHash(encodeLogEntry(all[100] as LogEntry)).toString('hex'));
    assert.equal(log.entries(1490, 1600).length, 10);
    assert.deepEqual(log.entries(5, 5), []);
    assert.throws(() => log.entries(5, 4), is('HYG_INVALID_ARGUMENT'));
    assert.throws(() => log.entries(-1, 4), is('HYG_INVALID_ARGUMENT'));

    const mine = log.entriesForPermit('permit-2', { limit: 5 });
    assert.deepEqual(
      mine.map((e) => e.index),
      [1497, 1493, 1489, 1485, 1481],
    );
    assert.ok(mine.every((e) => e.entry.permitId === 'permit-2'));
    assert.deepEqual(
      log.entriesForPermit('permit-2', { limit: 2, before: 1485 }).map((e) => e.index),
      [1481, 1477],
    );
    assert.equal(log.entriesForPermit('permit-2').length, 100);
    assert.equal(log.entriesForPermit('permit-2', { limit: 5000 }).length, 375);
    assert.deepEqual(log.entriesForPermit('nobody'), []);
  } finally {
    log.close();
  }
});
