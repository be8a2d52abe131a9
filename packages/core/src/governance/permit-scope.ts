/**
 * The permit scope: the machine-readable statement of what a permit allows (issue #4). An
 * application requests the same pieces (data, period, population, access mode, ε); approval copies
 * them into a scope with validity dates and a minimum cell size. The scope is versioned
 * (`scopeVersion`) so that a later format can be told apart from this one.
 *
 * Format v1 gained one optional field when differential privacy arrived (issue #5): `deltaBudget`,
 * the δ of the permit's (ε, δ) budget. Nothing else in v1 changed meaning. A v1 scope without the
 * field — every scope written before — reads as `DEFAULT_DELTA_BUDGET`, so that default is part of
 * the v1 format: changing it would change what old permits allow, and needs a v2.
 */
import { z } from 'zod';

/** How results may be used: aggregates only, or a secure row-level workspace. */
export const ACCESS_MODES = ['aggregate_only', 'workspace'] as const;

/** An access mode. */
export type AccessMode = (typeof ACCESS_MODES)[number];

/** The zod schema of an access mode. */
export const accessModeSchema = z.enum(ACCESS_MODES);

/** Default minimum cell size of released aggregates (the SNDS practice, DESIGN.md §3). */
export const DEFAULT_MIN_CELL_SIZE = 10;

/** Largest privacy budget a permit may carry; larger values give no meaningful protection. */
export const MAX_EPSILON = 100;

/** Current scope format version. */
export const PERMIT_SCOPE_VERSION = 1;

/** A warehouse table or column name as the CDM writes them (lower-case snake case). */
export const dataNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a lower-case table or column name');

function distinct(values: readonly string[]): boolean {
  return new Set(values).size === values.length;
}

/** One requested table and the variables (columns) wanted from it. */
export const dataItemSchema = z.strictObject({
  table: dataNameSchema,
  variables: z
    .array(dataNameSchema)
    .min(1)
    .refine(distinct, { message: 'variables must be distinct' }),
});

/** Requested data: at least one table, each named once. */
export const dataRequestSchema = z
  .array(dataItemSchema)
  .min(1)
  .refine((items) => distinct(items.map((i) => i.table)), {
    message: 'each table may be listed once',
  });

/** A requested table and its variables. */
export type DataItem = z.output<typeof dataItemSchema>;

/** A calendar date `YYYY-MM-DD`. */
export const isoDateSchema = z.iso.date();

/** A period of data (event dates), both ends included. */
export const periodSchema = z
  .strictObject({ from: isoDateSchema, to: isoDateSchema })
  .refine((p) => p.from <= p.to, { message: 'must not end before it starts', path: ['to'] });

/** A period of data, both ends included. */
export type Period = z.output<typeof periodSchema>;

/**
 * An instant, normalised to `Date.toISOString()` form so that stored instants compare as text
 * (`…T12:00:00Z` and `…T12:00:00.000Z` would not).
 */
export const instantSchema = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s).toISOString());

/** Sexes as the CDM's gender concepts distinguish them. */
export const SEXES = ['female', 'male'] as const;

/** INSEE département codes (metropolitan, Corsica, overseas). */
const DEPARTEMENT_RE = /^(?:0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B|97[1-6])$/;

/** INSEE région codes (two digits). */
const REGION_RE = /^[0-9]{2}$/;

/** A named set of standard concepts defining a condition (e.g. "type 2 diabetes"). */
export const conceptSetSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  conceptIds: z
    .array(z.number().int().positive())
    .min(1)
    .max(10_000)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'concept ids must be distinct' }),
});

/** Population filters; an absent filter does not restrict. */
export const populationFiltersSchema = z.strictObject({
  ageRange: z
    .strictObject({ min: z.number().int().min(0).max(130), max: z.number().int().min(0).max(130) })
    .refine((a) => a.min <= a.max, { message: 'min must not exceed max', path: ['max'] })
    .optional(),
  sex: z
    .array(z.enum(SEXES))
    .min(1)
    .refine((s) => distinct(s), { message: 'sexes must be distinct' })
    .optional(),
  departements: z
    .array(z.string().regex(DEPARTEMENT_RE, 'must be an INSEE département code'))
    .min(1)
    .refine(distinct, { message: 'départements must be distinct' })
    .optional(),
  regions: z
    .array(z.string().regex(REGION_RE, 'must be an INSEE région code'))
    .min(1)
    .refine(distinct, { message: 'régions must be distinct' })
    .optional(),
  conditions: z.array(conceptSetSchema).min(1).max(100).optional(),
});

/** Population filters. */
export type PopulationFilters = z.output<typeof populationFiltersSchema>;

/** A privacy budget ε (0 means no differentially private release is allowed). */
export const epsilonSchema = z.number().finite().min(0).max(MAX_EPSILON);

/** Largest δ a permit or a query may carry (δ well above 1/n gives no meaningful protection). */
export const MAX_DELTA = 1e-3;

/**
 * δ budget of a permit whose scope names none (scope v1 before issue #5; new permits write it).
 * Chosen below 1/n for a national population (1/68 M ≈ 1.5e-8), the usual rule for δ: a mechanism
 * may fail for a fraction δ of the records, and δ·n should stay well below one person. It costs
 * little accuracy: the Gaussian mechanism's σ grows with √ln(1.25/δ), 22 % more than at δ = 1e-6.
 */
export const DEFAULT_DELTA_BUDGET = 1e-9;

/** A δ (0: only pure ε-differentially private mechanisms). */
export const deltaSchema = z.number().finite().min(0).max(MAX_DELTA);

/** The zod schema of a permit scope. */
export const permitScopeSchema = z
  .strictObject({
    scopeVersion: z.literal(PERMIT_SCOPE_VERSION),
    data: dataRequestSchema,
    period: periodSchema,
    population: populationFiltersSchema,
    accessMode: accessModeSchema,
    validFrom: instantSchema,
    expiresAt: instantSchema,
    epsilonBudget: epsilonSchema,
    /** δ of the (ε, δ) budget; absent in older v1 scopes, which read as the default. */
    deltaBudget: deltaSchema.default(DEFAULT_DELTA_BUDGET),
    minCellSize: z.number().int().min(1).max(1000).default(DEFAULT_MIN_CELL_SIZE),
  })
  .refine((s) => s.validFrom < s.expiresAt, {
    message: 'must be after validFrom',
    path: ['expiresAt'],
  });

/** What a permit allows. */
export type PermitScope = z.output<typeof permitScopeSchema>;
