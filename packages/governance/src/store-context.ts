/**
 * What every repository is built over: a database handle (the store's, or the open transaction
 * of `store.transaction`), the clock and the settings. Repositories are cheap objects rebuilt per
 * transaction, so code inside a transaction can never reach the connection outside it.
 */
import type { ControlledTransaction, Kysely } from 'kysely';
import type { Clock } from './clock.js';
import type { DialectKind, GovernanceDatabase } from './database.js';
import type { AuditRow } from './audit-writer.js';
import type { GovernanceSettings } from './settings.js';

/** The state of an open `store.transaction`. */
export interface OuterTransaction {
  readonly trx: ControlledTransaction<GovernanceDatabase>;
  /** Denials recorded inside the transaction; written again on their own if it rolls back. */
  readonly denialsToKeep: AuditRow[];
  /** Counter for savepoint names. */
  savepoints: number;
}

/** Context of the repositories. */
export interface StoreContext {
  /** The store's database, or the outer transaction when `outer` is set. */
  readonly db: Kysely<GovernanceDatabase>;
  /** The store's own database, outside any transaction (for writes that must survive a rollback). */
  readonly root: Kysely<GovernanceDatabase>;
  readonly outer: OuterTransaction | null;
  readonly kind: DialectKind;
  readonly clock: Clock;
  readonly settings: GovernanceSettings;
}
