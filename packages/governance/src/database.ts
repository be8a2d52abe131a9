/**
 * Row types of the governance tables, as Kysely sees them. The same schema serves SQLite and
 * PostgreSQL, so column types are the ones both share:
 * - instants are TEXT in `Date.toISOString()` form (UTC, fixed width): they sort and compare as
 *   text in both engines, and no engine converts them to local time on the way in or out;
 * - JSON documents (scopes, requested data, audit details) are TEXT, parsed and validated by the
 *   core zod schemas on read;
 * - booleans are INTEGER 0/1 (SQLite has no boolean type);
 * - person ids are TEXT in decimal: they are 63-bit, beyond JavaScript's safe integers, and both
 *   drivers would otherwise return a lossy number (SQLite) or a string (pg) for a BIGINT.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: string;
  login: string;
  display_name: string;
  password_hash: string | null;
  failed_attempts: Generated<number>;
  locked_until: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  token_hash: string;
  kind: string;
  label: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface OidcIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: string;
  last_login_at: string | null;
}

export interface ProjectsTable {
  id: string;
  title: string;
  purpose: string;
  legal_basis: string;
  funding: string | null;
  public_summary: string;
  status: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ProjectMembersTable {
  project_id: string;
  user_id: string;
  project_role: string;
  added_at: string;
}

export interface ProjectResultsTable {
  id: string;
  project_id: string;
  title: string;
  kind: string;
  url: string | null;
  /** A calendar date `YYYY-MM-DD`. */
  published_on: string | null;
  summary: string | null;
  added_by: string;
  added_at: string;
  /** Set, with who and why, when the team withdraws the result (the row stays). */
  removed_at: string | null;
  removed_by: string | null;
  removal_reason: string | null;
}

export interface ApplicationsTable {
  id: string;
  project_id: string;
  version: number;
  status: string;
  requested_data: string;
  population_filters: string;
  period_from: string;
  period_to: string;
  duration_months: number;
  access_mode: string;
  justification: string;
  requested_epsilon: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_at: string | null;
}

export interface ApplicationVersionsTable {
  application_id: string;
  version: number;
  content: string;
  submitted_by: string;
  submitted_at: string;
}

export interface ApplicationEventsTable {
  id: Generated<number>;
  application_id: string;
  version: number;
  at: string;
  actor_id: string | null;
  event: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
}

export interface ReviewsTable {
  id: string;
  application_id: string;
  version: number;
  reviewer_id: string;
  decision: string;
  comment: string | null;
  created_at: string;
}

export interface PermitsTable {
  id: string;
  application_id: string;
  project_id: string;
  application_version: number;
  scope: string;
  valid_from: string;
  expires_at: string;
  status: string;
  epsilon_budget: number;
  epsilon_spent: Generated<number>;
  /** Added by migration 0003 (the (ε, δ) ledger). */
  delta_budget: Generated<number>;
  delta_spent: Generated<number>;
  min_cell_size: number;
  issued_at: string;
  updated_at: string;
}

export interface PermitEventsTable {
  id: Generated<number>;
  permit_id: string;
  at: string;
  actor_id: string | null;
  from_status: string | null;
  to_status: string;
  reason: string | null;
}

export interface OptOutsTable {
  id: string;
  person_id: string;
  since: string;
  withdrawn_at: string | null;
  surveillance_exempt: number;
}

/**
 * One debit of a permit's (ε, δ) budget (migration 0003): append-only. A reservation made before
 * a computation and never consumed by a run stays debited.
 */
export interface BudgetReservationsTable {
  id: string;
  permit_id: string;
  user_id: string;
  epsilon: number;
  delta: number;
  /** The permit's totals right after this debit (the ledger's running balance). */
  epsilon_spent_after: number;
  delta_spent_after: number;
  reserved_at: string;
}

/** A query run (migration 0003): append-only. */
export interface QueryRunsTable {
  id: string;
  project_id: string;
  permit_id: string;
  user_id: string;
  /** The budget debit of this run (its own, or the reservation it consumed). */
  reservation_id: string;
  query_hash: string;
  query_json: string;
  engine: string;
  status: string;
  /** Canonical JSON of the disclosure-controlled result; null for a failed run. */
  result_json: string | null;
  error_code: string | null;
  epsilon_spent: number;
  delta_spent: number;
  started_at: string;
  finished_at: string;
  /** bigint: a string from pg, a number from SQLite. */
  duration_ms: number | string;
  recorded_at: string;
}

/** A request to release a run's result (migration 0003): final once no longer pending. */
export interface ReleaseRequestsTable {
  id: string;
  run_id: string;
  requested_by: string;
  requested_at: string;
  justification: string;
  status: string;
  /** The output checker (approved, rejected) or who withdrew it (withdrawn). */
  decided_by: string | null;
  decided_at: string | null;
  /** The checker's comment (required for a rejection) or the reason for a withdrawal. */
  decision_comment: string | null;
}

/** The release register (migration 0003): append-only. */
export interface ReleasesTable {
  id: string;
  request_id: string;
  run_id: string;
  project_id: string;
  released_at: string;
  released_by: string;
  content_hash: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  actor_role: string | null;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  permit_id: string | null;
  decision: string;
  reason: string | null;
  details: string;
}

/** Failed logins of logins without an account (migration 0004). */
export interface LoginFailuresTable {
  /** SHA-256 (hex) of the normalised login. */
  login_key: string;
  failed_attempts: number;
  locked_until: string | null;
  updated_at: string;
}

/** The governance database. */
export interface GovernanceDatabase {
  gov_users: UsersTable;
  gov_user_roles: UserRolesTable;
  gov_api_tokens: ApiTokensTable;
  gov_oidc_identities: OidcIdentitiesTable;
  gov_projects: ProjectsTable;
  gov_project_members: ProjectMembersTable;
  gov_project_results: ProjectResultsTable;
  gov_applications: ApplicationsTable;
  gov_application_versions: ApplicationVersionsTable;
  gov_application_events: ApplicationEventsTable;
  gov_reviews: ReviewsTable;
  gov_permits: PermitsTable;
  gov_permit_events: PermitEventsTable;
  gov_opt_outs: OptOutsTable;
  gov_budget_reservations: BudgetReservationsTable;
  gov_query_runs: QueryRunsTable;
  gov_release_requests: ReleaseRequestsTable;
  gov_releases: ReleasesTable;
  gov_login_failures: LoginFailuresTable;
  gov_settings: SettingsTable;
  gov_audit_events: AuditEventsTable;
}

/** Engines the store runs on. */
export type DialectKind = 'sqlite' | 'postgres';
