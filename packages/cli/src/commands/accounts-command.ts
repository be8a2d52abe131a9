/**
 * `hygie accounts create|list`: account administration from the operator's shell — above all the
 * first administrator of a new platform, before anyone can log in to create the others. The
 * password is drawn at random and printed once; the store keeps its scrypt hash only.
 */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { ROLES, SYSTEM_ACTOR } from '@hygie/core';
import type { Role } from '@hygie/core';
import { openConfiguredGovernanceStore } from '@hygie/server';
import type { GovernanceStore } from '@hygie/governance';
import { serveConfig } from './serve-command.js';

/** Parses `admin,reviewer` into roles. */
function rolesArg(value: string): Role[] {
  const roles = value.split(',').map((r) => r.trim());
  for (const r of roles) {
    if (!(ROLES as readonly string[]).includes(r)) {
      throw new InvalidArgumentError(`unknown role ${r}: one of ${ROLES.join(', ')}`);
    }
  }
  return roles as Role[];
}

interface StoreOptions {
  dataDir?: string;
  governanceDb?: string;
  config?: string;
}

async function withStore<T>(
  opts: StoreOptions,
  fn: (store: GovernanceStore) => Promise<T>,
): Promise<T> {
  const store = await openConfiguredGovernanceStore(serveConfig(opts));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function storeOptions(c: Command): Command {
  return c
    .option(
      '--data-dir <dir>',
      'data directory holding the embedded governance store (default ./hygie-data)',
    )
    .option('--governance-db <url>', 'PostgreSQL connection string of the governance store')
    .option('--config <file>', 'JSON configuration file, as for hygie serve');
}

/** Registers `hygie accounts`. */
export function registerAccounts(program: Command): void {
  const accounts = program
    .command('accounts')
    .description('create and list accounts from the shell (the first administrator)');
  storeOptions(
    accounts
      .command('create')
      .description('create an account with a random password, printed once')
      .requiredOption('--login <login>', 'login name')
      .requiredOption('--name <name>', 'display name')
      .requiredOption('--roles <roles>', `comma-separated roles: ${ROLES.join(', ')}`, rolesArg),
  ).action(async (opts: StoreOptions & { login: string; name: string; roles: Role[] }) => {
    const password = randomBytes(15).toString('base64url');
    const user = await withStore(opts, (store) =>
      store.users.create(SYSTEM_ACTOR, {
        login: opts.login,
        displayName: opts.name,
        roles: opts.roles,
        password,
      }),
    );
    process.stdout.write(
      `Account ${user.login} created (${user.roles.join(', ')}), id ${user.id}.\n` +
        `Password (shown once; change it with POST /api/v1/me/password): ${password}\n`,
    );
  });
  storeOptions(
    accounts.command('list').description('list accounts: login, roles, state (never a secret)'),
  ).action(async (opts: StoreOptions) => {
    const users = await withStore(opts, (store) => store.users.list());
    for (const u of users) {
      const state =
        u.disabledAt !== null
          ? 'disabled'
          : u.lockedUntil !== null
            ? `locked until ${u.lockedUntil}`
            : 'active';
      process.stdout.write(`${u.login}\t${u.roles.join(',')}\t${state}\t${u.id}\n`);
    }
  });
}
