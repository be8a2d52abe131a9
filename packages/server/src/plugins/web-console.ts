/**
 * Serves the web console (`@hygie/console`, a single-page app built by Vite) from the same origin
 * as the API: its files, and `index.html` for any other page address so that the app's own
 * router answers deep links (`/veille`, `/recherche/projets/…`). API, documentation and health
 * addresses are never answered with the page: an unknown `/api/…` stays a JSON HYG_NOT_FOUND.
 *
 * Files are sent by `@fastify/static` (`sendFile`: no path outside the directory, no dotfiles,
 * ETag and ranges); only its reply decorator is used, so that the one route here declares its
 * access (public) like every route of the app. Hashed build assets are cached for a year, the
 * page itself is revalidated. Pages get a Content-Security-Policy allowing only this origin's
 * scripts (no CDN: the platform runs air-gapped).
 */
import { existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import fastifyStatic from '@fastify/static';
import { HygieError } from '@hygie/core';
import type { HygieApp } from '../app-types.js';

/** Address prefixes that belong to the server, never to the console. */
const SERVER_PREFIXES = ['/api/', '/docs', '/openapi.json', '/healthz', '/readyz'];

/** The Content-Security-Policy of the console's pages. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React and the design system set style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** Registers the console's route when `dir` holds a build (`index.html`). */
export async function registerWebConsole(app: HygieApp, dir: string | undefined): Promise<void> {
  if (dir === undefined || !existsSync(join(dir, 'index.html'))) return;
  await app.register(fastifyStatic, { root: dir, serve: false, index: false, dotfiles: 'deny' });
  app.get(
    '/*',
    { config: { access: { public: true } }, schema: { hide: true } },
    async (request, reply) => {
      const path = decodeURIComponent((request.url.split('?')[0] ?? '/').replace(/^\/+/, ''));
      if (SERVER_PREFIXES.some((p) => `/${path}`.startsWith(p))) {
        throw new HygieError('HYG_NOT_FOUND', `no route GET /${path}`);
      }
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      const file = normalize(path);
      if (file !== '' && !file.startsWith('..') && isFile(join(dir, file))) {
        // Vite names build assets by content hash: they never change under the same name.
        const immutable = file.startsWith('assets/');
        return reply.sendFile(file, {
          maxAge: immutable ? 365 * 24 * 3600 * 1000 : 3600 * 1000,
          immutable,
        });
      }
      // A page of the app: its router takes it from here.
      reply.header('content-security-policy', CONSOLE_CSP);
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html', { cacheControl: false });
    },
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
