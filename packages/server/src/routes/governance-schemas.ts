/**
 * Zod schemas of what the governance routes send back, shared by the areas (a permit appears in
 * the permit routes and in the answer of a deciding review). Written field by field: the
 * response serializer keeps only the fields listed here, so a field added to a store record later
 * (or a password or token hash) cannot reach a caller by accident, and the OpenAPI document says
 * exactly what is sent.
 *
 * Why not reuse the core input schemas for answers: some of them transform on parse (instants
 * are normalised), and a transform cannot be run backwards by the serializer; answers are plain
 * strings already normalised by the store.
 */
import { z } from 'zod';
import {
  APPLICATION_STATUSES,
  AUDIT_DECISIONS,
  PERMIT_STATUSES,
  PROJECT_RESULT_KINDS,
  PROJECT_ROLES,
  PROJECT_STATUSES,
  REVIEW_DECISIONS,
  ROLES,
  TOKEN_KINDS,
  accessModeSchema,
  applicationContentSchema,
  dataItemSchema,
  dataRequestSchema,
  periodSchema,
  populationFiltersSchema,
} from '@hygie/core';

/** A record id in a path (random UUIDs everywhere in the governance store). */
export const idSchema = z.uuid();

/** An instant as the store writes it (ISO 8601, UTC). */
const instant = z.string().describe('ISO 8601 instant (UTC)');

/**
 * An array in an answer. Read-only because the store's records hold read-only arrays (and an
 * answer is not for the server to modify).
 */
function list<T extends z.ZodType>(item: T) {
  return z.array(item).readonly();
}

/** A platform role. */
export const roleEnum = z.enum(ROLES);

/** An account as administrators see it (never the password hash). */
export const userResponse = z.object({
  id: z.string(),
  login: z.string(),
  displayName: z.string(),
  roles: list(roleEnum),
  createdAt: instant,
  disabledAt: instant.nullable(),
  lockedUntil: instant.nullable(),
  failedAttempts: z.number().int(),
  hasPassword: z.boolean(),
});

/** A bearer token's public facts (never the token or its hash). */
export const tokenResponse = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.enum(TOKEN_KINDS),
  label: z.string(),
  createdAt: instant,
  expiresAt: instant.nullable(),
  lastUsedAt: instant.nullable(),
  revokedAt: instant.nullable(),
});

/** A new token: the clear token is in this answer only, never again. */
export const createdTokenResponse = tokenResponse.extend({
  token: z.string().describe('The bearer token, shown once: store it now'),
});

/** An OpenID Connect identity linked to an account. */
export const oidcIdentityResponse = z.object({
  issuer: z.string(),
  subject: z.string(),
  userId: z.string(),
  createdAt: instant,
  lastLoginAt: instant.nullable(),
});

/** A project and its team. */
export const projectResponse = z.object({
  id: z.string(),
  title: z.string(),
  purpose: z.string(),
  legalBasis: z.string(),
  funding: z.string().nullable(),
  publicSummary: z.string(),
  status: z.enum(PROJECT_STATUSES),
  createdBy: z.string(),
  createdAt: instant,
  updatedAt: instant,
  team: list(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      projectRole: z.enum(PROJECT_ROLES),
      addedAt: instant,
    }),
  ),
});

/** A calendar date `YYYY-MM-DD`. */
const day = z.string().describe('Calendar date YYYY-MM-DD');

/** Something a project has published, as its team and the overseers see it. */
export const projectResultResponse = z.object({
  id: z.string(),
  projectId: z.string(),
  title: z.string(),
  kind: z.enum(PROJECT_RESULT_KINDS),
  url: z.string().nullable().describe('An http or https link'),
  publishedOn: day.nullable(),
  summary: z.string().nullable(),
  addedBy: z.string(),
  addedAt: instant,
  removedAt: instant.nullable().describe('Set when the team withdrew it from the directory'),
  removedBy: z.string().nullable(),
  removalReason: z.string().nullable(),
});

