/**
 * A research project as its team describes it: what it is for, on which legal basis, who works on
 * it, what it has published. Applications for data belong to a project; the public directory
 * shows part of it.
 */
import { z } from 'zod';
import { isoDateSchema } from './permit-scope.js';

/** Roles of a person inside a project team (distinct from platform roles). */
export const PROJECT_ROLES = [
  'principal_investigator',
  'investigator',
  'data_scientist',
  'data_manager',
] as const;

/** A project role. */
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** The zod schema of a project role. */
export const projectRoleSchema = z.enum(PROJECT_ROLES);

/** Lifecycle of a project: closed projects take no new applications. */
export const PROJECT_STATUSES = ['active', 'closed'] as const;

/** A project status. */
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

const text = (max: number) => z.string().trim().min(1).max(max);

/** A user id (random UUID). */
export const userIdSchema = z.uuid();

/** One team member. */
export const teamMemberSchema = z.strictObject({
  userId: userIdSchema,
  projectRole: projectRoleSchema,
});

/** A team member: a user and their role in the project. */
export type TeamMember = z.output<typeof teamMemberSchema>;

/** The descriptive fields of a project (what its team writes and may edit). */
export const projectFieldsSchema = z.strictObject({
  title: text(300),
  purpose: text(5000),
  /** GDPR lawful basis and health-data condition (e.g. art. 6(1)(e) and 9(2)(j), CNIL MR-004). */
  legalBasis: text(2000),
  funding: text(2000).nullable().default(null),
  /** The summary shown in the public directory, in plain language. */
  publicSummary: text(5000),
});

/** Descriptive fields of a project. */
export type ProjectFields = z.output<typeof projectFieldsSchema>;

/** Input of a new project: its fields and its team (the creator is added if absent). */
export const projectInputSchema = projectFieldsSchema.extend({
  team: z
    .array(teamMemberSchema)
    .max(200)
    .default([])
    .refine((t) => new Set(t.map((m) => m.userId)).size === t.length, {
      message: 'each member may be listed once',
    }),
});

/** Input of a new project. */
export type ProjectInput = z.input<typeof projectInputSchema>;

/**
 * A partial update of a project's fields. `funding` is redeclared without its default: a default
 * inside a partial applies to an absent field, and a patch of the title would erase the funding.
 */
export const projectPatchSchema = projectFieldsSchema
  .extend({ funding: text(2000).nullable() })
  .partial();

/** A partial update of a project's fields. */
export type ProjectPatch = z.input<typeof projectPatchSchema>;

/** Kinds of result a project publishes from its work. */
export const PROJECT_RESULT_KINDS = ['publication', 'report', 'dataset', 'other'] as const;

/** A kind of project result. */
export type ProjectResultKind = (typeof PROJECT_RESULT_KINDS)[number];

/**
 * A link shown to anyone in the public directory: http or https only — a `javascript:` or
 * `data:` URL there would run in a reader's browser — and without user name or password, which
 * would publish a credential. Stored as the parser reads it (`normalize`), so that what is kept
 * is exactly what was checked (the parser drops tabs, newlines and surrounding control
 * characters a raw string would keep).
 */
const publicUrlSchema = z
  .httpUrl({ normalize: true })
  .max(2000)
  .refine((u) => {
    // zod runs refinements after a failed format check too; that failure is already reported.
    if (!URL.canParse(u)) return true;
    const parsed = new URL(u);
    return parsed.username === '' && parsed.password === '';
  }, 'must not contain a user name or password');

/** What a project has published from its work: an article, a report, a dataset of aggregates. */
export const projectResultInputSchema = z.strictObject({
  title: text(300),
  kind: z.enum(PROJECT_RESULT_KINDS),
  url: publicUrlSchema.optional(),
  publishedOn: isoDateSchema.optional(),
  summary: text(5000).optional(),
});

/** Input of a project result. */
export type ProjectResultInput = z.input<typeof projectResultInputSchema>;

/** A project result as validated. */
export type ProjectResultFields = z.output<typeof projectResultInputSchema>;
