/**
 * The public transparency log (issue #6), without login: anyone may fetch the latest signed tree
 * head, the entries, inclusion and consistency proofs, the whole export and the public key, and
 * check them offline (`hygie audit verify`, or any RFC 9162 verifier). Every read except the
 * export and the key feeds the log first, so that it includes every audit event recorded before
 * the request. Entries are public by construction: pseudonymous actors, no free text
 * (`transparency/log-feeder.ts`).
 */
import { PassThrough } from 'node:stream';
import { HygieError, logEntrySchema } from '@hygie/core';
import type { FastifyBaseLogger } from 'fastify';
import { TLOG_MAX_PAGE } from '@hygie/governance';
import type { TransparencyLog } from '@hygie/governance';
import { z } from 'zod';
import type { ResolvedDeps, RoutePlugin } from '../deps.js';
import type { LogFeeder } from '../transparency/log-feeder.js';

const PUBLIC = { public: true } as const;
const TAGS = ['transparency'];

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A signed tree head. */
export const signedTreeHeadResponse = z.object({
  logId: hex64,
  treeSize: z.number().int(),
  rootHash: hex64,
  timestamp: z.string(),
  signature: z.string(),
});

const headResponse = z.object({
  logId: hex64,
  publicKeyPem: z.string(),
  head: signedTreeHeadResponse.nullable(),
});

const entriesResponse = z.object({
  entries: z.array(z.object({ index: z.number().int(), leafHash: hex64, entry: logEntrySchema })),
});

const inclusionResponse = z.object({
  index: z.number().int(),
  treeSize: z.number().int(),
  leafHash: hex64,
  rootHash: hex64,
  proof: z.array(hex64),
});

const consistencyResponse = z.object({
  first: z.number().int(),
  second: z.number().int(),
  firstRootHash: hex64,
  secondRootHash: hex64,
  proof: z.array(hex64),
});

interface Transparency {
  log: TransparencyLog;
  feeder: LogFeeder;
}

function transparencyOf(deps: ResolvedDeps): Transparency {
  if (deps.transparencyLog === undefined || deps.transparencyFeeder === undefined) {
    throw new HygieError('HYG_UNAVAILABLE', 'the transparency log is not configured', {
      reason: 'transparency-log',
    });
  }
  return { log: deps.transparencyLog, feeder: deps.transparencyFeeder };
}

/** Feeds the log before a read; a failed feed is logged and the log answers as it stands. */
export async function currentTransparencyLog(
  deps: ResolvedDeps,
  log: FastifyBaseLogger,
): Promise<TransparencyLog> {
  const t = transparencyOf(deps);
  try {
    await t.feeder.feedOnce();
  } catch (err) {
    log.error({ err }, 'transparency log feed failed; answering from the log as it stands');
  }
  return t.log;
}

function notBeyond(value: number, limit: number, name: string): void {
  if (value > limit) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `${name} is beyond the log's size (${limit})`, {
      argument: name,
    });
  }
}

