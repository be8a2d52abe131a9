/**
 * One ingestion batch, from source files to published warehouse rows — nothing lost, nothing
 * half-done:
 *
 * 1. list and hash the files; a batch whose content (format, source, file hashes) was already
 *    published is a no-op;
 * 2. in ONE transaction: stage and validate every row in the engine, pseudonymise the distinct
 *    identifiers in the engine, publish to the CDM, record the manifest and the quarantine;
 * 3. a failure anywhere rolls the transaction back — the warehouse is exactly as before — and the
 *    batch is recorded as failed, with a safe message, so it can be rerun;
 * 4. when more rows than `maxRejectRate` are quarantined, nothing is published: the batch is
 *    recorded as rejected with its quarantine (the first rows of it, if very many).
 *
 * Every source row ends up either loaded or quarantined (file, line, field, rule — never the
 * value): read = loaded + quarantined, per file and table.
 */
import { createHash, randomUUID } from 'node:crypto';
import { HygieError, isHygieError } from '@hygie/core';
import type { WarehouseEngine, WarehouseSession } from '@hygie/warehouse';
import { createConceptLookups } from './concept-lookup.js';
import { assertKeyVersion } from './key-rotation.js';
import type { Connector, StagedFileCount } from './connector.js';
import { createIdentTable, type PersonMapReport } from './person-map.js';
import type { PseudonymKeys } from './pseudonym-keys.js';
import { MAX_BATCH_NUMBER, MAX_FILES_PER_BATCH } from './row-ids.js';
import { QUARANTINE_WORK_TABLE, createQuarantineWorkTable } from './snds/snds-stage.js';
import { hashFiles, listSourceFiles, safeFileLabel, type SourceFile } from './source-files.js';

/** Progress of a batch. */
export interface IngestProgress {
  phase: 'hash' | 'stage' | 'publish' | 'record';
  done: number;
  total: number;
}

/** What to ingest. */
export interface IngestRequest {
  connector: Connector;
  paths: readonly string[];
  /** Name of the source (a namespace for its own identifiers); default: the format. */
  source?: string;
  /** Largest share of quarantined rows that still lets the batch publish (default 0.01). */
  maxRejectRate?: number;
  onProgress?: (p: IngestProgress) => void;
}

/** Counts per source file and table. */
export interface FileReport {
  path: string;
  sha256: string;
  bytes: number;
  sourceTable: string;
  read: number;
  loaded: number;
  quarantined: number;
}

/** The outcome of a batch (also its manifest). */
export interface IngestReport {
  batchId: string;
  batchNumber: number;
  status: 'published' | 'rejected' | 'noop' | 'failed';
  format: string;
  source: string;
  contentHash: string;
  keyId: string;
  platformKeyVersion: number;
  files: FileReport[];
  /** Totals per source table. */
  tables: Record<string, { read: number; loaded: number; quarantined: number }>;
  /** CDM rows written per table. */
  cdm: Record<string, number>;
  persons: PersonMapReport | null;
  rejectRate: number;
  timingsMs: Record<string, number>;
  /** For failed or rejected batches: why (safe to show). */
  error?: string;
}

/**
 * Quarantine rules that set aside records which are not errors: resource types Hygie does not
 * ingest, and records whose status says the event did not happen (entered in error, refuted,
 * cancelled…). They are counted (read = loaded + quarantined) but not against the reject rate.
 */
const NOT_AN_ERROR_SQL = `(rule = 'unsupported resource type' OR starts_with(rule, 'status ') OR starts_with(rule, 'verification status '))`;

class RejectedBatch extends Error {
  constructor(
    readonly rate: number,
    readonly quarantineSample: unknown[][],
  ) {
    super('too many rejected rows');
  }
}

const QUARANTINE_SAMPLE = 100_000;

