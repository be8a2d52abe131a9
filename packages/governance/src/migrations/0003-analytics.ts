/**
 * Migration 0003: governed analytics (issue #5) — query runs, the airlock (release requests
 * decided by output checkers, the release register) and the (ε, δ) privacy budget ledger. Same
 * conventions as 0001: random UUID text ids, ISO 8601 instants as text, JSON as text validated by
 * the core schemas on read, allowed values written out here (released migrations never change).
 *
 * - `gov_permits` gains the δ side of the budget: `delta_budget` (existing permits get 1e-9, the
 *   value their v1 scopes without `deltaBudget` read as: `DEFAULT_DELTA_BUDGET` in core) and
 *   `delta_spent`. `epsilon_spent` existed already.
 * - `gov_budget_reservations`: the ledger, one row per debit, with the permit's totals after it.
 *   Append-only: a debit is never undone (a failed computation keeps it — its noise may have been
 *   drawn).
 * - `gov_query_runs`: one row per run, pointing at its debit (`reservation_id`, unique: a debit
 *   pays for one run at most). Append-only.
 * - `gov_release_requests`: at most one pending request per run (partial unique index); a
 *   request that is no longer pending is final, and no request is ever deleted (triggers).
 * - `gov_releases`: the release register, with the SHA-256 of the released result's JSON.
 *   Append-only. Downloads are audit events (`release.download`), not rows.
 *
 * Engine-specific parts: the triggers, and the hex check of hashes (`GLOB` on SQLite, a regular
 * expression on PostgreSQL).
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { DialectKind } from '../database.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
type AnyDb = Kysely<any>;

function oneOf(column: string, values: readonly string[]) {
  // Literal values written by this file only (no input reaches this SQL).
  return sql.raw(`${column} IN (${values.map((v) => `'${v}'`).join(', ')})`);
}

const ENGINES_V1 = ['duckdb', 'postgres'];
const RUN_STATUSES_V1 = ['completed', 'failed'];
const REQUEST_STATUSES_V1 = ['pending', 'approved', 'rejected', 'withdrawn'];

/** δ budget of the permits issued before this migration (core `DEFAULT_DELTA_BUDGET`, frozen). */
const DEFAULT_DELTA_BUDGET_V1 = '1e-9';

/** Largest δ (core `MAX_DELTA`, frozen). */
const MAX_DELTA_V1 = '0.001';

/** A lower-case hex SHA-256 (64 characters), per engine. */
function sha256Hex(kind: DialectKind, column: string) {
  return kind === 'sqlite'
    ? sql.raw(`length(${column}) = 64 AND ${column} NOT GLOB '*[^0-9a-f]*'`)
    : sql.raw(`${column} ~ '^[0-9a-f]{64}$'`);
}

/** Triggers that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), as 0001 does. */
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

/**
 * Release requests: never deleted; updated only while pending, and then only in their decision
 * columns (status, decided_by, decided_at, decision_comment).
 */
async function finalOnceDecided(db: AnyDb, kind: DialectKind): Promise<void> {
  const table = 'gov_release_requests';
  const changesFixedColumn = `NEW.id <> OLD.id OR NEW.run_id <> OLD.run_id
    OR NEW.requested_by <> OLD.requested_by OR NEW.requested_at <> OLD.requested_at
    OR NEW.justification <> OLD.justification`;
  if (kind === 'sqlite') {
    await sql
      .raw(
        `CREATE TRIGGER ${table}_final BEFORE UPDATE ON ${table}
         WHEN OLD.status <> 'pending' OR ${changesFixedColumn}
         BEGIN SELECT RAISE(ABORT, '${table}: a request is final once decided or withdrawn'); END`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
         BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
      )
      .execute(db);
    return;
  }
  await sql
    .raw(
      `CREATE FUNCTION ${table}_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
           RAISE EXCEPTION '${table} is append-only' USING ERRCODE = 'insufficient_privilege';
         END IF;
         IF OLD.status <> 'pending' OR ${changesFixedColumn} THEN
           RAISE EXCEPTION '${table}: a request is final once decided or withdrawn'
             USING ERRCODE = 'insufficient_privilege';
         END IF;
         RETURN NEW;
       END $$`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER ${table}_final BEFORE UPDATE OR DELETE ON ${table}
       FOR EACH ROW EXECUTE FUNCTION ${table}_guard()`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
       FOR EACH STATEMENT EXECUTE FUNCTION ${table}_guard()`,
    )
    .execute(db);
}

