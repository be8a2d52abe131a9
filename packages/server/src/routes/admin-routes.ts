/**
 * Operations views for administrators (data stewards), issue #8: the ingestion batches with
 * their row counts and quarantine counts, the quarantined records of a batch, and the status of
 * the master key — what `hygie warehouse status` and `hygie keys status` print from the shell.
 * Every read is audited (its shape, never a value).
 *
 * These are operational counts of the platform's own loads (rows read, loaded and quarantined
 * per source file or table), shown to administrators only; they describe files, not persons, and
 * are not research outputs, so they are not disclosure-controlled.
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { HygieError, NIR_SEARCH_PATTERN } from '@hygie/core';
import type { AuditDetails } from '@hygie/core';
import { warehouseKeyId, warehouseKeyVersion } from '@hygie/warehouse';
import type { ResolvedDeps, RoutePlugin } from '../deps.js';
import { roleLabel } from '../roles.js';
import { callerOf } from './governance-caller.js';

const ADMIN = { roles: ['admin'] } as const;
const TAGS = ['administration'];

const batchIdParam = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/)
  .describe('a batch id (GET /api/v1/admin/batches)');

const pageQuery = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(100_000_000).default(0),
};

const sourceTableCounts = z.record(
  z.string(),
  z.object({ read: z.number(), loaded: z.number(), quarantined: z.number() }),
);

const batch = z.object({
  batchId: z.string(),
  source: z.string(),
  format: z.string(),
  status: z.string().describe('running, published, rejected, failed or rolled_back'),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  keyId: z.string().nullable(),
  platformKeyVersion: z.number().nullable(),
  contentHash: z.string().nullable(),
  sourceTables: sourceTableCounts
    .nullable()
    .describe('rows read/loaded/quarantined per source table'),
  cdmRows: z.record(z.string(), z.number()).nullable().describe('rows written per warehouse table'),
  quarantined: z.number().describe('records of the batch in quarantine'),
});

/**
 * NIR-shaped runs in a quarantine text replaced by `[redacted]`. `hygie_quarantine` stores where a
 * rejected row is (file label, line, source table, field) and the rule it broke, never the
 * rejected value — which may be a NIR or another identifier (DESIGN.md §4.1, §4.7) — and
 * ingestion writes file labels, not paths (a file name may quote an identifier). No column is
 * an identifier, so none is dropped; the scrub is defence in depth against a rule text that
 * would one day quote a value.
 */
function scrub(text: string): string;
function scrub(text: string | null): string | null;
function scrub(text: string | null): string | null {
  return text === null
    ? null
    : text.replace(new RegExp(NIR_SEARCH_PATTERN.source, 'g'), '[redacted]');
}

function json<T>(text: unknown): T | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function countsOf(raw: unknown): z.infer<typeof sourceTableCounts> | null {
  const o = json<Record<string, { read?: unknown; loaded?: unknown; quarantined?: unknown }>>(raw);
  if (o === null || typeof o !== 'object') return null;
  return Object.fromEntries(
    Object.entries(o).map(([t, c]) => [
      t,
      {
        read: Number(c.read ?? 0),
        loaded: Number(c.loaded ?? 0),
        quarantined: Number(c.quarantined ?? 0),
      },
    ]),
  );
}

function cdmOf(manifest: unknown): Record<string, number> | null {
  const m = json<{ cdm?: Record<string, unknown> }>(manifest);
  if (m === null || typeof m.cdm !== 'object' || m.cdm === null) return null;
  return Object.fromEntries(Object.entries(m.cdm).map(([t, n]) => [t, Number(n)]));
}

async function audited(
  deps: ResolvedDeps,
  request: FastifyRequest,
  action: string,
  target: { type: string; id: string | null },
  details: AuditDetails,
): Promise<void> {
  const p = callerOf(request);
  await deps.audit.record({
    actorRole: roleLabel(p),
    actorId: p.actorId,
    action,
    targetType: target.type,
    targetId: target.id,
    decision: 'allow',
    details,
  });
}

interface BatchRow {
  batch_id: string;
  source: string;
  format: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  key_id: string | null;
  platform_key_version: unknown;
  content_hash: string | null;
  row_counts: string | null;
  manifest: string | null;
  quarantined: unknown;
}

