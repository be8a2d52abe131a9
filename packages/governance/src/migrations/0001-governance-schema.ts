/**
 * Migration 0001: the governance schema. Released migrations never change: a later change is a new
 * migration. That is why the allowed values of every CHECK are written out here rather than taken
 * from the core constants, which may grow.
 *
 * Dialect-neutral except for two things, chosen per engine: auto-increment keys (the ordered
 * history tables) and the triggers that make history tables append-only.
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { DialectKind } from '../database.js';

function oneOf(column: string, values: readonly string[]) {
  // Literal values written by this file only (no input reaches this SQL).
  return sql.raw(`${column} IN (${values.map((v) => `'${v}'`).join(', ')})`);
}

const ROLES_V1 = [
  'admin',
  'researcher',
  'reviewer',
  'output_checker',
  'analyst',
  'auditor',
  'citizen',
];
const PROJECT_ROLES_V1 = [
  'principal_investigator',
  'investigator',
  'data_scientist',
  'data_manager',
];
const APPLICATION_STATUSES_V1 = [
  'draft',
  'submitted',
  'under_review',
  'approved',
  'rejected',
  'changes_requested',
];
const PERMIT_STATUSES_V1 = ['active', 'suspended', 'revoked', 'expired'];

/** Tables whose rows are history: insert only. */
const APPEND_ONLY_TABLES = ['gov_audit_events', 'gov_application_events', 'gov_permit_events'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
type AnyDb = Kysely<any>;

/** Starts a table with an auto-increment primary key `id` (history tables keep their order). */
function serialTable(db: AnyDb, kind: DialectKind, name: string) {
  const t = db.schema.createTable(name);
  return kind === 'sqlite'
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : t.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity());
}