/** An application for data. */
export const applicationResponse = z.object({
  id: z.string(),
  projectId: z.string(),
  version: z.number().int(),
  status: z.enum(APPLICATION_STATUSES),
  content: applicationContentSchema,
  createdBy: z.string(),
  createdAt: instant,
  updatedAt: instant,
  submittedAt: instant.nullable(),
  decidedAt: instant.nullable(),
});

/** One workflow event of an application. */
export const applicationEventResponse = z.object({
  id: z.number().int(),
  applicationId: z.string(),
  version: z.number().int(),
  at: instant,
  actorId: z.string().nullable(),
  event: z.string(),
  fromStatus: z.enum(APPLICATION_STATUSES).nullable(),
  toStatus: z.enum(APPLICATION_STATUSES),
  reason: z.string().nullable(),
});

/** A review of one version of an application. */
export const reviewResponse = z.object({
  id: z.string(),
  applicationId: z.string(),
  version: z.number().int(),
  reviewerId: z.string(),
  decision: z.enum(REVIEW_DECISIONS),
  comment: z.string().nullable(),
  createdAt: instant,
});

/** A submitted version of an application, frozen. */
export const applicationVersionResponse = z.object({
  applicationId: z.string(),
  version: z.number().int(),
  content: applicationContentSchema,
  submittedBy: z.string(),
  submittedAt: instant,
});

/** What a permit allows (the core `permitScopeSchema`, without its parse-time transforms). */
export const permitScopeResponse = z.object({
  scopeVersion: z.number().int(),
  data: dataRequestSchema,
  period: periodSchema,
  population: populationFiltersSchema,
  accessMode: accessModeSchema,
  validFrom: instant,
  expiresAt: instant,
  epsilonBudget: z.number(),
  minCellSize: z.number().int(),
});

/** A permit. */
export const permitResponse = z.object({
  id: z.string(),
  applicationId: z.string(),
  projectId: z.string(),
  applicationVersion: z.number().int(),
  scope: permitScopeResponse,
  validFrom: instant,
  expiresAt: instant,
  status: z.enum(PERMIT_STATUSES),
  epsilonBudget: z.number(),
  epsilonSpent: z.number(),
  minCellSize: z.number().int(),
  issuedAt: instant,
  updatedAt: instant,
});

/** One change of a permit's status. */
export const permitEventResponse = z.object({
  id: z.number().int(),
  permitId: z.string(),
  at: instant,
  actorId: z.string().nullable(),
  fromStatus: z.enum(PERMIT_STATUSES).nullable(),
  toStatus: z.enum(PERMIT_STATUSES),
  reason: z.string().nullable(),
});

/** An audit event (pseudonymous references only). */
export const auditEventResponse = z.object({
  id: z.number().int(),
  at: instant,
  actorRole: z.string().nullable(),
  actorId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  permitId: z.string().nullable(),
  decision: z.enum(AUDIT_DECISIONS),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

/** A project as the public directory shows it: whitelisted fields, no user id, no login. */
export const directoryEntryResponse = z.object({
  projectId: z.string(),
  title: z.string(),
  purpose: z.string(),
  publicSummary: z.string(),
  status: z.enum(PROJECT_STATUSES),
  team: list(z.object({ displayName: z.string(), projectRole: z.enum(PROJECT_ROLES) })),
  applicationStatus: z.enum(APPLICATION_STATUSES),
  dataUsed: list(dataItemSchema),
  permits: list(
    z.object({
      permitId: z.string(),
      status: z.enum(PERMIT_STATUSES),
      validFrom: instant,
      expiresAt: instant,
      accessMode: accessModeSchema,
      data: list(dataItemSchema),
    }),
  ),
  results: list(
    z.object({
      title: z.string(),
      kind: z.enum(PROJECT_RESULT_KINDS),
      url: z.string().nullable(),
      publishedOn: day.nullable(),
      summary: z.string().nullable(),
    }),
  ).describe('What the project has published, newest first'),
});

/** A required reason (suspension, revocation, removal); the store trims and bounds it again. */
export const reasonBody = z.strictObject({ reason: z.string().trim().min(1).max(10_000) });

/** An optional reason (submission, opening a review): the body itself may be absent (null). */
export const optionalReasonBody = z
  .strictObject({ reason: z.string().max(10_000).nullable().optional() })
  .nullish();
