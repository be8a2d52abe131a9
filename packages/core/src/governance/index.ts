/**
 * The governance domain (issue #4), pure: roles, projects, application content and workflow,
 * permit scopes and their evaluation, audit events. The store lives in `@hygie/governance`.
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
export * from './audit-event.js';
