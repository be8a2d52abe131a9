/**
 * Opening the running platform: key ring, governance store, warehouse, then the app — and
 * closing them in the reverse order. `hygie serve` and `hygie demo` start the server with it;
 * tests start it on port 0 and drive it over real HTTP.
 */
import { HygieError } from '@hygie/core';
import { join } from 'node:path';
import {
  TRANSPARENCY_SQLITE_FILE,
  governanceSqliteFile,
  openGovernanceStore,
  openTransparencyLog,
} from '@hygie/governance';
import type { GovernanceSettings, GovernanceStore, TransparencyLog } from '@hygie/governance';
import { loadKeyRing } from '@hygie/keys';
import type { KeyRing, KeySource } from '@hygie/keys';
import { migrate, openDuckDbWarehouse } from '@hygie/warehouse';
import type { WarehouseEngine } from '@hygie/warehouse';
import { consoleAssetsDir, consoleIsBuilt } from '@hygie/console';
import { buildApp } from './app.js';
import type { BuiltApp } from './app.js';
import type { ServerConfig } from './config.js';
import { syncOptOutMirror } from './data-access/opt-out-mirror.js';

/** How often permits past their expiry are marked expired (reads also do it first). */
const EXPIRY_SWEEP_MS = 60_000;

/** A running platform. */
export interface RunningPlatform extends BuiltApp {
  /** Where it listens (`http://host:port`). */
  readonly url: string;
  readonly store: GovernanceStore;
  readonly warehouse: WarehouseEngine;
  /**
   * Stops accepting connections, lets in-flight requests finish, then closes the stores and
   * wipes the key from memory. Idempotent.
   */
  close(): Promise<void>;
}

/** The governance store's policy settings named by the server configuration. */
export function governanceSettingsOf(config: ServerConfig): Partial<GovernanceSettings> {
  return {
    requiredApprovals: config.requiredApprovals,
    maxFailedLogins: config.lockoutAttempts,
    lockoutMs: config.lockoutMinutes * 60_000,
    defaultMinCellSize: config.minCellSize,
    surveillanceExemptFromOptOut: config.surveillanceExemptFromOptOut,
  };
}

/** Opens the governance store the configuration names (SQLite in the data dir by default). */
export async function openConfiguredGovernanceStore(
  config: ServerConfig,
): Promise<GovernanceStore> {
  const settings = governanceSettingsOf(config);
  const store =
    config.governanceDatabaseUrl !== undefined
      ? await openGovernanceStore({
          kind: 'postgres',
          connectionString: config.governanceDatabaseUrl,
          settings,
        })
      : await openGovernanceStore({
          kind: 'sqlite',
          file: governanceSqliteFile(config.dataDir),
          settings,
        });
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/**
 * Refuses to start when the stored opt-outs were computed under another platform key version
 * than the key ring's: they would no longer match warehouse persons (run `hygie keys rotate`,
 * which rotates both).
 */
async function checkOptOutKeyVersion(store: GovernanceStore, ring: KeyRing): Promise<void> {
  const stored = await store.optOuts.platformKeyVersion();
  if (stored !== ring.platformKeyVersion) {
    throw new HygieError(
      'HYG_KEY_ERROR',
      `opt-outs are stored under platform key version ${stored}, the key says ${ring.platformKeyVersion}: ` +
        'finish the rotation with `hygie keys rotate`',
      { reason: 'opt-out-key-version' },
    );
  }
}

/**
 * Opens everything and listens. `extraStart` runs after the stores are open and before the app
 * accepts requests (the opt-out mirror is synchronised there).
 */
export async function startPlatform(options: {
  config: ServerConfig;
  keySource: KeySource;
  /** Called with the open stores before listening. */
  beforeListen?: (p: {
    store: GovernanceStore;
    warehouse: WarehouseEngine;
    keyRing: KeyRing;
  }) => Promise<void>;
}): Promise<RunningPlatform> {
  const { config } = options;
  const keyRing = await loadKeyRing({ ...options.keySource, dataDir: config.dataDir });
  let store: GovernanceStore | undefined;
  let warehouse: WarehouseEngine | undefined;
  let transparencyLog: TransparencyLog | undefined;
  try {
    store = await openConfiguredGovernanceStore(config);
    await checkOptOutKeyVersion(store, keyRing);
    warehouse = await openDuckDbWarehouse({
      dataDir: config.dataDir,
      memoryLimit: config.memoryLimit,
    });
    await migrate(warehouse);
    await store.permits.expireDue();
    // The warehouse's copy of the opt-out register, rebuilt whole: whatever happened while the
    // server was down (a restored warehouse, a rotation), results start from the register.
    await syncOptOutMirror(store, warehouse);
    await options.beforeListen?.({ store, warehouse, keyRing });
    // The transparency log (issue #6), in its own file, signed with a key derived from the master.
    transparencyLog = openTransparencyLog(
      { file: join(config.dataDir, TRANSPARENCY_SQLITE_FILE) },
      { signingSeed: keyRing.logSigningSeed() },
    );
  } catch (err) {
    transparencyLog?.close();
    await warehouse?.close();
    await store?.close();
    keyRing.destroy();
    throw err;
  }
  const openStore = store;
  const openWarehouse = warehouse;
  const openLog = transparencyLog;
  const sweep = setInterval(() => {
    openStore.permits.expireDue().catch(() => undefined);
  }, EXPIRY_SWEEP_MS);
  sweep.unref();
  const built = await buildApp({
    config,
    ...(consoleIsBuilt() ? { consoleDir: consoleAssetsDir() } : {}),
    warehouse: openWarehouse,
    governance: openStore,
    keyRing,
    transparencyLog: openLog,
    close: async () => {
      clearInterval(sweep);
      await built.deps.surveillance.stop();
      await built.deps.transparencyFeeder?.stop();
      openLog.close();
      await openWarehouse.close();
      await openStore.close();
      keyRing.destroy();
    },
  });
  // Feed once now (whatever the audit trail gained while the server was down), then every few
  // seconds; a failing feed is logged and retried, never fatal.
  const feeder = built.deps.transparencyFeeder;
  if (feeder !== undefined) {
    await feeder.feedOnce().catch((err: unknown) => {
      built.app.log.error({ err }, 'transparency log feed failed; retrying at the next tick');
    });
    feeder.start(config.transparencyFeedSeconds, built.app.log);
  }
  // Population-health monitoring: a run when one is due (first start, weekly, after ingestion),
  // checked now and every hour, in the background.
  built.deps.surveillance.start(built.app.log);
  let address: string;
  try {
    address = await built.app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await built.app.close();
    throw new HygieError(
      'HYG_UNAVAILABLE',
      `cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`,
    );
  }
  let closing: Promise<void> | undefined;
  return {
    ...built,
    url: address,
    store: openStore,
    warehouse: openWarehouse,
    close: () => (closing ??= built.app.close()),
  };
}
