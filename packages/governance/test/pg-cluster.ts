/**
 * A throwaway PostgreSQL cluster for tests (DESIGN.md §3: never assume a running server): initdb
 * in a temporary directory, pg_ctl on a free port bound to 127.0.0.1, trust authentication, fsync
 * off; stopped and deleted at the end. Run as the `postgres` user when the tests run as root
 * (PostgreSQL refuses to run as root). Returns a reason to skip when that is impossible.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A running cluster. */
export interface PgCluster {
  /** Creates an empty database and returns its connection string. */
  createDatabase(): Promise<string>;
  /** Stops the server and deletes its directory. */
  stop(): void;
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

/** Starts a cluster, or returns why it cannot. */
export async function startPgCluster(): Promise<PgCluster | { skip: string }> {
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
    '--no-sync',
  ]);
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return {
      skip: `initdb failed: ${(init.stderr || init.error?.message || '').trim().split('\n').at(-1)}`,
    };
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
    return {
      skip: `pg_ctl start failed: ${(start.stderr || start.stdout).trim().split('\n').at(-1)}`,
    };
  }
  let n = 0;
  const base = `postgres://postgres@127.0.0.1:${port}`;
  return {
    async createDatabase() {
      const name = `hygie_gov_${++n}`;
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `${base}/${name}`;
    },
    stop() {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
