/**
 * What the HTTP layer needs from the rest of the platform: the server is built from these
 * (`buildApp(deps)`), so tests pass real stores (SQLite in memory, DuckDB in memory) and
 * `hygie serve` passes the configured ones.
 */
import type { AuditEventInput } from '@hygie/core';
import type { GovernanceStore, TransparencyLog } from '@hygie/governance';
import type { KeyRing } from '@hygie/keys';
import type { WarehouseEngine } from '@hygie/warehouse';
import type { HygieApp } from './app-types.js';
import type { ServerConfig } from './config.js';
import type { SurveillanceService } from './surveillance/surveillance-service.js';
import type { OptOutMirror } from './data-access/opt-out-mirror.js';
import type { Principal } from './roles.js';
import type { LogFeeder } from './transparency/log-feeder.js';

/** Turns a request's credentials into a caller, or null when there are none. */
export interface Authenticator {
  /**
   * `authorization` is the raw header (`Bearer …`). Returns null when absent; throws
   * HYG_UNAUTHENTICATED when present but not valid (a wrong token is not an anonymous call).
   */
  authenticate(authorization: string | undefined): Promise<Principal | null>;
}

/** Where audit events go (the append-only audit trail; the transparency log in #6). */
export interface AuditSink {
  record(event: AuditEventInput): Promise<unknown>;
}

/** Everything `buildApp` needs. */
export interface AppDeps {
  config: ServerConfig;
  warehouse: WarehouseEngine;
  governance: GovernanceStore;
  /** The built web console to serve at `/` (`@hygie/console`); none when absent. */
  consoleDir?: string;
  /**
   * The key ring, needed to compute a citizen's person id from a NIR. Without it the citizen
   * routes answer HYG_UNAVAILABLE.
   */
  keyRing?: KeyRing;
  /** Default: bearer API and session tokens of the governance store, and citizen sessions. */
  authenticator?: Authenticator;
  /** Default: the governance store's audit trail. */
  audit?: AuditSink;
  /**
   * The transparency log (issue #6), fed from the governance store's audit trail. Without it (or
   * without the key ring, which keys the actor pseudonyms) the transparency routes answer
   * HYG_UNAVAILABLE.
   */
  transparencyLog?: TransparencyLog;
  /** Default, with a log and a key ring: a feeder from `governance.audit` into the log. */
  transparencyFeeder?: LogFeeder;
  /** Default: a surveillance service over the warehouse (runs on demand; the platform schedules). */
  surveillance?: SurveillanceService;
  /** The clock (tests move time); default the system clock. */
  clock?: () => Date;
  /** Throws when a dependency is not ready (checked by /readyz, after the stores). */
  ready?: () => Promise<void>;
  /** Called once when the server closes, after in-flight requests have finished. */
  close?: () => Promise<void>;
  /** Fastify logger option: false in tests, pino options otherwise. */
  logger?: boolean | Record<string, unknown>;
}

/** Dependencies with every default resolved, as route plugins receive them. */
export interface ResolvedDeps extends AppDeps {
  authenticator: Authenticator;
  audit: AuditSink;
  clock: () => Date;
  /** The warehouse mirror of opt-outs and whether it is up to date. */
  optOutMirror: OptOutMirror;
  surveillance: SurveillanceService;
}

/** A plugin that registers the routes of one area. */
export type RoutePlugin = (app: HygieApp, deps: ResolvedDeps) => Promise<void> | void;
