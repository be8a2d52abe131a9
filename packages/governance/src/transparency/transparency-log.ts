/**
 * The transparency log's store (issue #6): an append-only Merkle log of audit entries in its own
 * SQLite file (`<data-dir>/transparency.sqlite`), apart from the governance store's hot tables, so
 * that it can be copied, exported and verified on its own and never slows the store down.
 *
 * Why better-sqlite3 directly rather than Kysely: the log is a single-writer, append-heavy
 * structure whose hot path (append a batch: one insert per entry plus O(log n) completed nodes)
 * benefits from synchronous prepared statements inside one transaction — no promise per row, no
 * query building — and it needs no PostgreSQL variant: a log is a file that travels (export,
 * backup) and is checked offline. Proofs are a handful of point lookups on primary keys.
 *
 * Structure: `tlog_entries` holds the leaves, `tlog_nodes` every perfect aligned subtree of level
 * ≥ 1 (as `MerkleFrontier.append` completes them), `tlog_heads` the signed tree heads. An append
 * costs O(log n) hashes and inserts; a proof O(log n) primary-key lookups; the root of any past
 * size O(log n) lookups. The in-memory frontier is resumed from O(log n) stored nodes on open.
 *
 * Durability: WAL with `synchronous = FULL` — a published tree head must never be lost by a power
 * cut (re-signing the same size after a loss could look like a fork), and appends are batched, so
 * the fsync per commit is paid per batch, not per entry.
 *
 * One process writes (the server). Another writer is detected (the stored size differs from the
 * frontier's) and the frontier is reloaded inside the write transaction.
 */
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import {
  EMPTY_ROOT,
  HygieError,
  MerkleFrontier,
  consistencyProofSync,
  ed25519KeyPairFromSeed,
  inclusionProofSync,
  jcs,
  leafHash,
  logIdOf,
  parseLogEntry,
  publicKeyPem as pemOf,
  signTreeHead,
  subtreeRootSync,
} from '@hygie/core';
import type { LogEntry, SignedTreeHead, SyncSubtreeSource } from '@hygie/core';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { prepareSqliteFile } from '../sqlite-file.js';
import { exportEntryLine, exportHeadLine, exportHeaderLine } from './log-export.js';
import type { LogExportSummary } from './log-export.js';
import { migrateTransparencyLog } from './log-schema.js';

/** Where the log lives: its SQLite file (normally `<data-dir>/transparency.sqlite`) or memory. */
export type TransparencyLogLocation = { file: string } | { memory: true };

/** Opening options. */
export interface TransparencyLogOptions {
  /** 32-byte Ed25519 seed of the log's signing key (derived from the master key). */
  signingSeed: Uint8Array;
  /** Clock of the tree head timestamps; default the system clock. */
  clock?: Clock;
}

/** An entry as stored: its index (leaf position), the entry and its leaf hash (hex). */
export interface StoredLogEntry {
  index: number;
  entry: LogEntry;
  leafHash: string;
}

/** Result of an append. */
export interface AppendResult {
  /** Index of the first appended entry. */
  first: number;
  /** Size of the tree after the append. */
  treeSize: number;
}

/** Most entries or heads one page returns. */
export const TLOG_MAX_PAGE = 1000;

