/**
 * `hygie serve`: the platform server — governance, permits, citizens' rights, the API and its
 * documentation — over the warehouse of a data directory, with the master key from a key file
 * or trustee shares. Runs until SIGINT or SIGTERM, then finishes in-flight requests and closes
 * the stores (graceful shutdown).
 */
import type { Command } from 'commander';
import { DEFAULT_KEY_FILE } from '@hygie/keys';
import { loadServerConfig, startPlatform } from '@hygie/server';
import type { RunningPlatform, ServerConfig } from '@hygie/server';
import { keySourceOf } from './ingest-command.js';

/** Options of `hygie serve`. */
export interface ServeCliOptions {
  host?: string;
  port?: string;
  dataDir?: string;
  keyFile?: string;
  keyShares?: string;
  config?: string;
  governanceDb?: string;
  logLevel?: string;
}

/** The server configuration from a config file, `HYGIE_*` variables and command-line options. */
export function serveConfig(opts: ServeCliOptions): ServerConfig {
  return loadServerConfig({
    ...(opts.config ? { file: opts.config } : {}),
    overrides: {
      host: opts.host,
      port: opts.port,
      dataDir: opts.dataDir,
      governanceDatabaseUrl: opts.governanceDb,
      logLevel: opts.logLevel,
    },
  });
}

/** Resolves when the process receives SIGINT or SIGTERM, after closing `platform`. */
export function closeOnSignal(platform: RunningPlatform): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.stdout.write(`\n${signal}: finishing requests in flight and closing the stores…\n`);
      platform.close().then(() => {
        process.stdout.write('Stopped.\n');
        resolve();
      }, reject);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

/** Registers `hygie serve`. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the platform server (API, governance, citizens, documentation at /docs)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1, or HYGIE_HOST)')
    .option('--port <port>', 'port to listen on (default 8080, or HYGIE_PORT)')
    .option(
      '--data-dir <dir>',
      'data directory: warehouse and embedded governance store (default ./hygie-data)',
    )
    .option('--key-file <path>', `master key file (default ${DEFAULT_KEY_FILE})`)
    .option('--key-shares <files>', 'comma-separated trustee share files instead of a key file')
    .option(
      '--config <file>',
      'JSON configuration file (HYGIE_* variables and options override it)',
    )
    .option(
      '--governance-db <url>',
      'PostgreSQL connection string of the governance store (production)',
    )
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .action(async (opts: ServeCliOptions) => {
      const config = serveConfig(opts);
      const platform = await startPlatform({
        config,
        keySource: keySourceOf({
          keyFile: opts.keyFile,
          keyShares: opts.keyShares,
          dataDir: config.dataDir,
        }),
      });
      process.stdout.write(
        `Hygie is listening on ${platform.url}\n` +
          `  API documentation: ${platform.url}/docs (OpenAPI: ${platform.url}/openapi.json)\n` +
          `  governance store: ${platform.store.kind}, warehouse: ${platform.warehouse.location}\n` +
          'Stop with Ctrl-C.\n',
      );
      await closeOnSignal(platform);
    });
}
