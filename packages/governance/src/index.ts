/**
 * @hygie/governance — the governance store (issues #4, #5): accounts, tokens and OIDC identities,
 * projects, applications and their workflow, permits and their (ε, δ) budget ledger, query runs,
 * the airlock (release requests and the release register), citizens' opt-outs, the public
 * directory and the append-only audit trail. Embedded SQLite by default, PostgreSQL in
 * production, one schema and one set of queries through Kysely. The pure rules live in
 * `@hygie/core` (`core/src/governance/`).
 */
export * from './open-store.js';
export * from './clock.js';
export * from './settings.js';
export * from './migrate.js';
export type { GovernanceDatabase, DialectKind } from './database.js';
export * from './repositories/index.js';
export { GOVERNANCE_SQLITE_FILE, governanceSqliteFile } from './sqlite-file.js';
export { API_TOKEN_PREFIX, API_TOKEN_RE } from './api-token.js';
export { SCRYPT_PARAMS, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } from './password-hash.js';
export * from './oidc-token.js';
export * from './citizen-person-id.js';
export type { AuditTarget } from './audited-operation.js';
export * from './transparency/index.js';
