/**
 * The OpenAPI 3 document, generated from the routes' zod schemas, at `/openapi.json`, and a
 * documentation page at `/docs` whose scripts and styles are served by the server itself (no
 * CDN: the platform runs air-gapped).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { HygieApp } from '../app-types.js';

/** Registers the OpenAPI generator and the documentation page. */
export async function registerOpenApi(app: HygieApp, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Hygie API',
        description:
          'Sovereign health data platform: governance, governed analytics, transparency.',
        version,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list' },
    staticCSP: true,
  });
  app.get(
    '/openapi.json',
    { config: { access: { public: true } }, schema: { hide: true } },
    async () => app.swagger(),
  );
}
