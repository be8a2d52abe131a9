/**
 * Population-health monitoring for public-health analysts (issue #7): the syndromes monitored,
 * indicator series by area and period, the detection results of the latest run, the runs — and
 * a run on demand. Analysts see aggregates only, and disclosure-controlled: a count of 1 to
 * k − 1 (`surveillanceMinCellSize`) is withheld with the rate and interval computed from it
 * (0 shows: an empty week reveals no one). Every read is audited (its shape, never a value).
 */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import {
  DEATH_CAUSES,
  deathCauseIndicator,
  hospitalisationIndicator,
  LEVELS,
  STANDARD_POPULATION,
  SYNDROMES,
  UNITS,
} from '@hygie/surveillance';
import type { AlertRecord, SeriesValue } from '@hygie/surveillance';
import type { ResolvedDeps, RoutePlugin } from '../deps.js';
import { roleLabel } from '../roles.js';
import { callerOf } from './governance-caller.js';

const ANALYSTS = { roles: ['analyst', 'admin'] } as const;
const TAGS = ['surveillance'];

const indicatorId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/)
  .describe('a syndrome id (GET /api/v1/surveillance/indicators)');
const periodQuery = z
  .string()
  .regex(/^[0-9]{4}-(?:W[0-9]{2}|[0-9]{2})$/)
  .describe('ISO week 2024-W05 or month 2024-02');

const seriesValue = z.object({
  area: z.string(),
  period: z.string(),
  cases: z.number().nullable(),
  population: z.number().nullable(),
  rate: z.number().nullable(),
  rateLower: z.number().nullable(),
  rateUpper: z.number().nullable(),
  standardisedRate: z.number().nullable().describe('age-and-sex-standardised to France 2020'),
  standardisedLower: z.number().nullable(),
  standardisedUpper: z.number().nullable(),
  expected: z.number().nullable(),
  excess: z.number().nullable(),
  excessLower: z.number().nullable(),
  excessUpper: z.number().nullable(),
  suppressed: z.boolean(),
});

const alert = z.object({
  indicator: z.string(),
  level: z.enum(LEVELS),
  area: z.string(),
  period: z.string(),
  algorithm: z.string(),
  observed: z.number().nullable(),
  expected: z.number().nullable(),
  threshold: z.number().nullable(),
  pValue: z.number().nullable(),
  alarm: z.boolean(),
  suppressed: z.boolean(),
  runId: z.string(),
  computedAt: z.string(),
});

const run = z.object({
  runId: z.string(),
  trigger: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.string(),
  error: z.string().nullable(),
});

/** Whether a count is withheld: 1 to k − 1 (never 0, never with suppression off). */
function small(count: number, k: number): boolean {
  return k > 0 && count > 0 && count < k;
}

function controlledValue(v: SeriesValue, k: number): z.infer<typeof seriesValue> {
  const hide = small(v.cases, k);
  return {
    area: v.area,
    period: v.period,
    cases: hide ? null : v.cases,
    population: v.population,
    rate: hide ? null : v.rate,
    rateLower: hide ? null : v.rateLower,
    rateUpper: hide ? null : v.rateUpper,
    standardisedRate: hide ? null : v.standardisedRate,
    standardisedLower: hide ? null : (v.standardisedLower ?? null),
    standardisedUpper: hide ? null : (v.standardisedUpper ?? null),
    // The expected count comes from the baseline years; the excess would give the count away.
    expected: v.expected ?? null,
    excess: hide ? null : (v.excess ?? null),
    excessLower: hide ? null : (v.excessLower ?? null),
    excessUpper: hide ? null : (v.excessUpper ?? null),
    suppressed: hide,
  };
}

function controlledAlert(
  a: AlertRecord & { runId: string; computedAt: string },
  k: number,
): z.infer<typeof alert> {
  // The expected value and threshold are model outputs from the whole history; the observed
  // count of the week is what is withheld when small.
  const hide = small(a.observed, k);
  return { ...a, observed: hide ? null : a.observed, suppressed: hide };
}

async function audited(
  deps: ResolvedDeps,
  request: FastifyRequest,
  action: string,
  details: Record<string, string | number | boolean>,
): Promise<void> {
  const p = callerOf(request);
  await deps.audit.record({
    actorRole: roleLabel(p),
    actorId: p.actorId,
    action,
    targetType: 'surveillance',
    decision: 'allow',
    details,
  });
}

