/**
 * The Fastify app factory (`buildApp(deps)`): zod-validated routes with the zod type provider,
 * stable error codes, deny-by-default access control with audit of refusals, OpenAPI at
 * `/openapi.json` and a local documentation page, pino logs that redact credentials.
 * Tests drive it with `app.inject`; `hygie serve` listens with it.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { HygieApp, RouteInfo } from './app-types.js';
import { bearerAuthenticator, governanceTokenVerifier } from './auth/token-authenticator.js';
import { citizenSessionVerifier } from './citizen/citizen-session.js';
import type { AppDeps, ResolvedDeps } from './deps.js';
import { OptOutMirror } from './data-access/opt-out-mirror.js';
import { SurveillanceService } from './surveillance/surveillance-service.js';
import { registerWebConsole } from './plugins/web-console.js';
import { registerAccessControl } from './plugins/access-control.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { registerOpenApi } from './plugins/openapi.js';
import { ROUTE_PLUGINS } from './routes/index.js';
import { LogFeeder } from './transparency/log-feeder.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** Paths of log fields pino must never print (credentials, identifiers). */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.idToken',
  '*.secret',
  '*.nir',
  '*.birthDate',
];

/** A built app and the routes it registered (for the route × role test and documentation). */
export interface BuiltApp {
  app: HygieApp;
  routes: readonly RouteInfo[];
  deps: ResolvedDeps;
}

/** Fills in the default authenticator, audit sink, clock and transparency log feeder. */
export function resolveDeps(deps: AppDeps): ResolvedDeps {
  const clock = deps.clock ?? (() => new Date());
  const transparencyFeeder =
    deps.transparencyFeeder ??
    (deps.transparencyLog !== undefined && deps.keyRing !== undefined
      ? new LogFeeder({
          audit: deps.governance.audit,
          log: deps.transparencyLog,
          actorKey: deps.keyRing.logActorKey(),
          now: clock,
        })
      : undefined);
  const audit = deps.audit ?? deps.governance.audit;
  return {
    ...deps,
    authenticator:
      deps.authenticator ??
      bearerAuthenticator([
        governanceTokenVerifier(deps.governance),
        ...(deps.keyRing ? [citizenSessionVerifier(deps.keyRing, deps.clock, audit)] : []),
      ]),
    audit,
    clock,
    ...(transparencyFeeder !== undefined ? { transparencyFeeder } : {}),
    optOutMirror: new OptOutMirror(deps.governance, deps.warehouse),
    surveillance:
      deps.surveillance ??
      new SurveillanceService(deps.warehouse, deps.config.surveillanceIntervalHours, audit, clock),
  };
}

/**
 * Builds the app. `app.close()` stops it: in-flight requests finish, then `deps.close` runs
 * (the caller's stores close there).
 */
export async function buildApp(input: AppDeps): Promise<BuiltApp> {
  const deps = resolveDeps(input);
  const redact = { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' };
  const logger =
    deps.logger === false
      ? false
      : deps.logger === undefined || deps.logger === true
        ? { level: deps.config.logLevel, redact }
        : { ...deps.logger, redact };
  const app = Fastify({
    logger,
    // Behind a proxy, the real client address is in X-Forwarded-For; trust only loopback.
    trustProxy: 'loopback',
    bodyLimit: 1024 * 1024,
  }).withTypeProvider() as unknown as HygieApp;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const routes: RouteInfo[] = [];
  registerErrorHandler(app);
  registerAccessControl(app, deps, routes);
  await registerOpenApi(app, VERSION);
  for (const plugin of ROUTE_PLUGINS) await plugin(app, deps);
  await registerWebConsole(app, deps.consoleDir);
  // While closing, answers end their connection: a keep-alive connection that becomes idle after
  // close() began would otherwise hold the shutdown until its keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onClose', async () => {
    await deps.close?.();
  });
  await app.ready();
  return { app, routes, deps };
}
