/**
 * A throwaway PostgreSQL cluster for tests (DESIGN.md §3: never assume a running server): initdb
 * in a temporary directory, pg_ctl on a free port bound to 127.0.0.1, trust authentication, fsync
 * off; stopped and deleted at the end (and, failing that, when the process exits). Run as the
 * `postgres` user when the tests run as root (PostgreSQL refuses to run as root). Returns a
 * reason to skip when that is impossible. Starting one takes about two seconds: share one cluster
 * per test file and give each test a database of its own (`createDatabase`).
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A running cluster. */
export interface PgCluster {
  /** `postgres://postgres@127.0.0.1:<port>`, without a database. */
  readonly baseUrl: string;
  /** The PostgreSQL major version of the server binaries, e.g. 15. */
  readonly majorVersion: number;
  /**
   * Creates an empty database named `<prefix>_<n>` and returns its connection string. The prefix
   * is lower-case letters, digits and underscores (default `hygie`).
   */
  createDatabase(prefix?: string): Promise<string>;
  /** Stops the server and deletes its directory. Idempotent. */
  stop(): void;
}

/** Why no cluster could be started. */
export interface PgClusterSkip {
  readonly skip: string;
}

function binDir(): string | null {
  const candidates: string[] = [];
  if (process.env.HYGIE_PG_BINDIR) candidates.push(process.env.HYGIE_PG_BINDIR);
  const r = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (r.status === 0) candidates.push(r.stdout.trim());
  candidates.push(
    '/usr/lib/postgresql/15/bin',
    '/usr/lib/postgresql/16/bin',
    '/usr/lib/postgresql/17/bin',
  );
  return (
    candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** Starts a cluster, or returns why it cannot. */
export async function startPgCluster(): Promise<PgCluster | PgClusterSkip> {
  const bin = binDir();
  if (!bin)
    return {
      skip: 'PostgreSQL server binaries not found (pg_config --bindir, /usr/lib/postgresql/*/bin)',
    };
  const asRoot = process.getuid?.() === 0;
  let uid = -1;
  let gid = -1;
  if (asRoot) {
    const u = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (u.status !== 0 || g.status !== 0)
      return { skip: 'running as root and there is no postgres user to run the server' };
    uid = Number(u.stdout.trim());
    gid = Number(g.stdout.trim());
  }
  const run = (tool: string, args: string[]) => {
    const cmd = asRoot ? 'runuser' : join(bin, tool);
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    return spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
  };
  const version = run('pg_ctl', ['--version']);
  const majorVersion = Number(/(\d+)(?:\.\d+)?/.exec(version.stdout ?? '')?.[1] ?? 0);

  const dir = mkdtempSync(join(tmpdir(), 'hygie-pg-'));
  if (asRoot) chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const init = run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `initdb failed: ${lastLine(init.stderr || init.error?.message || '')}` };
  }
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
  const start = run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    options,
    'start',
  ]);
  if (start.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `pg_ctl start failed: ${lastLine(start.stderr || start.stdout)}` };
  }

  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  // A test run that ends without `after` hooks (a crash, a timeout) must not leave a server behind.
  process.on('exit', stop);

  let n = 0;
  const baseUrl = `postgres://postgres@127.0.0.1:${port}`;
  return {
    baseUrl,
    majorVersion,
    async createDatabase(prefix = 'hygie') {
      if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) {
        throw new Error('database prefix: lower-case letters, digits and underscores only');
      }
      const name = `${prefix}_${++n}`;
      const client = new pg.Client({ connectionString: `${baseUrl}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `${baseUrl}/${name}`;
    },
    stop,
  };
}
