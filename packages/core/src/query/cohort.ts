/**
 * Cohorts, in the spirit of OHDSI ATLAS/Circe and OpenSAFELY ehrQL: persons enter on an event
 * (their index date), must satisfy inclusion rules evaluated in time windows relative to that
 * date and demographic conditions at it, must have been observed long enough before it, and are
 * followed until an exit. Each rule yields a line of the attrition report.
 */
import { z } from 'zod';
import { isoDateSchema, periodSchema } from '../governance/permit-scope.js';
import { queryNameSchema } from './concept-set.js';

/** Kinds of clinical event (OMOP domains). */
export const EVENT_DOMAINS = [
  'condition',
  'drug',
  'procedure',
  'visit',
  'measurement',
  'death',
] as const;

/** A kind of clinical event. */
export type EventDomain = (typeof EVENT_DOMAINS)[number];

/**
 * Events of one domain, optionally restricted to a concept set (by name). Without a concept set:
 * every event of the domain (any visit, any death).
 */
export const eventCriterionSchema = z.strictObject({
  domain: z.enum(EVENT_DOMAINS),
  conceptSet: queryNameSchema.optional(),
  /** For measurements: keep only values in this range (units as stored). */
  valueRange: z
    .strictObject({ min: z.number().finite().optional(), max: z.number().finite().optional() })
    .optional(),
});

/** Events of one domain, optionally restricted to a concept set. */
export type EventCriterion = z.output<typeof eventCriterionSchema>;

/** A window of days relative to the index date, both ends included (`[-365, 0]`: the year before). */
export const dayWindowSchema = z
  .strictObject({
    start: z.number().int().min(-36_500).max(36_500),
    end: z.number().int().min(-36_500).max(36_500),
  })
  .refine((w) => w.start <= w.end, { message: 'start must not be after end', path: ['end'] });

/** A window of days relative to the index date. */
export type DayWindow = z.output<typeof dayWindowSchema>;

/** The entry event: which events define the index date. */
export const cohortEntrySchema = z.strictObject({
  /** Any of these events is an entry event. */
  events: z.array(eventCriterionSchema).min(1).max(20),
  /** `first`: the person's first such event ever (incident); `all`: every event (one per person: the first in the entry period). */
  occurrence: z.enum(['first', 'all']).default('first'),
  /** Only entry events dated in this period count (inclusive). */
  period: periodSchema.optional(),
});

/** An inclusion rule: the person has (or has not) at least `min` events in the window. */
export const inclusionRuleSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  criterion: eventCriterionSchema,
  window: dayWindowSchema,
  /** At least this many events in the window (default 1); `max: 0` expresses "none". */
  min: z.number().int().min(0).max(1000).default(1),
  max: z.number().int().min(0).max(1000).optional(),
});

/** An inclusion rule. */
export type InclusionRule = z.output<typeof inclusionRuleSchema>;

/** Sexes, as the CDM's gender concepts distinguish them. */
export const QUERY_SEXES = ['female', 'male'] as const;

/** Demographic conditions at the index date. */
export const demographicsSchema = z.strictObject({
  /** Age in whole years at the index date (birth taken as the 1st of the birth month). */
  ageAtIndex: z
    .strictObject({
      min: z.number().int().min(0).max(130).optional(),
      max: z.number().int().min(0).max(130).optional(),
    })
    .optional(),
  sex: z.array(z.enum(QUERY_SEXES)).min(1).optional(),
  departements: z
    .array(z.string().regex(/^(?:[0-9]{2}|2A|2B|97[1-6])$/))
    .min(1)
    .optional(),
  regions: z
    .array(z.string().regex(/^[0-9]{2}$/))
    .min(1)
    .optional(),
});

/** How follow-up ends: always at the end of observation or death, earlier with `days`. */
export const cohortExitSchema = z.strictObject({
  /** Follow-up ends this many days after the index date at the latest. */
  days: z.number().int().min(0).max(36_500).optional(),
});

/** A cohort definition. */
export const cohortSchema = z.strictObject({
  entry: cohortEntrySchema,
  inclusion: z.array(inclusionRuleSchema).max(50).default([]),
  demographics: demographicsSchema.default({}),
  /** Days of observation required before the index date (0: the index is inside an observation period). */
  priorObservationDays: z.number().int().min(0).max(36_500).default(0),
  exit: cohortExitSchema.default({}),
});

/** A cohort definition. */
export type Cohort = z.output<typeof cohortSchema>;

/** A calendar date `YYYY-MM-DD` (re-exported for query builders). */
export const queryDateSchema = isoDateSchema;