async function appendOnly(db: AnyDb, kind: DialectKind, table: string): Promise<void> {
  const message = `${table} is append-only`;
  if (kind === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
           BEGIN SELECT RAISE(ABORT, '${message}'); END`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `CREATE FUNCTION ${table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '${message}' USING ERRCODE = 'insufficient_privilege'; END $$`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table}
       FOR EACH ROW EXECUTE FUNCTION ${table}_append_only()`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
       FOR EACH STATEMENT EXECUTE FUNCTION ${table}_append_only()`,
    )
    .execute(db);
}

/** The migration for an engine. */
export function governanceSchemaV1(kind: DialectKind): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      const s = db.schema;

      await s
        .createTable('gov_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db
        .insertInto('gov_settings')
        .values({ key: 'platform_key_version', value: '1' })
        .execute();

      await s
        .createTable('gov_users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('login', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .execute();

      await s
        .createTable('gov_user_roles')
        .addColumn('user_id', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('gov_user_roles_pk', ['user_id', 'role'])
        .addCheckConstraint('gov_user_roles_role', oneOf('role', ROLES_V1))
        .execute();

      await s
        .createTable('gov_api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .addCheckConstraint('gov_api_tokens_kind', oneOf('kind', ['api', 'session']))
        .execute();
      await s.createIndex('gov_api_tokens_user').on('gov_api_tokens').column('user_id').execute();

      await s
        .createTable('gov_oidc_identities')
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_login_at', 'text')
        .addPrimaryKeyConstraint('gov_oidc_identities_pk', ['issuer', 'subject'])
        .execute();
      await s
        .createIndex('gov_oidc_identities_user')
        .on('gov_oidc_identities')
        .column('user_id')
        .execute();

      await s
        .createTable('gov_projects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('legal_basis', 'text', (c) => c.notNull())
        .addColumn('funding', 'text')
        .addColumn('public_summary', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint('gov_projects_status', oneOf('status', ['active', 'closed']))
        .execute();

      await s
        .createTable('gov_project_members')
        .addColumn('project_id', 'text', (c) => c.notNull().references('gov_projects.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('project_role', 'text', (c) => c.notNull())
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('gov_project_members_pk', ['project_id', 'user_id'])
        .addCheckConstraint('gov_project_members_role', oneOf('project_role', PROJECT_ROLES_V1))
        .execute();
      await s
        .createIndex('gov_project_members_user')
        .on('gov_project_members')
        .column('user_id')
        .execute();

      await s
        .createTable('gov_applications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('gov_projects.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requested_data', 'text', (c) => c.notNull())
        .addColumn('population_filters', 'text', (c) => c.notNull())
        .addColumn('period_from', 'text', (c) => c.notNull())
        .addColumn('period_to', 'text', (c) => c.notNull())
        .addColumn('duration_months', 'integer', (c) => c.notNull())
        .addColumn('access_mode', 'text', (c) => c.notNull())
        .addColumn('justification', 'text', (c) => c.notNull())
        .addColumn('requested_epsilon', 'double precision', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text')
        .addColumn('decided_at', 'text')
        .addCheckConstraint('gov_applications_status', oneOf('status', APPLICATION_STATUSES_V1))
        .addCheckConstraint(
          'gov_applications_mode',
          oneOf('access_mode', ['aggregate_only', 'workspace']),
        )
        .execute();
      await s
        .createIndex('gov_applications_project')
        .on('gov_applications')
        .column('project_id')
        .execute();
      await s
        .createIndex('gov_applications_status')
        .on('gov_applications')
        .column('status')
        .execute();

      await s
        .createTable('gov_application_versions')
        .addColumn('application_id', 'text', (c) => c.notNull().references('gov_applications.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('submitted_by', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('gov_application_versions_pk', ['application_id', 'version'])
        .execute();

      await serialTable(db, kind, 'gov_application_events')
        .addColumn('application_id', 'text', (c) => c.notNull().references('gov_applications.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .execute();
      await s
        .createIndex('gov_application_events_application')
        .on('gov_application_events')
        .column('application_id')
        .execute();

      await s
        .createTable('gov_reviews')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('application_id', 'text', (c) => c.notNull().references('gov_applications.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('reviewer_id', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('gov_reviews_once', ['application_id', 'version', 'reviewer_id'])
        .addCheckConstraint(
          'gov_reviews_decision',
          oneOf('decision', ['approve', 'reject', 'changes_requested']),
        )
        .execute();

      await s
        .createTable('gov_permits')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('application_id', 'text', (c) =>
          c.notNull().unique().references('gov_applications.id'),
        )
        .addColumn('project_id', 'text', (c) => c.notNull().references('gov_projects.id'))
        .addColumn('application_version', 'integer', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('epsilon_budget', 'double precision', (c) => c.notNull())
        .addColumn('epsilon_spent', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('min_cell_size', 'integer', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint('gov_permits_status', oneOf('status', PERMIT_STATUSES_V1))
        .addCheckConstraint('gov_permits_budget', sql`epsilon_spent >= 0 AND epsilon_budget >= 0`)
        .execute();
      await s.createIndex('gov_permits_project').on('gov_permits').column('project_id').execute();
      await s
        .createIndex('gov_permits_status_expiry')
        .on('gov_permits')
        .columns(['status', 'expires_at'])
        .execute();

      await serialTable(db, kind, 'gov_permit_events')
        .addColumn('permit_id', 'text', (c) => c.notNull().references('gov_permits.id'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .execute();
      await s
        .createIndex('gov_permit_events_permit')
        .on('gov_permit_events')
        .column('permit_id')
        .execute();

      await s
        .createTable('gov_opt_outs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('withdrawn_at', 'text')
        .addColumn('surveillance_exempt', 'integer', (c) => c.notNull())
        .addCheckConstraint('gov_opt_outs_exempt', sql`surveillance_exempt IN (0, 1)`)
        // A platform person id is 1..2^63-1 in decimal, never a NIR (13 or 15 characters, may
        // hold 2A/2B) — the length alone cannot tell, the repository checks the type.
        .addCheckConstraint('gov_opt_outs_person', sql`length(person_id) BETWEEN 1 AND 19`)
        .execute();
      // One active opt-out per person; withdrawn ones stay as history.
      await s
        .createIndex('gov_opt_outs_active')
        .on('gov_opt_outs')
        .column('person_id')
        .unique()
        .where(sql<boolean>`withdrawn_at IS NULL`)
        .execute();
      await s.createIndex('gov_opt_outs_person').on('gov_opt_outs').column('person_id').execute();

      await serialTable(db, kind, 'gov_audit_events')
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_role', 'text')
        .addColumn('actor_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text')
        .addColumn('target_id', 'text')
        .addColumn('permit_id', 'text')
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addCheckConstraint(
          'gov_audit_events_decision',
          oneOf('decision', ['allow', 'deny', 'error']),
        )
        .execute();
      await s.createIndex('gov_audit_events_at').on('gov_audit_events').column('at').execute();
      await s
        .createIndex('gov_audit_events_permit')
        .on('gov_audit_events')
        .column('permit_id')
        .execute();
      await s
        .createIndex('gov_audit_events_target')
        .on('gov_audit_events')
        .columns(['target_type', 'target_id'])
        .execute();
      await s
        .createIndex('gov_audit_events_actor')
        .on('gov_audit_events')
        .column('actor_id')
        .execute();

      for (const table of APPEND_ONLY_TABLES) await appendOnly(db, kind, table);
    },
  };
}
