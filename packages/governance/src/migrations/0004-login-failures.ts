/**
 * Migration 0004: failed logins for logins that have no account. Accounts count their own
 * failures and lock; without the same for unknown logins, "locked after N tries" would tell an
 * attacker which logins exist. The login is kept only as a SHA-256 key (the table lists what was
 * tried, and the trail never names logins). Rows are pruned once their window has passed.
 */
import type { Kysely, Migration } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was then
type AnyDb = Kysely<any>;

/** The migration (the same on every engine). */
export function loginFailuresV1(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('gov_login_failures')
        .addColumn('login_key', 'text', (c) => c.primaryKey())
        .addColumn('failed_attempts', 'integer', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('gov_login_failures_updated')
        .on('gov_login_failures')
        .column('updated_at')
        .execute();
    },
  };
}
