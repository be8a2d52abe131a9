/**
 * The transparency log's SQLite schema and its migrations, versioned by `PRAGMA user_version` (the
 * log lives in its own file, so it does not share the governance store's migration table).
 * Every table is append-only: triggers refuse UPDATE and DELETE, and entries can only be added at
 * the next index. A determined operator can still drop the triggers — that is what the signed tree
 * heads and the offline verifier are for; the triggers stop accidents and careless code.
 */
import type { Database } from 'better-sqlite3';
import { HygieError } from '@hygie/core';

/** Tables of the log (all append-only). */
export const TLOG_TABLES = ['tlog_meta', 'tlog_entries', 'tlog_nodes', 'tlog_heads'] as const;

function appendOnly(table: string): string {
  return `
    CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
    CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
      BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`;
}

/** Migrations in order; migration i brings the schema to version i + 1. */
const MIGRATIONS: readonly string[] = [
  `
  -- Settings fixed at creation (the log id, so that the log is never signed by another key).
  CREATE TABLE tlog_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  -- One row per leaf: the entry's canonical JSON (RFC 8785) and its leaf hash; seq is the source
  -- audit event id; permit_id is copied out of the entry for the citizen view.
  CREATE TABLE tlog_entries (
    idx INTEGER PRIMARY KEY CHECK (idx >= 0),
    seq INTEGER UNIQUE NOT NULL,
    entry TEXT NOT NULL,
    leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),
    permit_id TEXT
  );
  CREATE INDEX tlog_entries_by_permit ON tlog_entries (permit_id, idx) WHERE permit_id IS NOT NULL;
  -- Leaves go in at the next index only: no gap, no overwrite.
  CREATE TRIGGER tlog_entries_contiguous BEFORE INSERT ON tlog_entries
    WHEN NEW.idx IS NOT (SELECT coalesce(max(idx) + 1, 0) FROM tlog_entries)
    BEGIN SELECT RAISE(ABORT, 'tlog_entries: entries are appended at the next index'); END;
  -- Perfect aligned subtrees of level ≥ 1 (level 0 is tlog_entries.leaf_hash, not repeated):
  -- hash of leaves [idx·2^level, (idx+1)·2^level). Proofs read O(log n) of them.
  CREATE TABLE tlog_nodes (
    level INTEGER NOT NULL CHECK (level >= 1),
    idx INTEGER NOT NULL CHECK (idx >= 0),
    hash BLOB NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
  ) WITHOUT ROWID;
  -- Signed tree heads, one row per signature (daily sealing re-signs an unchanged size).
  CREATE TABLE tlog_heads (
    tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
    root_hash TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    signature TEXT NOT NULL,
    PRIMARY KEY (tree_size, timestamp)
  ) WITHOUT ROWID;
  CREATE INDEX tlog_heads_by_time ON tlog_heads (timestamp, tree_size);
  ${TLOG_TABLES.map(appendOnly).join('\n')}
  `,
];

/** The schema version this code writes. */
export const TLOG_SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the log's schema up to date (idempotent); refuses a file from a newer version. */
export function migrateTransparencyLog(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > TLOG_SCHEMA_VERSION) {
    throw new HygieError(
      'HYG_MIGRATION_FAILED',
      'the transparency log was written by a newer version of Hygie',
      { found: current, supported: TLOG_SCHEMA_VERSION },
    );
  }
  for (let v = current; v < TLOG_SCHEMA_VERSION; v++) {
    try {
      db.transaction(() => {
        db.exec(MIGRATIONS[v] as string);
        db.pragma(`user_version = ${v + 1}`);
      }).immediate();
    } catch (e) {
      throw new HygieError(
        'HYG_MIGRATION_FAILED',
        'transparency log migration failed',
        { version: v + 1 },
        { cause: e },
      );
    }
  }
}
