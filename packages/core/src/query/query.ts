/**
 * The analytic query: concept sets, an optional cohort, measures and a stratification over an
 * analysis period — JSON validated by zod (`parseQuery`), versioned, engine-independent. The
 * compiler turns it into SQL for each warehouse dialect; the permit's scope and the opt-outs are
 * added there, never trusted from the query.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { periodSchema } from '../governance/permit-scope.js';
import { parseGovernanceInput } from '../governance/parse.js';
import { cohortSchema } from './cohort.js';
import type { EventCriterion } from './cohort.js';
import { queryConceptSetSchema } from './concept-set.js';
import {
  CALENDAR_DIMENSIONS,
  DEFAULT_AGE_BANDS,
  STRATIFICATION_DIMENSIONS,
  ageBandsSchema,
  measureSchema,
} from './measure.js';

/** Current version of the query format. */
export const QUERY_VERSION = 1;

/** The zod schema of a query. */
export const querySchema = z
  .strictObject({
    version: z.literal(QUERY_VERSION),
    /** Analysis period (event dates, person-time), both ends included; inside the permit's period. */
    period: periodSchema,
    conceptSets: z.array(queryConceptSetSchema).max(100).default([]),
    /** Absent: the permit's whole population, observed during the period. */
    cohort: cohortSchema.optional(),
    measures: z.array(measureSchema).min(1).max(20),
    stratify: z.array(z.enum(STRATIFICATION_DIMENSIONS)).max(4).default([]),
    ageBands: ageBandsSchema.default([...DEFAULT_AGE_BANDS]),
  })
  .superRefine((q, ctx) => {
    const names = new Set<string>();
    q.conceptSets.forEach((c, i) => {
      if (names.has(c.name)) {
        ctx.addIssue({
          code: 'custom',
          message: 'concept set names must be distinct',
          path: ['conceptSets', i, 'name'],
        });
      }
      names.add(c.name);
    });
    const criteria: [EventCriterion, (string | number)[]][] = [];
    q.cohort?.entry.events.forEach((e, i) => criteria.push([e, ['cohort', 'entry', 'events', i]]));
    q.cohort?.inclusion.forEach((r, i) =>
      criteria.push([r.criterion, ['cohort', 'inclusion', i, 'criterion']]),
    );
    q.measures.forEach((m, i) => {
      if ('events' in m) criteria.push([m.events, ['measures', i, 'events']]);
      if (m.kind === 'distribution' && m.variable.of === 'measurement_value') {
        criteria.push([m.variable.events, ['measures', i, 'variable', 'events']]);
      }
    });
    for (const [c, path] of criteria) {
      if (c.conceptSet !== undefined && !names.has(c.conceptSet)) {
        ctx.addIssue({
          code: 'custom',
          message: `no concept set named ${c.conceptSet}`,
          path: [...path, 'conceptSet'],
        });
      }
      if (c.conceptSet === undefined && c.domain !== 'visit' && c.domain !== 'death') {
        ctx.addIssue({
          code: 'custom',
          message: `${c.domain} events need a concept set`,
          path: [...path, 'conceptSet'],
        });
      }
      if (c.valueRange !== undefined && c.domain !== 'measurement') {
        ctx.addIssue({
          code: 'custom',
          message: 'a value range applies to measurements only',
          path: [...path, 'valueRange'],
        });
      }
    }
    const measureNames = new Set<string>();
    q.measures.forEach((m, i) => {
      if (measureNames.has(m.name)) {
        ctx.addIssue({
          code: 'custom',
          message: 'measure names must be distinct',
          path: ['measures', i, 'name'],
        });
      }
      measureNames.add(m.name);
    });
    if (new Set(q.stratify).size !== q.stratify.length) {
      ctx.addIssue({ code: 'custom', message: 'dimensions must be distinct', path: ['stratify'] });
    }
    if (q.stratify.filter((d) => CALENDAR_DIMENSIONS.includes(d)).length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'at most one calendar dimension (year, quarter, month, week or day)',
        path: ['stratify'],
      });
    }
    if (
      q.stratify.includes('day') &&
      Date.parse(q.period.to) - Date.parse(q.period.from) > 400 * 86_400_000
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'daily series are limited to about a year',
        path: ['stratify'],
      });
    }
  });

/** An analytic query, as validated (defaults applied). */
export type Query = z.output<typeof querySchema>;

/** An analytic query as a caller writes it. */
export type QueryInput = z.input<typeof querySchema>;

/** Parses and validates a query; throws HYG_INVALID_ARGUMENT naming the field. */
export function parseQuery(input: unknown): Query {
  return parseGovernanceInput(querySchema, input, 'query');
}

/** Canonical JSON: object keys sorted at every level (stable hashes of equal queries). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The query's hash for the audit trail: SHA-256 of its canonical JSON, defaults applied. */
export function queryHash(query: Query): string {
  return createHash('sha256').update(canonicalJson(query)).digest('hex');
}
