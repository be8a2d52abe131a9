/**
 * The airlock over HTTP (issue #5): a member requests the release of a run's controlled result,
 * an output checker outside the project decides, a member downloads the released content. The
 * store's releases repository enforces who may do what and audits each step (downloads too,
 * with their format); `recordDownload` is the only way to the released content and checks it
 * against the register's hash.
 */
import { z } from 'zod';
import { DOWNLOAD_FORMATS, RELEASE_DECISIONS } from '@hygie/core';
import { releaseCsv, releaseParquet } from '../analytics/release-formats.js';
import type { RoutePlugin } from '../deps.js';
import { actorOfPrincipal } from '../roles.js';
import { callerOf } from './governance-caller.js';
import { idSchema } from './governance-schemas.js';

/** A file name safe in a Content-Disposition header: letters, digits, `-`, `.`. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 100) || 'download';
}

const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
} as const;

/** Registers the release routes. */
export const releaseRoutes: RoutePlugin = (app, deps) => {
  const releases = deps.governance.releases;
  const requestParams = z.object({ requestId: idSchema });

  app.post(
    '/api/v1/queries/:runId/release-requests',
    {
      config: { access: { roles: ['researcher'] } },
      schema: {
        tags: ['airlock'],
        summary: "Request the release of a run's controlled result (members; a justification)",
        params: z.object({ runId: idSchema }),
        body: z.strictObject({ justification: z.string().min(1).max(4000) }),
      },
    },
    async (request, reply) => {
      const r = await releases.request(
        actorOfPrincipal(callerOf(request)),
        request.params.runId,
        request.body.justification,
      );
      return reply.code(201).send(r);
    },
  );

  app.get(
    '/api/v1/release-requests',
    {
      config: { access: { roles: ['output_checker', 'admin'] } },
      schema: {
        tags: ['airlock'],
        summary:
          'The airlock queue: pending requests of every project, oldest first, each with its ' +
          "project's public title and its run's disclosure report (output checkers, administrators)",
        querystring: z.object({ status: z.literal('pending').default('pending') }),
      },
    },
    async (request) => {
      const actor = actorOfPrincipal(callerOf(request));
      const queue = await releases.queue(actor);
      const out = [];
      for (const r of queue) {
        const run = await deps.governance.queryRuns.get(actor, r.runId);
        // The project's public title (the directory shows it to anyone): the checker knows what
        // the request is about without being a member.
        const title = await deps.governance.directory
          .get(r.projectId)
          .then((e) => e.title)
          .catch(() => null);
        out.push({ ...r, projectTitle: title, disclosure: run.result?.disclosure ?? null });
      }
      return out;
    },
  );

  app.get(
    '/api/v1/release-requests/:requestId',
    {
      config: { access: { roles: ['researcher', 'output_checker', 'admin', 'auditor'] } },
      schema: {
        tags: ['airlock'],
        summary:
          "One release request, pending or decided, with its project's public title and its " +
          "run's disclosure report (members, output checkers, administrators, auditors)",
        params: requestParams,
      },
    },
    // The store refuses a researcher who is not a member of the project (and audits it).
    async (request) => {
      const actor = actorOfPrincipal(callerOf(request));
      const r = await releases.get(actor, request.params.requestId);
      const run = await deps.governance.queryRuns.get(actor, r.runId);
      const title = await deps.governance.directory
        .get(r.projectId)
        .then((e) => e.title)
        .catch(() => null);
      return { ...r, projectTitle: title, disclosure: run.result?.disclosure ?? null };
    },
  );

  app.get(
    '/api/v1/projects/:projectId/release-requests',
    {
      config: { access: { roles: ['researcher', 'output_checker', 'admin', 'auditor'] } },
      schema: {
        tags: ['airlock'],
        summary:
          "A project's release requests, newest first, with their status and release (members, " +
          'output checkers, administrators, auditors)',
        params: z.object({ projectId: idSchema }),
      },
    },
    // The store refuses a researcher who is not a member of the project (and audits it).
    async (request) =>
      releases.listByProject(actorOfPrincipal(callerOf(request)), request.params.projectId),
  );

  app.post(
    '/api/v1/release-requests/:requestId/decision',
    {
      config: { access: { roles: ['output_checker'] } },
      schema: {
        tags: ['airlock'],
        summary:
          'Approve or reject a pending request (an output checker outside the project; a ' +
          'rejection needs a comment); approval registers the release',
        params: requestParams,
        body: z.strictObject({
          decision: z.enum(RELEASE_DECISIONS),
          comment: z.string().max(4000).nullable().optional(),
        }),
      },
    },
    async (request) =>
      releases.decide(actorOfPrincipal(callerOf(request)), request.params.requestId, {
        decision: request.body.decision,
        comment: request.body.comment ?? null,
      }),
  );

  app.post(
    '/api/v1/release-requests/:requestId/withdraw',
    {
      config: { access: { roles: ['researcher'] } },
      schema: {
        tags: ['airlock'],
        summary: 'Withdraw a pending request (its requester, or a principal investigator)',
        params: requestParams,
        body: z.strictObject({ reason: z.string().max(4000).nullable().optional() }).optional(),
      },
    },
    async (request) =>
      releases.withdraw(
        actorOfPrincipal(callerOf(request)),
        request.params.requestId,
        request.body?.reason ?? null,
      ),
  );

  app.get(
    '/api/v1/releases/:releaseId/download',
    {
      config: { access: { roles: ['researcher'] } },
      schema: {
        tags: ['airlock'],
        summary:
          'Download a released result as JSON (canonical; its SHA-256 is in the register), CSV ' +
          'or Parquet (members of the project; audited)',
        params: z.object({ releaseId: idSchema }),
        querystring: z.object({ format: z.enum(DOWNLOAD_FORMATS).default('json') }),
      },
    },
    async (request, reply) => {
      const { format } = request.query;
      const d = await releases.recordDownload(
        actorOfPrincipal(callerOf(request)),
        request.params.releaseId,
        format,
      );
      const body =
        format === 'json'
          ? d.contentJson
          : format === 'csv'
            ? releaseCsv(d.content)
            : await releaseParquet(d.content);
      const name = safeFileName(`hygie-release-${d.release.id}.${format}`);
      return reply
        .header('content-type', CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-content-sha256', d.release.contentHash)
        .send(body);
    },
  );
};
