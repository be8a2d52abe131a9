/**
 * Test harness: the real app over real stores — the governance store in SQLite in memory, the
 * warehouse in DuckDB in memory (migrated), a key ring from a fixed test secret — with one
 * account and API token per role, driven through `app.inject`.
 */
import { SYSTEM_ACTOR, ROLES } from '@hygie/core';
import type { Role } from '@hygie/core';
import { openGovernanceStore, openTransparencyLog } from '@hygie/governance';
import type { GovernanceSettings, GovernanceStore, TransparencyLog, User } from '@hygie/governance';
import { KeyRing } from '@hygie/keys';
import { migrate, openInMemoryWarehouse } from '@hygie/warehouse';
import type { WarehouseEngine } from '@hygie/warehouse';
import { buildApp, defaultServerConfig, governanceSettingsOf } from '../src/index.js';
import type { BuiltApp, HygieApp, ServerConfig } from '../src/index.js';

/** A clock that moves only when told to. */
export class TestClock {
  t: number;
  constructor(start = '2026-03-02T09:00:00.000Z') {
    this.t = Date.parse(start);
  }
  readonly now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

/** The password of every seeded account. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** The fixed master secret of the test key ring. */
export const TEST_MASTER = Buffer.alloc(32, 7);

/** A running test app and its stores. */
export interface TestApp extends BuiltApp {
  app: HygieApp;
  store: GovernanceStore;
  warehouse: WarehouseEngine;
  keyRing: KeyRing;
  /** The transparency log, in memory, fed from the store's audit trail. */
  transparencyLog: TransparencyLog;
  clock: TestClock;
  /** One account per role, login = role name. */
  users: Record<Role, User>;
  /** An API token per role. */
  tokens: Record<Role, string>;
  /** `{ authorization: 'Bearer …' }` for a role. */
  as(role: Role): { authorization: string };
  close(): Promise<void>;
}

/** Builds the app over fresh stores. */
export async function testApp(
  options: {
    config?: Partial<ServerConfig>;
    settings?: Partial<GovernanceSettings>;
    warehouse?: WarehouseEngine;
    /** A built web console to serve. */
    consoleDir?: string;
  } = {},
): Promise<TestApp> {
  const clock = new TestClock();
  const config = defaultServerConfig({ logLevel: 'silent', ...options.config });
  const store = await openGovernanceStore({
    kind: 'sqlite-memory',
    clock: clock.now,
    settings: { ...governanceSettingsOf(config), ...options.settings },
  });
  await store.migrate();
  const warehouse = options.warehouse ?? (await openInMemoryWarehouse());
  if (!options.warehouse) await migrate(warehouse);
  const keyRing = new KeyRing(TEST_MASTER);
  const transparencyLog = openTransparencyLog(
    { memory: true },
    { signingSeed: keyRing.logSigningSeed(), clock: clock.now },
  );
  const users = {} as Record<Role, User>;
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const user = await store.users.create(SYSTEM_ACTOR, {
      login: role.replaceAll('_', '-'),
      displayName: `Test ${role}`,
      roles: [role],
      password: TEST_PASSWORD,
    });
    users[role] = user;
    tokens[role] = (
      await store.users.createApiToken(SYSTEM_ACTOR, user.id, { label: 'test' })
    ).token;
  }
  const built = await buildApp({
    config,
    ...(options.consoleDir !== undefined ? { consoleDir: options.consoleDir } : {}),
    warehouse,
    governance: store,
    keyRing,
    transparencyLog,
    clock: clock.now,
    logger: false,
    close: async () => {
      transparencyLog.close();
      await store.close();
      await warehouse.close();
    },
  });
  return {
    ...built,
    store,
    warehouse,
    keyRing,
    transparencyLog,
    clock,
    users,
    tokens,
    as: (role) => ({ authorization: `Bearer ${tokens[role]}` }),
    close: () => built.app.close(),
  };
}
