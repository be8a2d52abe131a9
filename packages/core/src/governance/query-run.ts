/**
 * A query run as the governance store records it (issue #5): which validated query ran under
 * which permit, on which engine, what it cost in privacy budget, and — for a completed run — its
 * result AFTER disclosure control: the released tables, the cohort attrition and the disclosure
 * report. Aggregates only; person rows never reach the store.
 *
 * The disclosure module owns the inner format of tables, attrition steps and report (they are
 * JSON objects here). Only the tables and the attrition are released (`releasedContent`). What the store checks itself, as a second line of defence behind the
 * disclosure module (DESIGN.md §4.1, §4.2): the envelope, a size bound, no key that names person
 * rows or pre-control internals anywhere (`person_id`, `personId`, `contributions`, …), and no
 * NIR-shaped string anywhere.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NIR_SEARCH_PATTERN } from '../nir.js';
import { canonicalJson, queryHash, querySchema } from '../query/query.js';
import { deltaSchema, epsilonSchema, instantSchema } from './permit-scope.js';

/** Warehouse engines a query runs on. */
export const QUERY_ENGINES = ['duckdb', 'postgres'] as const;

/** A warehouse engine. */
export type QueryEngine = (typeof QUERY_ENGINES)[number];

/** Outcomes of a run. */
export const QUERY_RUN_STATUSES = ['completed', 'failed'] as const;

/** The outcome of a run. */
export type QueryRunStatus = (typeof QUERY_RUN_STATUSES)[number];

/** A SHA-256 digest in lower-case hex. */
export const sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest in lower-case hex');

/** A stable error code (`HYG_WAREHOUSE_ERROR`, `timeout`, …). */
export const runErrorCodeSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/, 'must be a short code');

/** Keys that name person rows or disclosure-control internals: never in a stored result. */
export const FORBIDDEN_RESULT_KEYS: readonly string[] = [
  'person_id',
  'personId',
  'person_source_value',
  'personSourceValue',
  'contributions',
];

/** Longest stored result, in characters of canonical JSON. */
export const MAX_RESULT_JSON_LENGTH = 16 * 1024 * 1024;

const NIR_LIKE = new RegExp(NIR_SEARCH_PATTERN.source);

/** Finds the first forbidden key or NIR-shaped string in a JSON value; returns its path. */
function firstUnsafe(
  value: unknown,
  path: (string | number)[],
): [(string | number)[], string] | null {
  if (typeof value === 'string') {
    return NIR_LIKE.test(value) ? [path, 'must not contain a NIR-shaped value'] : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstUnsafe(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (FORBIDDEN_RESULT_KEYS.includes(k)) {
        return [[...path, k], 'names person rows or pre-control data: not allowed in a result'];
      }
      if (NIR_LIKE.test(k)) return [path, 'must not contain a NIR-shaped key'];
      const found = firstUnsafe(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

const jsonObject = z.record(z.string().max(200), z.json());

/** The zod schema of a run's stored result (after disclosure control). */
export const queryRunResultSchema = z
  .strictObject({
    /** The released tables, as disclosure control left them (suppressed cells, rounding, noise). */
    tables: z.array(jsonObject).max(100),
    /** Cohort attrition: persons left after each step, disclosure-controlled like any count. */
    attrition: z.array(jsonObject).max(1000).default([]),
    /** The disclosure report: rules applied, cells suppressed, mechanisms and their cost. */
    disclosure: jsonObject,
  })
  .superRefine((r, ctx) => {
    const found = firstUnsafe(r, []);
    if (found) ctx.addIssue({ code: 'custom', path: found[0], message: found[1] });
  });

/** A run's result after disclosure control. */
export type QueryRunResult = z.output<typeof queryRunResultSchema>;

/** A run's result as a caller writes it. */
export type QueryRunResultInput = z.input<typeof queryRunResultSchema>;

/** The zod schema of what a caller records about a run. */
export const queryRunInputSchema = z
  .strictObject({
    projectId: z.string().min(1).max(200),
    permitId: z.string().min(1).max(200),
    /** `queryHash(query)`: checked against the query. */
    queryHash: sha256HexSchema,
    /** The validated query (validated again here). */
    query: querySchema,
    engine: z.enum(QUERY_ENGINES),
    status: z.enum(QUERY_RUN_STATUSES),
    /** Required for a completed run, absent (or null) for a failed one. */
    result: queryRunResultSchema.nullable().optional(),
    /** Required for a failed run, absent (or null) for a completed one. */
    errorCode: runErrorCodeSchema.nullable().optional(),
    /** The privacy cost the run spent (or reserved: see `reservationId`). */
    epsilon: epsilonSchema,
    delta: deltaSchema.default(0),
    startedAt: instantSchema,
    finishedAt: instantSchema,
    /**
     * The budget reservation made for this run before it computed (`reserveBudget`); the run
     * consumes it instead of debiting again, and its cost must equal the reservation's.
     */
    reservationId: z.string().min(1).max(200).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.status === 'completed' && (r.result === undefined || r.result === null)) {
      ctx.addIssue({ code: 'custom', path: ['result'], message: 'a completed run has a result' });
    }
    if (r.status === 'completed' && r.errorCode !== undefined && r.errorCode !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['errorCode'],
        message: 'a completed run has no error code',
      });
    }
    if (r.status === 'failed' && r.result !== undefined && r.result !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['result'],
        message: 'a failed run keeps no result',
      });
    }
    if (r.status === 'failed' && (r.errorCode === undefined || r.errorCode === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['errorCode'],
        message: 'a failed run has an error code',
      });
    }
    if (r.finishedAt < r.startedAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['finishedAt'],
        message: 'must not be before startedAt',
      });
    }
    if (queryHash(r.query) !== r.queryHash) {
      ctx.addIssue({
        code: 'custom',
        path: ['queryHash'],
        message: 'is not the hash of the query',
      });
    }
  });

/** What a caller records about a run. */
export type QueryRunInput = z.input<typeof queryRunInputSchema>;

/** A run record as validated. */
export type QueryRunRecord = z.output<typeof queryRunInputSchema>;

/**
 * The stored form of a result: canonical JSON (keys sorted), so that equal results store equal
 * bytes and the release register's content hash is the SHA-256 of exactly what is stored.
 */
export function resultJson(result: QueryRunResult): string {
  return canonicalJson(result);
}

/**
 * What leaves the platform when a run is released: its tables and its attrition — not the
 * disclosure report. The report is for the output checker (and the project, inside the platform):
 * it says why each position was withheld, and telling "primary" from "secondary" suppression
 * would tell "fewer than k persons" from "k or more" to anyone who reads it.
 */
export interface ReleasedResult {
  readonly tables: QueryRunResult['tables'];
  readonly attrition: QueryRunResult['attrition'];
}

/** The released part of a result (see `ReleasedResult`): the tables and attrition only. */
export function releasedContent(result: ReleasedResult): ReleasedResult {
  return { tables: result.tables, attrition: result.attrition };
}

/**
 * The released content as canonical JSON: what a download serves (in JSON; other formats are
 * renderings of it) and what the release register's content hash is computed over.
 */
export function releasedJson(result: ReleasedResult): string {
  return canonicalJson(releasedContent(result));
}

/**
 * SHA-256 (lower-case hex) of a text: the release register's content hash of `releasedJson`.
 * Anyone holding the released JSON can check it against the register.
 */
export function resultContentHash(json: string): string {
  return createHash('sha256').update(json, 'utf8').digest('hex');
}
