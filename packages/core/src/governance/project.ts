/**
 * A research project as its team describes it: what it is for, on which legal basis, who works on
 * it. Applications for data belong to a project; the public directory shows part of it.
 */
import { z } from 'zod';

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
