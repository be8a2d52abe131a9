/**
 * @hygie/server — the HTTP API: Fastify app factory, access control, OpenAPI, configuration,
 * and the permit-scoped data access object every data capability goes through.
 */
export * from './app.js';
export * from './app-types.js';
export * from './config.js';
export * from './deps.js';
export * from './roles.js';
export * from './auth/token-authenticator.js';
export * from './platform.js';
export * from './data-access/opt-out-mirror.js';
