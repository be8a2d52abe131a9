/**
 * Citizens' routes: identify (demo NIR + birth date login), see and change one's opt-out, and see
 * who used one's data. A citizen session carries the person id (signed, in memory for the
 * request); no route takes a person id or a NIR from the caller except identification, and no
 * answer, log line or audit event holds either (DESIGN.md §4.1).
 */
import { z } from 'zod';
import { HygieError, PERMIT_STATUSES, accessModeSchema, logEntrySchema } from '@hygie/core';
import type { OptOut, Permit } from '@hygie/governance';
import type { FastifyRequest } from 'fastify';
import { AttemptLimiter, identifyCitizen } from '../citizen/citizen-identify.js';
import { compilePopulationMembership } from '../data-access/population-sql.js';
import type { ResolvedDeps, RoutePlugin } from '../deps.js';
import { actorOfPrincipal, roleLabel } from '../roles.js';
import type { Principal } from '../roles.js';
import { callerOf } from './governance-caller.js';
import { currentTransparencyLog, signedTreeHeadResponse } from './transparency-routes.js';

const CITIZEN = { roles: ['citizen'] } as const;

/** A citizen caller with the person id of their session. */
interface CitizenCaller {
  readonly principal: Principal;
  readonly personId: bigint;
}

/**
 * The caller as a citizen identified in this session. A governance account that holds the
 * `citizen` role but has no citizen session has no person id: refused.
 */
function citizenOf(request: FastifyRequest): CitizenCaller {
  const principal = callerOf(request);
  if (principal.via !== 'citizen-session' || principal.citizenPersonId === undefined) {
    throw new HygieError('HYG_FORBIDDEN', 'this needs a citizen session (identify first)', {
      reason: 'citizen-session-required',
    });
  }
  return { principal, personId: principal.citizenPersonId };
}

const instant = z.string().describe('ISO 8601 instant (UTC)');

const identifyBody = z.strictObject({
  nir: z.string().min(13).max(32).describe('NIR, 13 or 15 characters; spaces allowed'),
  birthDate: z.string().max(10).describe('Birth date YYYY-MM-DD'),
});

const optOutStatus = z.object({
  optedOut: z.boolean(),
  since: instant.nullable(),
  surveillanceExempt: z
    .boolean()
    .describe('Whether public-health surveillance still counts opted-out persons on this platform'),
  history: z
    .array(
      z.object({
        since: instant,
        withdrawnAt: instant.nullable(),
        surveillanceExempt: z.boolean(),
      }),
    )
    .describe('Every opt-out of the person, active and withdrawn, oldest first'),
});

const dataUse = z.object({
  permitId: z.string(),
  projectTitle: z.string(),
  publicSummary: z.string(),
  status: z.enum(PERMIT_STATUSES),
  issuedAt: instant,
  validFrom: instant,
  expiresAt: instant,
  period: z.object({ from: z.string(), to: z.string() }),
  accessMode: accessModeSchema,
  data: z.array(z.object({ table: z.string(), variables: z.array(z.string()) })),
  excludedSince: instant
    .nullable()
    .describe(
      'From when your opt-out excludes you from the results of this permit; null when it does not',
    ),
  logEntries: z
    .array(
      z.object({
        index: z.number().int(),
        leafHash: z.string(),
        entry: logEntrySchema,
        inclusionProof: z.array(z.string()),
      }),
    )
    .describe(
      'The latest transparency log entries about this permit (what was done under it, refused ' +
        'attempts too), each with its inclusion proof in the signed tree head `transparency.head`',
    ),
});

const dataUses = z.object({
  optedOutSince: instant.nullable(),
  uses: z.array(dataUse),
  transparency: z
    .object({ head: signedTreeHeadResponse.nullable() })
    .nullable()
    .describe(
      'The signed tree head the inclusion proofs lead to (check it with the public key of ' +
        '/api/v1/transparency/public-key); null when the platform runs without a log',
    ),
});

/** Log entries shown per permit in "who used my data" (the most recent). */
const LOG_ENTRIES_PER_USE = 20;

async function optOutStatusOf(deps: ResolvedDeps, personId: bigint) {
  const history: OptOut[] = await deps.governance.optOuts.history(personId);
  const active = history.find((o) => o.withdrawnAt === null) ?? null;
  return {
    optedOut: active !== null,
    since: active?.since ?? null,
    surveillanceExempt: deps.governance.settings.surveillanceExemptFromOptOut,
    history: history.map((o) => ({
      since: o.since,
      withdrawnAt: o.withdrawnAt,
      surveillanceExempt: o.surveillanceExempt,
    })),
  };
}

/** When a permit stopped being usable (revoked or expired), or null while it may still be used. */
function endOf(permit: Permit): string | null {
  if (permit.status === 'active' || permit.status === 'suspended') return null;
  if (permit.status === 'expired' && permit.expiresAt < permit.updatedAt) return permit.expiresAt;
  return permit.updatedAt;
}

/** Permits are evaluated for the person this many at a time (one statement each). */
const MEMBERSHIP_BATCH = 100;

/** The permits whose population filters include the person (opt-out not applied). */
async function permitsIncluding(
  deps: ResolvedDeps,
  personId: bigint,
  permits: readonly Permit[],
): Promise<Permit[]> {
  const out: Permit[] = [];
  for (let i = 0; i < permits.length; i += MEMBERSHIP_BATCH) {
    const batch = permits.slice(i, i + MEMBERSHIP_BATCH);
    const q = compilePopulationMembership(
      personId,
      batch.map((p) => ({ filters: p.scope.population, period: p.scope.period })),
      deps.warehouse.dialect,
    );
    const rows = await deps.warehouse.query<{ k: number }>(q.sql, q.params);
    const hit = new Set(rows.map((r) => Number(r.k)));
    batch.forEach((p, k) => {
      if (hit.has(k)) out.push(p);
    });
  }
  return out;
}

