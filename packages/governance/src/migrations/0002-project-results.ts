/**
 * Migration 0002: what a project has published from its work (issue #4: the public directory
 * shows "results"). Same conventions as 0001 — random UUID text ids, ISO 8601 instants as text,
 * allowed values written out here — and nothing engine-specific, so one body serves both engines.
 *
 * A result is removed by marking it (`removed_at`, who and why), never by deleting the row: the
 * directory stops showing it, the team and the trail still know it was published.
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

/** Kinds of result, as of this migration (the core constant may grow; this list may not). */
const RESULT_KINDS_V1 = ['publication', 'report', 'dataset', 'other'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
type AnyDb = Kysely<any>;

/** The migration (the same on every engine). */
export function projectResultsV1(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('gov_project_results')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('gov_projects.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('published_on', 'text')
        .addColumn('summary', 'text')
        .addColumn('added_by', 'text', (c) => c.notNull().references('gov_users.id'))
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addColumn('removed_at', 'text')
        .addColumn('removed_by', 'text', (c) => c.references('gov_users.id'))
        .addColumn('removal_reason', 'text')
        .addCheckConstraint(
          'gov_project_results_kind',
          // Literal values written by this file only (no input reaches this SQL).
          sql.raw(`kind IN (${RESULT_KINDS_V1.map((k) => `'${k}'`).join(', ')})`),
        )
        // The directory publishes the link: the database too refuses any scheme but http(s)
        // (lower(): the repository stores the parser's lower-case form, but a CHECK must not
        // depend on that, and LIKE is case-sensitive on PostgreSQL only).
        .addCheckConstraint(
          'gov_project_results_url',
          sql`url IS NULL OR lower(url) LIKE 'http://%' OR lower(url) LIKE 'https://%'`,
        )
        .addCheckConstraint(
          'gov_project_results_removal',
          sql`(removed_at IS NULL AND removed_by IS NULL AND removal_reason IS NULL)
              OR (removed_at IS NOT NULL AND removed_by IS NOT NULL AND removal_reason IS NOT NULL)`,
        )
        .execute();
      await db.schema
        .createIndex('gov_project_results_project')
        .on('gov_project_results')
        .column('project_id')
        .execute();
    },
  };
}
