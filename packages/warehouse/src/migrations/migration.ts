/** What a schema migration is. */
import type { SqlDialect } from '../sql-dialect.js';

/**
 * One schema migration: a version (applied in increasing order, never renumbered), a short name,
 * and its statements for a dialect. Once released, a migration's statements must never change:
 * the runner stores their checksum and refuses to proceed when it differs.
 */
export interface Migration {
  /** Positive integer, unique, increasing. */
  readonly version: number;
  /** Short kebab-case name. */
  readonly name: string;
  /** The DDL of the migration in `dialect`, one statement per entry. */
  statements(dialect: SqlDialect): readonly string[];
}
