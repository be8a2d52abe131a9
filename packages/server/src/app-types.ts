/** The Fastify instance type of Hygie, with the zod type provider. */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Access, Principal } from './roles.js';

/** Hygie's Fastify instance. */
export type HygieApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; required on every route. */
    access?: Access;
  }
  interface FastifyRequest {
    /** The authenticated caller, or null. */
    principal: Principal | null;
  }
}

/** A registered route, for the route × role test and the route list. */
export interface RouteInfo {
  method: string;
  url: string;
  access: Access;
}