/** The transparency log. Synchronous (better-sqlite3), except `export`. */
export interface TransparencyLog {
  /** Hex SHA-256 of the raw public key. */
  readonly logId: string;
  /** The public key (SPKI PEM) that verifies the tree heads. */
  readonly publicKeyPem: string;
  /** Number of entries. */
  readonly size: number;
  /**
   * Validates every entry (schema, NIR guard, `seq` strictly increasing after `lastSeq()`), then
   * appends all of them in one transaction — or none. Does not sign.
   */
  append(entries: readonly LogEntry[]): AppendResult;
  /**
   * Signs the current tree head and stores it — always a new row, even when the size has not
   * changed (daily sealing). Timestamps strictly increase along the stored heads.
   */
  sign(): SignedTreeHead;
  /** The most recent signed tree head, or null before the first `sign`. */
  latestHead(): SignedTreeHead | null;
  /** Heads signed strictly after `since` (ISO instant), oldest first, at most `limit` (≤ 1000). */
  heads(options?: { since?: string; limit?: number }): SignedTreeHead[];
  /** The latest head of exactly that size, or null. */
  headAt(treeSize: number): SignedTreeHead | null;
  /** The highest source `seq` appended (the feeder's cursor); 0 when empty. */
  lastSeq(): number;
  /** Entries [start, end), clamped to the log and to 1000 entries. */
  entries(start: number, end: number): StoredLogEntry[];
  /** Merkle Tree Hash (hex) of the first `treeSize` entries. */
  rootAt(treeSize: number): string;
  /** Audit path (hex) of entry `index` in the tree of `treeSize` entries (RFC 9162 §2.1.3). */
  inclusionProof(index: number, treeSize: number): string[];
  /** Consistency proof (hex) between sizes 0 < first ≤ second ≤ size (RFC 9162 §2.1.4). */
  consistencyProof(first: number, second: number): string[];
  /**
   * Entries of a permit, most recent first, at most `limit` (default 100, ≤ 1000); `before`
   * (an index) pages further back.
   */
  entriesForPermit(
    permitId: string,
    options?: { limit?: number; before?: number },
  ): StoredLogEntry[];
  /**
   * Writes the export (format in `log-export.ts`) of the log as it is when the call starts to a
   * stream (ended when done) or to a file (written beside it, renamed when complete).
   */
  export(target: Writable | string): Promise<LogExportSummary>;
  /** Closes the file. */
  close(): void;
}

/** Default file name of the log inside the data directory. */
export const TRANSPARENCY_SQLITE_FILE = 'transparency.sqlite';

interface HeadRow {
  tree_size: number;
  root_hash: string;
  timestamp: string;
  signature: string;
}

interface EntryRow {
  idx: number;
  entry: string;
  leaf_hash: Buffer;
}

function invalid(message: string, details: Record<string, string | number | null>): HygieError {
  return new HygieError('HYG_INVALID_ARGUMENT', message, details);
}

function assertIndex(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalid(`${name} must be an integer ≥ 0`, { argument: name });
  }
}

function pageLimit(limit: number | undefined, dflt: number): number {
  if (limit === undefined) return dflt;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw invalid('limit must be an integer ≥ 1', { argument: 'limit' });
  }
  return Math.min(limit, TLOG_MAX_PAGE);
}

