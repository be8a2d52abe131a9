/**
 * Measures: what is computed over a cohort (or the permit's whole population) — person and event
 * counts, prevalence, incidence rates with person-time, directly standardised rates,
 * distributions — and how results are stratified (sex, age band, place, calendar period). Every
 * statistic carries the number of persons behind it, for disclosure control.
 */
import { z } from 'zod';
import { eventCriterionSchema } from './cohort.js';
import { queryNameSchema } from './concept-set.js';

/** Standard populations for direct age standardisation. */
export const STANDARD_POPULATIONS = ['france_2020', 'europe_2013'] as const;

/** A standard population. */
export type StandardPopulation = (typeof STANDARD_POPULATIONS)[number];

/** Rate multipliers. */
export const RATE_UNITS = [1_000, 10_000, 100_000] as const;

const rateUnitSchema = z.union([z.literal(1_000), z.literal(10_000), z.literal(100_000)]);

/** Persons in the cohort (at their index date) or in the population (observed in the period). */
export const personCountSchema = z.strictObject({
  kind: z.literal('person_count'),
  name: queryNameSchema,
});

/** Events of a kind among the persons, during follow-up (cohort) or in the period (population). */
export const eventCountSchema = z.strictObject({
  kind: z.literal('event_count'),
  name: queryNameSchema,
  events: eventCriterionSchema,
});

/**
 * Period prevalence: persons with at least one event in the period (or stratum period) over
 * persons observed during it.
 */
export const prevalenceSchema = z.strictObject({
  kind: z.literal('prevalence'),
  name: queryNameSchema,
  events: eventCriterionSchema,
  per: rateUnitSchema.default(100_000),
  /** Directly standardised by age (5-year bands) and sex to this population, besides the crude rate. */
  standardise: z.enum(STANDARD_POPULATIONS).optional(),
});

/**
 * Incidence rate: first events (no such event in the `washoutDays` before, or ever with
 * `washoutDays` absent) per person-time at risk, from entry (index date, or the start of the
 * period/observation) to the first of: the event, exit, end of observation, death, end of period.
 */
export const incidenceRateSchema = z.strictObject({
  kind: z.literal('incidence_rate'),
  name: queryNameSchema,
  events: eventCriterionSchema,
  washoutDays: z.number().int().min(0).max(36_500).optional(),
  per: rateUnitSchema.default(100_000),
  standardise: z.enum(STANDARD_POPULATIONS).optional(),
});

/** What a distribution describes. */
export const distributionVariableSchema = z.discriminatedUnion('of', [
  z.strictObject({ of: z.literal('age') }),
  z.strictObject({ of: z.literal('follow_up_days') }),
  z.strictObject({ of: z.literal('measurement_value'), events: eventCriterionSchema }),
]);

/** Mean, standard deviation and quantiles of a variable (never min or max: single persons). */
export const distributionSchema = z.strictObject({
  kind: z.literal('distribution'),
  name: queryNameSchema,
  variable: distributionVariableSchema,
  quantiles: z
    .array(z.number().gt(0).lt(1))
    .max(9)
    .default([0.25, 0.5, 0.75])
    .refine((q) => new Set(q).size === q.length, { message: 'quantiles must be distinct' }),
});

/** One measure of a query. */
export const measureSchema = z.discriminatedUnion('kind', [
  personCountSchema,
  eventCountSchema,
  prevalenceSchema,
  incidenceRateSchema,
  distributionSchema,
]);

/** One measure of a query. */
export type Measure = z.output<typeof measureSchema>;

/** Dimensions a result may be stratified by. */
export const STRATIFICATION_DIMENSIONS = [
  'sex',
  'age_band',
  'departement',
  'region',
  'year',
  'quarter',
  'month',
  'week',
  'day',
] as const;

/** A stratification dimension. */
export type StratificationDimension = (typeof STRATIFICATION_DIMENSIONS)[number];

/** The calendar dimensions (at most one per query: time series). */
export const CALENDAR_DIMENSIONS: readonly StratificationDimension[] = [
  'year',
  'quarter',
  'month',
  'week',
  'day',
];

/** Default age bands: lower bounds of 5-year bands up to 95+. */
export const DEFAULT_AGE_BANDS: readonly number[] = Array.from({ length: 20 }, (_, i) => i * 5);

/** Age bands: increasing lower bounds, starting at 0 (`[0, 18, 65]` → 0–17, 18–64, 65+). */
export const ageBandsSchema = z
  .array(z.number().int().min(0).max(130))
  .min(1)
  .max(40)
  .refine((b) => b[0] === 0, { message: 'the first band starts at 0' })
  .refine((b) => b.every((v, i) => i === 0 || v > (b[i - 1] ?? -1)), {
    message: 'bands must increase',
  });
