/**
 * One error shape for every failure: `{ code, message, details }` with the stable code's HTTP
 * status. Validation errors become HYG_INVALID_ARGUMENT naming the field; anything that is not a
 * HygieError becomes HYG_INTERNAL with no detail (its text might quote data).
 */
import { HygieError, isHygieError } from '@hygie/core';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { HygieApp } from '../app-types.js';

/** Installs the error and not-found handlers. */
export function registerErrorHandler(app: HygieApp): void {
  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0];
      const field = issue?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
      const e = new HygieError(
        'HYG_INVALID_ARGUMENT',
        `invalid ${error.validationContext ?? 'request'}${field ? ` field ${field}` : ''}: ${issue?.message ?? 'invalid value'}`,
        {
          field,
        },
      );
      return reply.status(e.status).send(e.toJSON());
    }
    if (isHygieError(error)) return reply.status(error.status).send(error.toJSON());
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, body too large…): their messages hold no data.
      const e = new HygieError('HYG_INVALID_ARGUMENT', (error as Error).message);
      return reply.status(status).send({ ...e.toJSON() });
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send(new HygieError('HYG_INTERNAL', 'internal error').toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    const e = new HygieError(
      'HYG_NOT_FOUND',
      `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
    );
    return reply.status(404).send(e.toJSON());
  });
}