/** Opens (creating and migrating if needed) a transparency log. */
export function openTransparencyLog(
  where: TransparencyLogLocation,
  options: TransparencyLogOptions,
): TransparencyLog {
  const { privateKey, publicKey } = ed25519KeyPairFromSeed(options.signingSeed);
  const logId = logIdOf(publicKey);
  const publicKeyPem = pemOf(publicKey);
  const clock = options.clock ?? systemClock;

  let db: Database.Database;
  if ('file' in where) {
    prepareSqliteFile(where.file);
    db = new Database(where.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
  } else {
    db = new Database(':memory:');
  }
  try {
    migrateTransparencyLog(db);
    const stored = db.prepare("SELECT value FROM tlog_meta WHERE key = 'log_id'").get() as
      { value: string } | undefined;
    if (stored === undefined) {
      db.prepare("INSERT INTO tlog_meta (key, value) VALUES ('log_id', ?)").run(logId);
    } else if (stored.value !== logId) {
      // A log is bound to one key for life: another key would start a new log, not continue it.
      throw new HygieError(
        'HYG_INVALID_CONFIG',
        'the transparency log was created with another signing key',
        { reason: 'log-key-mismatch' },
      );
    }
  } catch (e) {
    db.close();
    throw e;
  }

  const st = {
    maxIdx: db.prepare('SELECT max(idx) AS m FROM tlog_entries').pluck(),
    maxSeq: db.prepare('SELECT max(seq) AS m FROM tlog_entries').pluck(),
    insertEntry: db.prepare(
      'INSERT INTO tlog_entries (idx, seq, entry, leaf_hash, permit_id) VALUES (?, ?, ?, ?, ?)',
    ),
    insertNode: db.prepare('INSERT INTO tlog_nodes (level, idx, hash) VALUES (?, ?, ?)'),
    leaf: db.prepare('SELECT leaf_hash FROM tlog_entries WHERE idx = ?').pluck(),
    node: db.prepare('SELECT hash FROM tlog_nodes WHERE level = ? AND idx = ?').pluck(),
    insertHead: db.prepare(
      'INSERT INTO tlog_heads (tree_size, root_hash, timestamp, signature) VALUES (?, ?, ?, ?)',
    ),
    latestHead: db.prepare(
      'SELECT * FROM tlog_heads ORDER BY timestamp DESC, tree_size DESC LIMIT 1',
    ),
    headsSince: db.prepare(
      'SELECT * FROM tlog_heads WHERE timestamp > ? ORDER BY timestamp, tree_size LIMIT ?',
    ),
    headAt: db.prepare(
      'SELECT * FROM tlog_heads WHERE tree_size = ? ORDER BY timestamp DESC LIMIT 1',
    ),
    headsUpTo: db.prepare(
      'SELECT * FROM tlog_heads WHERE timestamp <= ? ORDER BY timestamp, tree_size',
    ),
    entryRange: db.prepare(
      'SELECT idx, entry, leaf_hash FROM tlog_entries WHERE idx >= ? AND idx < ? ORDER BY idx',
    ),
    entryTextRange: db
      .prepare('SELECT entry FROM tlog_entries WHERE idx >= ? AND idx < ? ORDER BY idx')
      .pluck(),
    permitEntries: db.prepare(
      'SELECT idx, entry, leaf_hash FROM tlog_entries WHERE permit_id = ? AND idx < ? ORDER BY idx DESC LIMIT ?',
    ),
  };

  const storedSize = (): number => {
    const m = st.maxIdx.get() as number | null;
    return m === null ? 0 : m + 1;
  };

  // Perfect aligned subtrees straight from the store: leaves from tlog_entries, the rest from
  // tlog_nodes. A missing row means the file was damaged or edited.
  const source: SyncSubtreeSource = {
    perfect(level: number, index: number): Buffer {
      const hash = (level === 0 ? st.leaf.get(index) : st.node.get(level, index)) as
        Buffer | undefined;
      if (!Buffer.isBuffer(hash) || hash.length !== 32) {
        throw new HygieError('HYG_INTERNAL', 'the transparency log is missing a tree node', {
          level,
          index,
        });
      }
      return hash;
    },
  };

  const resume = (): MerkleFrontier =>
    MerkleFrontier.fromNodes(storedSize(), (level, index) => source.perfect(level, index));

  let frontier: MerkleFrontier;
  try {
    frontier = resume();
  } catch (e) {
    // A damaged node table: refuse to open rather than sign a wrong root later.
    db.close();
    throw e;
  }

  // Called inside write transactions: picks up appends made by another connection.
  const syncFrontier = (): void => {
    if (storedSize() !== frontier.size) frontier = resume();
  };

  const latestTimestamp = (): string =>
    (st.latestHead.get() as HeadRow | undefined)?.timestamp ?? '';

  const toHead = (row: HeadRow): SignedTreeHead => ({
    logId,
    treeSize: row.tree_size,
    rootHash: row.root_hash,
    timestamp: row.timestamp,
    signature: row.signature,
  });

  const toEntry = (row: EntryRow): StoredLogEntry => ({
    index: row.idx,
    entry: JSON.parse(row.entry) as LogEntry,
    leafHash: row.leaf_hash.toString('hex'),
  });

  const checkSize = (name: string, treeSize: number, size: number): void => {
    assertIndex(name, treeSize);
    if (treeSize > size) {
      throw invalid(`${name} is beyond the log's size`, { argument: name, size });
    }
  };

  const appendTx = db.transaction(
    (encoded: { text: string; seq: number; permitId: string | null }[]) => {
      syncFrontier();
      const last = (st.maxSeq.get() as number | null) ?? 0;
      const first = encoded[0];
      if (first !== undefined && first.seq <= last) {
        throw new HygieError(
          'HYG_CONFLICT',
          'log entry: seq must be greater than the last appended',
          {
            argument: 'seq',
            seq: first.seq,
            lastSeq: last,
          },
        );
      }
      const f = frontier.clone();
      const start = f.size;
      for (const e of encoded) {
        const leaf = leafHash(Buffer.from(e.text, 'utf8'));
        st.insertEntry.run(f.size, e.seq, e.text, leaf, e.permitId);
        for (const node of f.append(leaf)) {
          if (node.level > 0) st.insertNode.run(node.level, node.index, node.hash);
        }
      }
      return { f, start };
    },
  );

  const signTx = db.transaction((): SignedTreeHead => {
    syncFrontier();
    const latest = st.latestHead.get() as HeadRow | undefined;
    // Strictly increasing timestamps: two seals in the same millisecond (or a clock stepped
    // back) still order, and the (size, timestamp) key never collides.
    let t = clock().getTime();
    if (!Number.isFinite(t)) throw new HygieError('HYG_INTERNAL', 'the clock gave no time');
    if (latest !== undefined) t = Math.max(t, Date.parse(latest.timestamp) + 1);
    const sth = signTreeHead(
      {
        logId,
        treeSize: frontier.size,
        rootHash: frontier.root().toString('hex'),
        timestamp: new Date(t).toISOString(),
      },
      privateKey,
    );
    st.insertHead.run(sth.treeSize, sth.rootHash, sth.timestamp, sth.signature);
    return sth;
  });

  async function writeExport(out: Writable): Promise<LogExportSummary> {
    // A snapshot taken in one read transaction: the entries present now and every head stored
    // by now. Heads are not filtered by size: a head covering entries that are gone (a damaged
    // or truncated file) must reach the verifier, which reports it.
    const { n, heads } = db.transaction(() => ({
      n: storedSize(),
      heads: (st.headsUpTo.all(latestTimestamp()) as HeadRow[]).map(toHead),
    }))();
    const write = async (line: string): Promise<void> => {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    };
    await write(exportHeaderLine(logId, publicKeyPem));
    for (let start = 0; start < n; start += TLOG_MAX_PAGE) {
      const end = Math.min(n, start + TLOG_MAX_PAGE);
      const texts = st.entryTextRange.all(start, end) as string[];
      // Build the page in memory and write it once: fewer stream calls, bounded by the page.
      let chunk = '';
      texts.forEach((text, i) => {
        chunk += `${exportEntryLine(start + i, text)}\n`;
      });
      if (!out.write(chunk)) await once(out, 'drain');
    }
    for (const h of heads) await write(exportHeadLine(h));
    return { entries: n, heads: heads.length };
  }

  const log: TransparencyLog = {
    logId,
    publicKeyPem,
    get size(): number {
      return storedSize();
    },

    append(entries: readonly LogEntry[]): AppendResult {
      if (!Array.isArray(entries))
        throw invalid('append takes an array of entries', { argument: 'entries' });
      const encoded = entries.map((raw, i) => {
        let entry: LogEntry;
        try {
          entry = parseLogEntry(raw);
        } catch (e) {
          // Name the entry of the batch that failed; the details stay the guard's (never values).
          if (e instanceof HygieError) {
            throw new HygieError(
              e.code,
              `entry ${i} of the batch: ${e.message}`,
              { ...e.details, batchIndex: i },
              { cause: e },
            );
          }
          throw e;
        }
        return { text: jcs(entry), seq: entry.seq, permitId: entry.permitId ?? null };
      });
      for (let i = 1; i < encoded.length; i++) {
        if ((encoded[i] as { seq: number }).seq <= (encoded[i - 1] as { seq: number }).seq) {
          throw new HygieError(
            'HYG_CONFLICT',
            `entry ${i} of the batch: seq must increase along the batch`,
            {
              argument: 'seq',
              batchIndex: i,
            },
          );
        }
      }
      if (encoded.length === 0) {
        const size = storedSize();
        return { first: size, treeSize: size };
      }
      // BEGIN IMMEDIATE: take the write lock first, so a concurrent writer waits rather than
      // failing half-way on a lock upgrade.
      const { f, start } = appendTx.immediate(encoded);
      frontier = f;
      return { first: start, treeSize: f.size };
    },

    sign(): SignedTreeHead {
      return signTx.immediate();
    },

    latestHead(): SignedTreeHead | null {
      const row = st.latestHead.get() as HeadRow | undefined;
      return row === undefined ? null : toHead(row);
    },

    heads(options: { since?: string; limit?: number } = {}): SignedTreeHead[] {
      const since = options.since ?? '';
      if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) {
        throw invalid('since must be an ISO 8601 instant', { argument: 'since' });
      }
      // Stored timestamps are toISOString() forms, which sort as text; normalise `since` alike.
      const key = since === '' ? '' : new Date(since).toISOString();
      return (st.headsSince.all(key, pageLimit(options.limit, 100)) as HeadRow[]).map(toHead);
    },

    headAt(treeSize: number): SignedTreeHead | null {
      assertIndex('treeSize', treeSize);
      const row = st.headAt.get(treeSize) as HeadRow | undefined;
      return row === undefined ? null : toHead(row);
    },

    lastSeq(): number {
      return (st.maxSeq.get() as number | null) ?? 0;
    },

    entries(start: number, end: number): StoredLogEntry[] {
      assertIndex('start', start);
      assertIndex('end', end);
      if (end < start) throw invalid('end must not be before start', { argument: 'end' });
      const stop = Math.min(end, start + TLOG_MAX_PAGE);
      return (st.entryRange.all(start, stop) as EntryRow[]).map(toEntry);
    },

    rootAt(treeSize: number): string {
      checkSize('treeSize', treeSize, storedSize());
      if (treeSize === 0) return EMPTY_ROOT.toString('hex');
      return subtreeRootSync(source, 0, treeSize).toString('hex');
    },

    inclusionProof(index: number, treeSize: number): string[] {
      checkSize('treeSize', treeSize, storedSize());
      assertIndex('index', index);
      if (index >= treeSize) throw invalid('index must be below treeSize', { argument: 'index' });
      return inclusionProofSync(source, index, treeSize).map((b) => b.toString('hex'));
    },

    consistencyProof(first: number, second: number): string[] {
      checkSize('second', second, storedSize());
      assertIndex('first', first);
      if (first < 1 || first > second) {
        throw invalid('a consistency proof needs 0 < first ≤ second', { argument: 'first' });
      }
      return consistencyProofSync(source, first, second).map((b) => b.toString('hex'));
    },

    entriesForPermit(
      permitId: string,
      options: { limit?: number; before?: number } = {},
    ): StoredLogEntry[] {
      if (typeof permitId !== 'string' || permitId.length === 0) {
        throw invalid('permitId must be a non-empty string', { argument: 'permitId' });
      }
      const before = options.before ?? Number.MAX_SAFE_INTEGER;
      assertIndex('before', before);
      const rows = st.permitEntries.all(
        permitId,
        before,
        pageLimit(options.limit, 100),
      ) as EntryRow[];
      return rows.map(toEntry);
    },

    async export(target: Writable | string): Promise<LogExportSummary> {
      if (typeof target !== 'string') {
        const summary = await writeExport(target);
        target.end();
        await once(target, 'finish');
        return summary;
      }
      const partial = `${target}.partial`;
      const out = createWriteStream(partial, { flags: 'w' });
      try {
        await once(out, 'open');
        const summary = await writeExport(out);
        out.end();
        await once(out, 'finish');
        await rename(partial, target);
        return summary;
      } catch (e) {
        out.destroy();
        await unlink(partial).catch(() => undefined);
        throw new HygieError(
          'HYG_IO_ERROR',
          'cannot write the transparency log export',
          { reason: 'export' },
          { cause: e },
        );
      }
    },

    close(): void {
      db.close();
    },
  };
  return log;
}