/** Registers `/api/v1/transparency/*`. */
export const transparencyRoutes: RoutePlugin = (app, deps) => {
  app.get(
    '/api/v1/transparency/head',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: 'Latest signed tree head, with the log id and its public key',
        security: [],
        response: { 200: headResponse },
      },
    },
    async (request) => {
      const log = await currentTransparencyLog(deps, request.log);
      return { logId: log.logId, publicKeyPem: log.publicKeyPem, head: log.latestHead() };
    },
  );

  app.get(
    '/api/v1/transparency/heads',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: 'Signed tree heads after an instant, oldest first',
        security: [],
        querystring: z.object({
          since: z.iso.datetime().optional(),
          limit: z.coerce.number().int().min(1).max(TLOG_MAX_PAGE).default(TLOG_MAX_PAGE),
        }),
        response: { 200: z.object({ heads: z.array(signedTreeHeadResponse) }) },
      },
    },
    async (request) => {
      const log = await currentTransparencyLog(deps, request.log);
      const { since, limit } = request.query;
      return { heads: log.heads({ ...(since !== undefined ? { since } : {}), limit }) };
    },
  );

  app.get(
    '/api/v1/transparency/entries',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: `Entries [start, end), at most ${TLOG_MAX_PAGE}`,
        security: [],
        querystring: z
          .object({ start: size, end: size })
          .refine((q) => q.end >= q.start && q.end - q.start <= TLOG_MAX_PAGE, {
            message: `end must be start to start + ${TLOG_MAX_PAGE}`,
            path: ['end'],
          }),
        response: { 200: entriesResponse },
      },
    },
    async (request) => {
      const log = await currentTransparencyLog(deps, request.log);
      return { entries: log.entries(request.query.start, request.query.end) };
    },
  );

  app.get(
    '/api/v1/transparency/permits/:permitId/entries',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: `The entries of one permit, most recent first (at most ${TLOG_MAX_PAGE}; before: an index, to page back)`,
        security: [],
        params: z.object({ permitId: z.string().min(1).max(200) }),
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(TLOG_MAX_PAGE).default(100),
          before: size.optional(),
        }),
        response: { 200: entriesResponse },
      },
    },
    async (request) => {
      const log = await currentTransparencyLog(deps, request.log);
      return {
        entries: log.entriesForPermit(request.params.permitId, {
          limit: request.query.limit,
          ...(request.query.before !== undefined ? { before: request.query.before } : {}),
        }),
      };
    },
  );

  app.get(
    '/api/v1/transparency/proofs/inclusion',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: 'Inclusion proof (RFC 9162 audit path) of an entry in a tree size',
        security: [],
        querystring: z.object({ index: size, treeSize: size.min(1) }),
        response: { 200: inclusionResponse },
      },
    },
    async (request) => {
      const log = await currentTransparencyLog(deps, request.log);
      const { index, treeSize } = request.query;
      notBeyond(treeSize, log.size, 'treeSize');
      const proof = log.inclusionProof(index, treeSize);
      const [stored] = log.entries(index, index + 1);
      if (stored === undefined) {
        throw new HygieError('HYG_INVALID_ARGUMENT', 'index must be below treeSize', {
          argument: 'index',
        });
      }
      return { index, treeSize, leafHash: stored.leafHash, rootHash: log.rootAt(treeSize), proof };
    },
  );

  app.get(
    '/api/v1/transparency/proofs/consistency',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: 'Consistency proof (RFC 9162) between two tree sizes',
        security: [],
        querystring: z.object({ first: size.min(1), second: size.min(1) }),
        response: { 200: consistencyResponse },
      },
    },
    async (request) => {
      const log = await currentTransparencyLog(deps, request.log);
      const { first, second } = request.query;
      notBeyond(second, log.size, 'second');
      const proof = log.consistencyProof(first, second);
      return {
        first,
        second,
        firstRootHash: log.rootAt(first),
        secondRootHash: log.rootAt(second),
        proof,
      };
    },
  );

  app.get(
    '/api/v1/transparency/export',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary:
          'The whole log as JSON Lines (header, entries, signed heads): check it offline with ' +
          '`hygie audit verify`',
        security: [],
      },
    },
    async (request, reply) => {
      const { log } = transparencyOf(deps);
      const out = new PassThrough();
      log.export(out).catch((err: unknown) => {
        request.log.error({ err }, 'transparency log export failed');
        out.destroy(err as Error);
      });
      return reply
        .header('content-type', 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', 'attachment; filename="hygie-transparency-log.jsonl"')
        .send(out);
    },
  );

  app.get(
    '/api/v1/transparency/public-key',
    {
      config: { access: PUBLIC },
      schema: {
        tags: TAGS,
        summary: "The log's public key (SPKI PEM) that verifies its signed tree heads",
        security: [],
      },
    },
    async (_request, reply) => {
      const { log } = transparencyOf(deps);
      return reply.header('content-type', 'text/plain; charset=utf-8').send(log.publicKeyPem);
    },
  );
};