async function fileCounts(
  s: WarehouseSession,
  staged: readonly StagedFileCount[],
  files: readonly SourceFile[],
): Promise<FileReport[]> {
  const q = await s.query<{ path: string; source_table: string; n: number | bigint }>(
    `SELECT path, source_table, count(*) AS n FROM ${QUARANTINE_WORK_TABLE} GROUP BY path, source_table`,
  );
  const quarantined = new Map(q.map((r) => [`${r.path}\u0000${r.source_table}`, Number(r.n)]));
  const byPath = new Map(
    files.map((f, i) => [f.path, { file: f, label: safeFileLabel(f.path, i, f.sha256) }]),
  );
  return staged.map((f) => {
    const src = byPath.get(f.path) as { file: SourceFile; label: string };
    const n = quarantined.get(`${f.path}\u0000${f.sourceTable}`) ?? 0;
    return {
      path: src.label,
      sha256: src.file.sha256,
      bytes: src.file.bytes,
      sourceTable: f.sourceTable,
      read: f.read,
      loaded: f.read - n,
      quarantined: n,
    };
  });
}

function totals(files: readonly FileReport[]): IngestReport['tables'] {
  const out: IngestReport['tables'] = {};
  for (const f of files) {
    const t = (out[f.sourceTable] ??= { read: 0, loaded: 0, quarantined: 0 });
    t.read += f.read;
    t.loaded += f.loaded;
    t.quarantined += f.quarantined;
  }
  return out;
}