/** The migration for an engine. */
export function analyticsV1(kind: DialectKind): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      const s = db.schema;

      await s
        .alterTable('gov_permits')
        .addColumn('delta_budget', 'double precision', (c) =>
          c
            .notNull()
            .defaultTo(sql.raw(DEFAULT_DELTA_BUDGET_V1))
            .check(sql.raw(`delta_budget >= 0 AND delta_budget <= ${MAX_DELTA_V1}`)),
        )
        .execute();
      await s
        .alterTable('gov_permits')
        .addColumn('delta_spent', 'double precision', (c) =>
          c
            .notNull()
            .defaultTo(0)
            .check(sql`delta_spent >= 0`),
        )
        .execute();

      await s
        .createTable('gov_budget_reservations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('permit_id', 'text', (c) => c.notNull().references('gov_permits.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('epsilon', 'double precision', (c) => c.notNull())
        .addColumn('delta', 'double precision', (c) => c.notNull())
        .addColumn('epsilon_spent_after', 'double precision', (c) => c.notNull())
        .addColumn('delta_spent_after', 'double precision', (c) => c.notNull())
        .addColumn('reserved_at', 'text', (c) => c.notNull())
        .addCheckConstraint(
          'gov_budget_reservations_cost',
          sql.raw(`epsilon >= 0 AND delta >= 0 AND delta <= ${MAX_DELTA_V1}`),
        )
        .addCheckConstraint(
          'gov_budget_reservations_totals',
          sql`epsilon_spent_after >= epsilon AND delta_spent_after >= delta`,
        )
        .execute();
      await s
        .createIndex('gov_budget_reservations_permit')
        .on('gov_budget_reservations')
        .column('permit_id')
        .execute();

      await s
        .createTable('gov_query_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('gov_projects.id'))
        .addColumn('permit_id', 'text', (c) => c.notNull().references('gov_permits.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('reservation_id', 'text', (c) =>
          c.notNull().unique().references('gov_budget_reservations.id'),
        )
        .addColumn('query_hash', 'text', (c) => c.notNull())
        .addColumn('query_json', 'text', (c) => c.notNull())
        .addColumn('engine', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('result_json', 'text')
        .addColumn('error_code', 'text')
        .addColumn('epsilon_spent', 'double precision', (c) => c.notNull())
        .addColumn('delta_spent', 'double precision', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'bigint', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addCheckConstraint('gov_query_runs_hash', sha256Hex(kind, 'query_hash'))
        .addCheckConstraint('gov_query_runs_engine', oneOf('engine', ENGINES_V1))
        .addCheckConstraint('gov_query_runs_status', oneOf('status', RUN_STATUSES_V1))
        .addCheckConstraint(
          'gov_query_runs_outcome',
          sql`(status = 'completed' AND result_json IS NOT NULL AND error_code IS NULL)
              OR (status = 'failed' AND result_json IS NULL AND error_code IS NOT NULL)`,
        )
        .addCheckConstraint(
          'gov_query_runs_cost',
          sql.raw(`epsilon_spent >= 0 AND delta_spent >= 0 AND delta_spent <= ${MAX_DELTA_V1}`),
        )
        .addCheckConstraint(
          'gov_query_runs_times',
          sql`finished_at >= started_at AND duration_ms >= 0`,
        )
        .execute();
      await s
        .createIndex('gov_query_runs_project')
        .on('gov_query_runs')
        .column('project_id')
        .execute();
      await s
        .createIndex('gov_query_runs_permit')
        .on('gov_query_runs')
        .column('permit_id')
        .execute();

      await s
        .createTable('gov_release_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('gov_query_runs.id'))
        .addColumn('requested_by', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('justification', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text', (c) => c.references('gov_users.id'))
        .addColumn('decided_at', 'text')
        .addColumn('decision_comment', 'text')
        .addCheckConstraint('gov_release_requests_status', oneOf('status', REQUEST_STATUSES_V1))
        .addCheckConstraint('gov_release_requests_justification', sql`length(justification) > 0`)
        .addCheckConstraint(
          'gov_release_requests_decision',
          sql`(status = 'pending' AND decided_by IS NULL AND decided_at IS NULL
                 AND decision_comment IS NULL)
              OR (status IN ('approved', 'withdrawn') AND decided_by IS NOT NULL
                 AND decided_at IS NOT NULL)
              OR (status = 'rejected' AND decided_by IS NOT NULL AND decided_at IS NOT NULL
                 AND decision_comment IS NOT NULL AND length(decision_comment) > 0)`,
        )
        .execute();
      // One pending request per run; decided and withdrawn ones stay as history.
      await s
        .createIndex('gov_release_requests_pending')
        .on('gov_release_requests')
        .column('run_id')
        .unique()
        .where(sql<boolean>`status = 'pending'`)
        .execute();
      await s
        .createIndex('gov_release_requests_run')
        .on('gov_release_requests')
        .column('run_id')
        .execute();
      await s
        .createIndex('gov_release_requests_queue')
        .on('gov_release_requests')
        .columns(['status', 'requested_at'])
        .execute();

      await s
        .createTable('gov_releases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) =>
          c.notNull().unique().references('gov_release_requests.id'),
        )
        .addColumn('run_id', 'text', (c) => c.notNull().unique().references('gov_query_runs.id'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('gov_projects.id'))
        .addColumn('released_at', 'text', (c) => c.notNull())
        .addColumn('released_by', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addCheckConstraint('gov_releases_hash', sha256Hex(kind, 'content_hash'))
        .execute();
      await s.createIndex('gov_releases_project').on('gov_releases').column('project_id').execute();

      for (const table of ['gov_budget_reservations', 'gov_query_runs', 'gov_releases']) {
        await appendOnly(db, kind, table);
      }
      await finalOnceDecided(db, kind);
    },
  };
}
