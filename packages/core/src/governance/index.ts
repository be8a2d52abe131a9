/**
 * The governance domain (issues #4, #5), pure: roles, projects, application content and workflow,
 * permit scopes and their evaluation, the privacy budget ledger's arithmetic, query runs and the
 * airlock's release workflow, audit events. The store lives in `@hygie/governance`.
 */
export * from './roles.js';
export * from './accounts.js';
export * from './parse.js';
export * from './permit-scope.js';
export * from './project.js';
export * from './application-content.js';
export * from './application-workflow.js';
export * from './permit-evaluation.js';
export * from './permit-lifecycle.js';
export * from './privacy-budget.js';
export * from './query-run.js';
export * from './release-workflow.js';
export * from './audit-event.js';
