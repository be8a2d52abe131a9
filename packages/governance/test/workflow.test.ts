/** The conformance suites on embedded SQLite (in memory). */
import { openGovernanceStore } from '../src/index.js';
import { analyticsSuite } from './analytics-suite.js';
import { workflowSuite } from './workflow-suite.js';
import type { OpenStore } from './workflow-suite.js';

const open: OpenStore = async (clock, settings) => {
  const store = await openGovernanceStore({ kind: 'sqlite-memory', clock: clock.now, settings });
  await store.migrate();
  return store;
};

workflowSuite('sqlite', open);
analyticsSuite('sqlite', open);