/** Registers `/api/v1/citizen/*`. */
export const citizenRoutes: RoutePlugin = (app, deps) => {
  // One limiter per app (no module state): failed identifications per client and per person.
  const limiter = new AttemptLimiter();

  app.post(
    '/api/v1/citizen/identify',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['citizens'],
        summary:
          'Identify with NIR and birth date (demonstration; production uses OpenID Connect). ' +
          'Every mismatch gets the same answer; repeated failures are refused for 15 minutes.',
        body: identifyBody,
        response: { 200: z.object({ token: z.string(), expiresAt: instant }) },
      },
    },
    async (request) => {
      const session = await identifyCitizen(
        {
          config: deps.config,
          keyRing: deps.keyRing,
          warehouse: deps.warehouse,
          audit: deps.audit,
          clock: deps.clock,
          limiter,
        },
        request.body,
        request.ip,
      );
      return { token: session.token, expiresAt: session.expiresAt };
    },
  );

  app.get(
    '/api/v1/citizen/opt-out',
    {
      config: { access: CITIZEN },
      schema: {
        tags: ['citizens'],
        summary: 'My opt-out: whether I have objected, since when, and what it covers',
        response: { 200: optOutStatus },
      },
    },
    async (request) => optOutStatusOf(deps, citizenOf(request).personId),
  );

  app.post(
    '/api/v1/citizen/opt-out',
    {
      config: { access: CITIZEN },
      schema: {
        tags: ['citizens'],
        summary:
          'Object to the use of my data for research (and surveillance, unless exempt); ' +
          'applies to every result computed from now on',
        response: { 200: optOutStatus },
      },
    },
    async (request) => {
      const c = citizenOf(request);
      // Stale first: until a sync has read the register after this opt-out, data access waits.
      deps.optOutMirror.markStale();
      await deps.governance.optOuts.optOut(actorOfPrincipal(c.principal), c.personId);
      await deps.optOutMirror.sync({ refresh: [c.personId] });
      return optOutStatusOf(deps, c.personId);
    },
  );

  app.delete(
    '/api/v1/citizen/opt-out',
    {
      config: { access: CITIZEN },
      schema: {
        tags: ['citizens'],
        summary: 'Withdraw my opt-out: my data may be used again under permits',
        response: { 200: optOutStatus },
      },
    },
    async (request) => {
      const c = citizenOf(request);
      deps.optOutMirror.markStale();
      await deps.governance.optOuts.withdraw(actorOfPrincipal(c.principal), c.personId);
      await deps.optOutMirror.sync({ refresh: [c.personId] });
      return optOutStatusOf(deps, c.personId);
    },
  );

  app.get(
    '/api/v1/citizen/data-uses',
    {
      config: { access: CITIZEN },
      schema: {
        tags: ['citizens'],
        summary:
          'Who used my data: every permit ever issued whose population includes me, ' +
          'with its project, data, dates and status',
        response: { 200: dataUses },
      },
    },
    async (request) => {
      const c = citizenOf(request);
      const active = await deps.governance.optOuts.current(c.personId);
      const permits = await permitsIncluding(
        deps,
        c.personId,
        await deps.governance.permits.list(),
      );
      // Every use links to its transparency log entries, with proofs against one signed head.
      const log =
        deps.transparencyLog === undefined ? null : await currentTransparencyLog(deps, request.log);
      const head = log?.latestHead() ?? null;
      const logEntriesOf = (permitId: string) =>
        log === null || head === null
          ? []
          : log
              .entriesForPermit(permitId, { limit: LOG_ENTRIES_PER_USE })
              .filter((e) => e.index < head.treeSize)
              .map((e) => ({
                index: e.index,
                leafHash: e.leafHash,
                entry: e.entry,
                inclusionProof: log.inclusionProof(e.index, head.treeSize),
              }));
      const projects = new Map<string, { title: string; publicSummary: string }>();
      const uses = [];
      for (const permit of permits) {
        let project = projects.get(permit.projectId);
        if (!project) {
          const p = await deps.governance.projects.get(permit.projectId);
          project = { title: p.title, publicSummary: p.publicSummary };
          projects.set(permit.projectId, project);
        }
        const end = endOf(permit);
        const excludedSince =
          active === null || (end !== null && end <= active.since)
            ? null
            : active.since > permit.issuedAt
              ? active.since
              : permit.issuedAt;
        uses.push({
          permitId: permit.id,
          projectTitle: project.title,
          publicSummary: project.publicSummary,
          status: permit.status,
          issuedAt: permit.issuedAt,
          validFrom: permit.validFrom,
          expiresAt: permit.expiresAt,
          period: permit.scope.period,
          accessMode: permit.scope.accessMode,
          data: permit.scope.data.map((d) => ({
            table: d.table,
            variables: [...d.variables],
          })),
          excludedSince,
          logEntries: logEntriesOf(permit.id),
        });
      }
      await deps.audit.record({
        actorRole: roleLabel(c.principal),
        actorId: c.principal.actorId,
        action: 'citizen.data_uses',
        targetType: 'citizen_session',
        targetId: c.principal.sessionId,
        decision: 'allow',
        // No count: how many permits include one person says something about that person.
        details: { result: 'list' },
      });
      return {
        optedOutSince: active?.since ?? null,
        uses,
        transparency: log === null ? null : { head },
      };
    },
  );
};