/** Moves staged rows that have a reason into the quarantine work table. */
async function collectQuarantine(s: WarehouseSession, connector: Connector): Promise<void> {
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE rej_rank AS
     SELECT path, line - row_number() OVER (PARTITION BY path ORDER BY line) - 1 AS thr FROM ${QUARANTINE_WORK_TABLE}`,
  );
  for (const t of connector.stagedTables()) {
    await s.execute(
      `INSERT INTO ${QUARANTINE_WORK_TABLE}
       SELECT ${t.pathSql}, ${t.sourceTableSql}, ${t.lineSql}, split_part(t._reason, '|', 1), split_part(t._reason, '|', 2)
       FROM ${t.stage} t WHERE t._reason IS NOT NULL`,
    );
  }
}

/**
 * Drops the batch's work tables before it commits: the temporary ones, and the ordinary staging
 * tables of large sources (`stg_…`), which must never be committed.
 */
async function dropWorkTables(s: WarehouseSession): Promise<void> {
  const tables = await s.query<{ name: string; temporary: boolean }>(
    `SELECT table_name AS name, temporary FROM duckdb_tables()
     WHERE temporary OR (schema_name = 'main' AND starts_with(table_name, 'stg_'))`,
  );
  for (const t of tables) {
    await s.execute(
      `DROP TABLE IF EXISTS ${t.temporary ? 'temp.' : 'main.'}${s.dialect.quoteIdent(t.name)}`,
    );
  }
}

/** Runs one batch. Never throws for bad input: the report says what happened. */
export async function runBatch(
  engine: WarehouseEngine,
  keys: PseudonymKeys,
  req: IngestRequest,
): Promise<IngestReport> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const lap = (name: string, since: number): number => {
    const now = performance.now();
    timings[name] = Math.round(now - since);
    return now;
  };
  const connector = req.connector;
  const source = req.source ?? connector.format;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(source)) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      '--source: letters, digits, dot, dash and underscore only (at most 64)',
      { argument: 'source' },
    );
  }
  const maxRejectRate = req.maxRejectRate ?? 0.01;
  const progress = req.onProgress ?? ((): void => undefined);
  await assertKeyVersion(engine, keys.keyId, keys.platformKeyVersion);
  const paths = listSourceFiles(req.paths, (p) => connector.accepts(p));
  if (paths.length === 0)
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      `no ${connector.format} files found in the given paths`,
    );
  if (paths.length > MAX_FILES_PER_BATCH) {
    throw new HygieError(
      'HYG_INVALID_ARGUMENT',
      `at most ${MAX_FILES_PER_BATCH} files per batch; split the input`,
    );
  }
  let t = performance.now();
  let hashed = 0;
  const files = await hashFiles(paths).then((fs) => {
    hashed = fs.length;
    progress({ phase: 'hash', done: hashed, total: paths.length });
    return fs;
  });
  t = lap('hash', t);
  const contentHash = createHash('sha256')
    .update(JSON.stringify([connector.format, source, [...files.map((f) => f.sha256)].sort()]))
    .digest('hex');
  const base = {
    format: connector.format,
    source,
    contentHash,
    keyId: keys.keyId,
    platformKeyVersion: keys.platformKeyVersion,
  };
  const done = await engine.query<{ batch_id: string }>(
    `SELECT batch_id FROM hygie_batch WHERE content_hash = $1 AND status = 'published' LIMIT 1`,
    [contentHash],
  );
  if (done[0]) {
    return {
      ...base,
      batchId: done[0].batch_id,
      batchNumber: 0,
      status: 'noop',
      files: [],
      tables: {},
      cdm: {},
      persons: null,
      rejectRate: 0,
      timingsMs: { total: Math.round(performance.now() - t0) },
    };
  }
  const [{ n: priorBatches } = { n: 0 }] = await engine.query<{ n: number }>(
    'SELECT count(*) AS n FROM hygie_batch',
  );
  const batchNumber = Number(priorBatches) + 1;
  if (batchNumber > MAX_BATCH_NUMBER)
    throw new HygieError('HYG_CONFLICT', 'the warehouse has reached its batch limit');
  const batchId = randomUUID();
  const startedAt = new Date().toISOString();
  await engine.execute(
    `INSERT INTO hygie_batch (batch_id, source, format, started_at, status, content_hash, key_id, platform_key_version)
     VALUES ($1, $2, $3, $4::TIMESTAMP, 'running', $5, $6, $7)`,
    [
      batchId,
      source,
      connector.format,
      startedAt,
      contentHash,
      keys.keyId,
      keys.platformKeyVersion,
    ],
  );
  let report: IngestReport = {
    ...base,
    batchId,
    batchNumber,
    status: 'failed',
    files: [],
    tables: {},
    cdm: {},
    persons: null,
    rejectRate: 0,
    timingsMs: timings,
  };
  let phase = 'staging';
  try {
    report = await engine.transaction(async (s) => {
      await s.execute('SET preserve_insertion_order = false');
      await createQuarantineWorkTable(s);
      await createIdentTable(s);
      await createConceptLookups(s);
      const { files: staged, persons } = await connector.stage(s, files, keys, source, (d, n) =>
        progress({ phase: 'stage', done: d, total: n }),
      );
      t = lap('stage', t);
      progress({ phase: 'publish', done: 0, total: 1 });
      phase = 'publishing';
      const cdm = await connector.publish(s, keys, batchId, batchNumber, timings);
      t = lap('publish', t);
      phase = 'recording the quarantine';
      await connector.locateQuarantined?.(s);
      await collectQuarantine(s, connector);
      const fileReports = await fileCounts(s, staged, files);
      // Quarantine rows name files by their safe label, never by path (see safeFileLabel).
      await s.execute('CREATE OR REPLACE TEMP TABLE file_labels (path VARCHAR, label VARCHAR)');
      await s.appendRows(
        'file_labels',
        ['path', 'label'],
        files.map((f, i) => [f.path, safeFileLabel(f.path, i, f.sha256)]),
      );
      await s.execute(
        `UPDATE ${QUARANTINE_WORK_TABLE} SET path = coalesce((SELECT label FROM file_labels l WHERE l.path = ${QUARANTINE_WORK_TABLE}.path), 'unknown file')`,
      );
      const read = fileReports.reduce((a, f) => a + f.read, 0);
      // Records set aside without being errors (see NOT_AN_ERROR_SQL) do not count against the
      // reject rate.
      const [inScope] = await s.query<{ n: number }>(
        `SELECT count(*) AS n FROM ${QUARANTINE_WORK_TABLE} WHERE NOT (${NOT_AN_ERROR_SQL})`,
      );
      const outOfScope = await s.query<{ n: number }>(
        `SELECT count(*) AS n FROM ${QUARANTINE_WORK_TABLE} WHERE ${NOT_AN_ERROR_SQL}`,
      );
      const denominator = read - Number(outOfScope[0]?.n ?? 0);
      const rate = denominator <= 0 ? 0 : Number(inScope?.n ?? 0) / denominator;
      if (rate > maxRejectRate) {
        const sample = await s.query<Record<string, unknown>>(
          `SELECT path, line, source_table, field, rule FROM ${QUARANTINE_WORK_TABLE} ORDER BY path, line LIMIT ${QUARANTINE_SAMPLE}`,
        );
        throw new RejectedBatch(
          rate,
          sample.map((r) => [r.path, r.line, r.source_table, r.field, r.rule]),
        );
      }
      const result: IngestReport = {
        ...base,
        batchId,
        batchNumber,
        status: 'published',
        files: fileReports,
        tables: totals(fileReports),
        cdm,
        persons,
        rejectRate: rate,
        timingsMs: timings,
      };
      progress({ phase: 'record', done: 0, total: 1 });
      await s.execute(
        `INSERT INTO hygie_quarantine (batch_id, path, line, source_table, field, rule)
         SELECT $1, path, line, source_table, field, rule FROM ${QUARANTINE_WORK_TABLE}`,
        [batchId],
      );
      await s.appendRows(
        'hygie_batch_file',
        [
          'batch_id',
          'path',
          'sha256',
          'bytes',
          'source_table',
          'rows_read',
          'rows_loaded',
          'rows_quarantined',
        ],
        fileReports.map((f) => [
          batchId,
          f.path,
          f.sha256,
          f.bytes,
          f.sourceTable,
          f.read,
          f.loaded,
          f.quarantined,
        ]),
      );
      timings.total = Math.round(performance.now() - t0);
      await s.execute(
        `UPDATE hygie_batch SET status = 'published', finished_at = $2::TIMESTAMP, row_counts = $3, manifest = $4 WHERE batch_id = $1`,
        [batchId, new Date().toISOString(), JSON.stringify(result.tables), JSON.stringify(result)],
      );
      await dropWorkTables(s);
      return result;
    });
    return report;
  } catch (e) {
    const finishedAt = new Date().toISOString();
    if (e instanceof RejectedBatch) {
      const message = `${(e.rate * 100).toFixed(2)} % of the rows were quarantined, more than the ${(maxRejectRate * 100).toFixed(2)} % allowed: nothing was published`;
      await engine.transaction(async (s) => {
        await s.appendRows(
          'hygie_quarantine',
          ['batch_id', 'path', 'line', 'source_table', 'field', 'rule'],
          e.quarantineSample.map((r) => [batchId, ...r]),
        );
        await s.execute(
          `UPDATE hygie_batch SET status = 'rejected', finished_at = $2::TIMESTAMP, error = $3 WHERE batch_id = $1`,
          [batchId, finishedAt, message],
        );
      });
      return {
        ...report,
        status: 'rejected',
        rejectRate: e.rate,
        error: message,
        timingsMs: { ...timings, total: Math.round(performance.now() - t0) },
      };
    }
    // Only messages of our own errors are shown: another error's text may quote data.
    const message = isHygieError(e)
      ? `${e.code} while ${phase}: ${e.message}`
      : `unexpected error while ${phase} (the warehouse is unchanged)`;
    await engine.execute(
      `UPDATE hygie_batch SET status = 'failed', finished_at = $2::TIMESTAMP, error = $3 WHERE batch_id = $1`,
      [batchId, finishedAt, message],
    );
    if (isHygieError(e)) {
      throw new HygieError(
        e.code,
        `ingestion failed while ${phase}, nothing was published: ${e.message}`,
        { ...e.details, batchId },
        { cause: e },
      );
    }
    throw new HygieError('HYG_INTERNAL', message, { batchId }, { cause: e });
  }
}
