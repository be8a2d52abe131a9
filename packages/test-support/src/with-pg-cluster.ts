/**
 * One throwaway PostgreSQL cluster for a whole test file: started once (about two seconds),
 * stopped by an `after` hook. When no cluster can be started, a single skipped test says why, so
 * the run shows it instead of passing silently.
 */
import { after, test } from 'node:test';
import { startPgCluster } from './pg-cluster.js';
import type { PgCluster } from './pg-cluster.js';

/**
 * Starts a cluster and calls `register` with it to declare the file's tests (top level:
 * `await withPgCluster('warehouse on PostgreSQL', (cluster) => { test(…) })`). Without a cluster,
 * registers one test named `label`, skipped with the reason.
 */
export async function withPgCluster(
  label: string,
  register: (cluster: PgCluster) => void,
): Promise<void> {
  const cluster = await startPgCluster();
  if ('skip' in cluster) {
    test(label, { skip: `no throwaway PostgreSQL cluster: ${cluster.skip}` }, () => {});
    return;
  }
  after(() => cluster.stop());
  register(cluster);
}
