/**
 * Server configuration: parsed once, from `HYGIE_*` environment variables and an optional JSON
 * file (file values first, environment overrides, then command-line options), validated with
 * zod, then passed down — no global settings object.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_MIN_CELL_SIZE, HygieError } from '@hygie/core';

/** A boolean written as JSON or as `true/false/1/0/yes/no` text (environment variables). */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

/** The zod schema of the server configuration. */
export const serverConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  dataDir: z.string().min(1).default('./hygie-data'),
  /**
   * PostgreSQL connection string of the governance store (production). Absent: the embedded
   * SQLite file `<dataDir>/governance.sqlite`.
   */
  governanceDatabaseUrl: z.string().startsWith('postgres').optional(),
  /** Approvals from non-member reviewers before an application becomes a permit. */
  requiredApprovals: z.coerce.number().int().min(1).max(10).default(2),
  /** Minimum cell size written into new permits. */
  minCellSize: z.coerce.number().int().min(1).max(1000).default(DEFAULT_MIN_CELL_SIZE),
  /**
   * Whether public-health surveillance still counts opted-out persons. Default false: an
   * opt-out applies to surveillance too. Shown to citizens before they opt out.
   */
  surveillanceExemptFromOptOut: flag.default(false),
  /** Failed logins before an account is locked, and for how long. */
  lockoutAttempts: z.coerce.number().int().min(1).max(100).default(5),
  lockoutMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Lifetime of a login session, and of a citizen's session. */
  sessionMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .default(8 * 60),
  citizenSessionMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Whether citizens may identify with NIR + birth date (demo only; production uses OIDC). */
  citizenNirLogin: flag.default(true),
  /** OpenID Connect issuer whose ID tokens open a session (JWKS read from a local file). */
  oidcIssuer: z.string().url().optional(),
  oidcAudience: z.string().min(1).optional(),
  oidcJwksFile: z.string().min(1).optional(),
  /**
   * Seconds between two feeds of the transparency log from the audit trail (the log is also fed
   * before each of its public reads).
   */
  transparencyFeedSeconds: z.coerce.number().int().min(1).max(3600).default(2),
  /**
   * Hours between two runs of the surveillance computation (issue #7; a run is also due after an
   * ingestion). 0 turns the schedule off (runs on demand only).
   */
  surveillanceIntervalHours: z.coerce
    .number()
    .min(0)
    .max(24 * 366)
    .default(168),
  /**
   * Smallest count of a surveillance series or alert shown to analysts; smaller counts (1 to
   * k − 1) are withheld (0 shows). 0 turns the suppression off.
   */
  surveillanceMinCellSize: z.coerce.number().int().min(0).max(1000).default(10),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Engine memory limit of the warehouse. */
  memoryLimit: z
    .string()
    .regex(/^[0-9]+(?:\.[0-9]+)?\s*[KMGT]i?B$/i, 'e.g. 768MB')
    .default('768MB'),
});

/** A validated server configuration. */
export type ServerConfig = z.output<typeof serverConfigSchema>;

const ENV: Readonly<Record<string, keyof ServerConfig>> = {
  HYGIE_HOST: 'host',
  HYGIE_PORT: 'port',
  HYGIE_DATA_DIR: 'dataDir',
  HYGIE_GOVERNANCE_DATABASE_URL: 'governanceDatabaseUrl',
  HYGIE_REQUIRED_APPROVALS: 'requiredApprovals',
  HYGIE_MIN_CELL_SIZE: 'minCellSize',
  HYGIE_SURVEILLANCE_EXEMPT: 'surveillanceExemptFromOptOut',
  HYGIE_LOCKOUT_ATTEMPTS: 'lockoutAttempts',
  HYGIE_LOCKOUT_MINUTES: 'lockoutMinutes',
  HYGIE_SESSION_MINUTES: 'sessionMinutes',
  HYGIE_CITIZEN_SESSION_MINUTES: 'citizenSessionMinutes',
  HYGIE_CITIZEN_NIR_LOGIN: 'citizenNirLogin',
  HYGIE_OIDC_ISSUER: 'oidcIssuer',
  HYGIE_OIDC_AUDIENCE: 'oidcAudience',
  HYGIE_OIDC_JWKS_FILE: 'oidcJwksFile',
  HYGIE_TRANSPARENCY_FEED_SECONDS: 'transparencyFeedSeconds',
  HYGIE_SURVEILLANCE_INTERVAL_HOURS: 'surveillanceIntervalHours',
  HYGIE_SURVEILLANCE_MIN_CELL_SIZE: 'surveillanceMinCellSize',
  HYGIE_LOG_LEVEL: 'logLevel',
  HYGIE_MEMORY_LIMIT: 'memoryLimit',
};

/** The configuration with every default (tests, and the base of `loadServerConfig`). */
export function defaultServerConfig(
  overrides: Partial<z.input<typeof serverConfigSchema>> = {},
): ServerConfig {
  return loadServerConfig({ env: {}, overrides });
}

/**
 * Parses the configuration from (in increasing priority) a JSON file, the environment, and
 * explicit overrides (command-line options). Throws HYG_INVALID_CONFIG naming the setting.
 */
export function loadServerConfig(
  options: {
    file?: string;
    env?: Readonly<Record<string, string | undefined>>;
    overrides?: Partial<Record<keyof ServerConfig, unknown>>;
  } = {},
): ServerConfig {
  let fromFile: Record<string, unknown> = {};
  if (options.file) {
    try {
      fromFile = JSON.parse(readFileSync(options.file, 'utf8')) as Record<string, unknown>;
    } catch {
      throw new HygieError(
        'HYG_INVALID_CONFIG',
        `cannot read the configuration file ${options.file} as JSON`,
        {
          setting: 'config',
        },
      );
    }
  }
  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) {
    const v = (options.env ?? process.env)[name];
    if (v !== undefined && v !== '') fromEnv[key] = v;
  }
  const overrides = Object.fromEntries(
    Object.entries(options.overrides ?? {}).filter(([, v]) => v !== undefined),
  );
  const r = serverConfigSchema.safeParse({ ...fromFile, ...fromEnv, ...overrides });
  if (!r.success) {
    const issue = r.error.issues[0];
    const setting = issue?.path.join('.') ?? '';
    throw new HygieError(
      'HYG_INVALID_CONFIG',
      `configuration ${setting}: ${issue?.message ?? 'invalid'}`,
      { setting },
    );
  }
  if (
    (r.data.oidcIssuer === undefined) !== (r.data.oidcJwksFile === undefined) ||
    (r.data.oidcIssuer !== undefined && r.data.oidcAudience === undefined)
  ) {
    throw new HygieError(
      'HYG_INVALID_CONFIG',
      'OpenID Connect needs oidcIssuer, oidcAudience and oidcJwksFile together',
      {
        setting: 'oidcIssuer',
      },
    );
  }
  return r.data;
}
