/** The conformance suite on embedded SQLite (in memory). */
import { openGovernanceStore } from '../src/index.js';
import { workflowSuite } from './workflow-suite.js';

workflowSuite('sqlite', async (clock, settings) => {
  const store = await openGovernanceStore({ kind: 'sqlite-memory', clock: clock.now, settings });
  await store.migrate();
  return store;
});