/** Registers `/api/v1/surveillance/*`. */
export const surveillanceRoutes: RoutePlugin = (app, deps) => {
  const store = deps.surveillance.store;
  const k = deps.config.surveillanceMinCellSize;

  app.get(
    '/api/v1/surveillance/indicators',
    {
      config: { access: ANALYSTS },
      schema: {
        tags: TAGS,
        summary: 'The syndromes monitored, the levels, units and detection algorithms',
        response: {
          200: z.object({
            syndromes: z.array(
              z.object({ id: z.string(), label: z.string(), diagnoses: z.array(z.string()) }),
            ),
            hospitalisations: z.array(z.string()),
            mortality: z.array(z.string()),
            deathCauses: z.array(
              z.object({
                id: z.string(),
                indicator: z.string(),
                label: z.string(),
                diagnoses: z.array(z.string()),
              }),
            ),
            standardPopulation: z.string(),
            levels: z.array(z.string()),
            units: z.array(z.string()),
            algorithms: z.array(z.string()),
            minCellSize: z.number(),
          }),
        },
      },
    },
    () => ({
      syndromes: SYNDROMES.map((s) => ({
        id: s.id,
        label: s.label,
        diagnoses: s.diagnoses.map((d) => d.code),
      })),
      hospitalisations: SYNDROMES.map((s) => hospitalisationIndicator(s.id)),
      mortality: ['deaths', 'excess-mortality'],
      deathCauses: DEATH_CAUSES.map((c) => ({
        id: c.id,
        indicator: deathCauseIndicator(c.id),
        label: c.label,
        diagnoses: c.diagnoses.map((d) => d.code),
      })),
      standardPopulation: STANDARD_POPULATION,
      levels: [...LEVELS],
      units: [...UNITS],
      algorithms: ['farrington-flexible', 'ears-c1', 'ears-c2', 'ears-c3', 'cusum'],
      minCellSize: k,
    }),
  );

  app.get(
    '/api/v1/surveillance/series',
    {
      config: { access: ANALYSTS },
      schema: {
        tags: TAGS,
        summary: 'An indicator series by area and period, disclosure-controlled',
        querystring: z.object({
          indicator: indicatorId,
          level: z.enum(LEVELS),
          unit: z.enum(UNITS).default('isoweek'),
          area: z.string().min(1).max(10).optional(),
          from: periodQuery.optional(),
          to: periodQuery.optional(),
        }),
        response: { 200: z.object({ values: z.array(seriesValue), minCellSize: z.number() }) },
      },
    },
    async (request) => {
      const values = await store.series(request.query);
      await audited(deps, request, 'surveillance.series', {
        result: 'series',
        rows: values.length,
      });
      return { values: values.map((v) => controlledValue(v, k)), minCellSize: k };
    },
  );

  app.get(
    '/api/v1/surveillance/alerts',
    {
      config: { access: ANALYSTS },
      schema: {
        tags: TAGS,
        summary:
          'Detection results of the latest completed run: its latest week (alarms only unless all=true), or the alarms of the year before with history=true',
        querystring: z.object({
          indicator: indicatorId.optional(),
          level: z.enum(LEVELS).optional(),
          area: z.string().min(1).max(10).optional(),
          history: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true')
            .describe('every week the run recorded (alarms of the past year), not only the latest'),
          runId: z.string().uuid().optional().describe('default: the latest completed run'),
          all: z
            .enum(['true', 'false'])
            .default('false')
            .transform((v) => v === 'true'),
        }),
        response: {
          200: z.object({ runId: z.string().nullable(), alerts: z.array(alert) }),
        },
      },
    },
    async (request) => {
      const runId =
        request.query.runId ??
        (await store.runs(50)).find((r) => r.status === 'completed')?.runId ??
        null;
      const alerts =
        runId === null
          ? []
          : await store.alerts({
              runId,
              ...(request.query.indicator !== undefined
                ? { indicator: request.query.indicator }
                : {}),
              ...(request.query.level !== undefined ? { level: request.query.level } : {}),
              ...(request.query.area !== undefined ? { area: request.query.area } : {}),
              ...(request.query.history ? {} : { period: 'latest' }),
              all: request.query.all,
            });
      await audited(deps, request, 'surveillance.alerts', {
        result: 'alerts',
        rows: alerts.length,
      });
      return { runId, alerts: alerts.map((a) => controlledAlert(a, k)) };
    },
  );

  app.get(
    '/api/v1/surveillance/runs',
    {
      config: { access: ANALYSTS },
      schema: {
        tags: TAGS,
        summary: 'The latest runs of the surveillance computation, newest first',
        response: { 200: z.object({ runs: z.array(run), running: z.boolean() }) },
      },
    },
    async () => ({ runs: await store.runs(20), running: deps.surveillance.busy }),
  );

  app.post(
    '/api/v1/surveillance/runs',
    {
      config: { access: ANALYSTS },
      schema: {
        tags: TAGS,
        summary:
          'Run the surveillance computation now (one at a time: HYG_CONFLICT while one runs)',
        body: z
          .strictObject({ syndromes: z.array(indicatorId).min(1).max(50).optional() })
          .default({}),
        response: {
          201: z.object({
            runId: z.string(),
            series: z.number(),
            values: z.number(),
            results: z.number(),
            alarms: z.number(),
            pastAlarms: z.number(),
          }),
        },
      },
    },
    async (request, reply) => {
      // The service records the run in the audit trail, on success and on failure.
      const p = callerOf(request);
      const report = await deps.surveillance.run(
        'manual',
        request.body.syndromes !== undefined ? { syndromes: request.body.syndromes } : {},
        { actorRole: roleLabel(p), actorId: p.actorId },
      );
      return reply.code(201).send(report);
    },
  );
};