/** Registers `/api/v1/admin/batches*` and `/api/v1/admin/keys`. */
export const adminRoutes: RoutePlugin = (app, deps) => {
  const w = deps.warehouse;
  const ph = (i: number): string => w.dialect.placeholder(i);

  app.get(
    '/api/v1/admin/batches',
    {
      config: { access: ADMIN },
      schema: {
        tags: TAGS,
        summary: 'Ingestion batches, newest first, with row and quarantine counts',
        querystring: z.object(pageQuery),
        response: { 200: z.object({ total: z.number(), batches: z.array(batch) }) },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const [t] = await w.query<{ n: unknown }>('SELECT count(*) AS n FROM hygie_batch');
      const rows = await w.query<BatchRow>(
        `SELECT b.batch_id, b.source, b.format, b.status, b.started_at, b.finished_at, b.error,
                b.key_id, b.platform_key_version, b.content_hash, b.row_counts, b.manifest,
                (SELECT count(*) FROM hygie_quarantine q WHERE q.batch_id = b.batch_id) AS quarantined
         FROM hygie_batch b
         ORDER BY b.started_at DESC, b.batch_id DESC
         LIMIT ${ph(1)} OFFSET ${ph(2)}`,
        [limit, offset],
      );
      const batches = rows.map((r) => ({
        batchId: r.batch_id,
        source: r.source,
        format: r.format,
        status: r.status,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        error: scrub(r.error),
        keyId: r.key_id,
        platformKeyVersion: r.platform_key_version === null ? null : Number(r.platform_key_version),
        contentHash: r.content_hash,
        sourceTables: countsOf(r.row_counts),
        cdmRows: cdmOf(r.manifest),
        quarantined: Number(r.quarantined ?? 0),
      }));
      await audited(
        deps,
        request,
        'batch.list',
        { type: 'batch', id: null },
        {
          result: 'batches',
          rows: batches.length,
        },
      );
      return { total: Number(t?.n ?? 0), batches };
    },
  );

  app.get(
    '/api/v1/admin/batches/:batchId/quarantine',
    {
      config: { access: ADMIN },
      schema: {
        tags: TAGS,
        summary:
          'Quarantined records of a batch: where they are and the rule they broke (never the value)',
        params: z.object({ batchId: batchIdParam }),
        querystring: z.object(pageQuery),
        response: {
          200: z.object({
            batchId: z.string(),
            total: z.number(),
            rules: z.array(
              z.object({
                sourceTable: z.string(),
                field: z.string().nullable(),
                rule: z.string(),
                count: z.number(),
              }),
            ),
            records: z.array(
              z.object({
                path: z.string(),
                line: z.number(),
                sourceTable: z.string(),
                field: z.string().nullable(),
                rule: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { batchId } = request.params;
      const { limit, offset } = request.query;
      const [b] = await w.query<{ batch_id: string }>(
        `SELECT batch_id FROM hygie_batch WHERE batch_id = ${ph(1)}`,
        [batchId],
      );
      if (!b) throw new HygieError('HYG_NOT_FOUND', 'no such batch', { reason: 'unknown-batch' });
      const [t] = await w.query<{ n: unknown }>(
        `SELECT count(*) AS n FROM hygie_quarantine WHERE batch_id = ${ph(1)}`,
        [batchId],
      );
      const rules = await w.query<{
        source_table: string;
        field: string | null;
        rule: string;
        n: unknown;
      }>(
        `SELECT source_table, field, rule, count(*) AS n FROM hygie_quarantine
         WHERE batch_id = ${ph(1)} GROUP BY source_table, field, rule
         ORDER BY n DESC, source_table, field, rule LIMIT 100`,
        [batchId],
      );
      const records = await w.query<{
        path: string;
        line: unknown;
        source_table: string;
        field: string | null;
        rule: string;
      }>(
        `SELECT path, line, source_table, field, rule FROM hygie_quarantine
         WHERE batch_id = ${ph(1)} ORDER BY path, line, source_table, field, rule
         LIMIT ${ph(2)} OFFSET ${ph(3)}`,
        [batchId, limit, offset],
      );
      const total = Number(t?.n ?? 0);
      await audited(
        deps,
        request,
        'batch.quarantine',
        { type: 'batch', id: batchId },
        {
          result: 'quarantine',
          rows: records.length,
          total,
        },
      );
      return {
        batchId,
        total,
        rules: rules.map((r) => ({
          sourceTable: scrub(r.source_table),
          field: scrub(r.field),
          rule: scrub(r.rule),
          count: Number(r.n),
        })),
        records: records.map((r) => ({
          path: scrub(r.path),
          line: Number(r.line),
          sourceTable: scrub(r.source_table),
          field: scrub(r.field),
          rule: scrub(r.rule),
        })),
      };
    },
  );

  app.get(
    '/api/v1/admin/keys',
    {
      config: { access: ADMIN },
      schema: {
        tags: TAGS,
        summary:
          'Master key status: key id, platform key version, creation date, source key export, and the key the warehouse is under — never key material',
        description: 'HYG_UNAVAILABLE (503) when the server runs without its key ring.',
        response: {
          200: z.object({
            keyRing: z.object({
              keyId: z.string(),
              platformKeyVersion: z.number(),
              createdAt: z.string(),
            }),
            sourceKey: z.object({
              exported: z.boolean(),
              exports: z.number(),
              lastExportedAt: z.string().nullable(),
            }),
            warehouse: z.object({
              keyId: z.string().nullable(),
              platformKeyVersion: z.number().nullable(),
              matchesKeyRing: z.boolean().nullable(),
              keys: z.array(
                z.object({
                  keyId: z.string(),
                  platformKeyVersions: z.array(z.number()),
                  batches: z.number(),
                  firstUsedAt: z.string(),
                  lastUsedAt: z.string(),
                }),
              ),
            }),
          }),
        },
      },
    },
    async (request) => {
      const ring = deps.keyRing;
      if (ring === undefined) {
        throw new HygieError('HYG_UNAVAILABLE', 'the server runs without its key ring', {
          reason: 'no-key-ring',
        });
      }
      // Public facts only: the ring's id is derived and reveals nothing; no key is derived here.
      const keyRing = {
        keyId: ring.keyId,
        platformKeyVersion: ring.platformKeyVersion,
        createdAt: ring.createdAt,
      };
      // `hygie keys export-source-key` records each export in the audit trail (key.export_source).
      const exports = await deps.governance.audit.list({
        action: 'key.export_source',
        targetId: ring.keyId,
        decision: 'allow',
      });
      // The warehouse's key: that of its latest published batch, and the platform key version its
      // person ids are under (as ingestion reads them).
      const keyIdNow = await warehouseKeyId(w);
      const warehouseVersion = await warehouseKeyVersion(w);
      const perVersion = await w.query<{
        key_id: string;
        v: unknown;
        batches: unknown;
        first_at: string;
        last_at: string;
      }>(
        `SELECT key_id, platform_key_version AS v, count(*) AS batches,
                min(started_at) AS first_at, max(started_at) AS last_at
         FROM hygie_batch WHERE status = 'published' AND key_id IS NOT NULL
         GROUP BY key_id, platform_key_version`,
      );
      const byKey = new Map<
        string,
        {
          keyId: string;
          platformKeyVersions: number[];
          batches: number;
          firstUsedAt: string;
          lastUsedAt: string;
        }
      >();
      for (const r of perVersion) {
        const e = byKey.get(r.key_id) ?? {
          keyId: r.key_id,
          platformKeyVersions: [],
          batches: 0,
          firstUsedAt: r.first_at,
          lastUsedAt: r.last_at,
        };
        if (r.v !== null && r.v !== undefined) e.platformKeyVersions.push(Number(r.v));
        e.batches += Number(r.batches);
        if (r.first_at < e.firstUsedAt) e.firstUsedAt = r.first_at;
        if (r.last_at > e.lastUsedAt) e.lastUsedAt = r.last_at;
        byKey.set(r.key_id, e);
      }
      const keys = [...byKey.values()].sort((a, b) => a.firstUsedAt.localeCompare(b.firstUsedAt));
      for (const k of keys) k.platformKeyVersions.sort((a, b) => a - b);
      await audited(
        deps,
        request,
        'key.status',
        { type: 'key', id: ring.keyId },
        {
          result: 'key-status',
          warehouseKeys: keys.length,
        },
      );
      return {
        keyRing,
        sourceKey: {
          exported: exports.length > 0,
          exports: exports.length,
          lastExportedAt: exports.at(-1)?.at ?? null,
        },
        warehouse: {
          keyId: keyIdNow,
          platformKeyVersion: warehouseVersion,
          matchesKeyRing:
            keyIdNow === null
              ? null
              : keyIdNow === ring.keyId && warehouseVersion === ring.platformKeyVersion,
          keys,
        },
      };
    },
  );
};
