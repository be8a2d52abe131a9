/**
 * @hygie/test-support — helpers for the tests of the Hygie packages (a dev dependency only, never
 * imported by package sources): a throwaway PostgreSQL cluster per test file.
 */
export { startPgCluster } from './pg-cluster.js';
export type { PgCluster, PgClusterSkip } from './pg-cluster.js';
export { withPgCluster } from './with-pg-cluster.js';
