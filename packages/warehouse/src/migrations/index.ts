/**
 * The schema migrations, in order. To change the schema: add the table, column or index to the
 * core description with `addedIn: N`, and add migration N here (usually
 * `statements: (d) => schemaStatements(d, N)`, plus any data fix-up it needs).
 */
import { migration0001 } from './0001-omop-cdm-v5-4.js';
import { migration0002 } from './0002-ingestion-bookkeeping.js';
import { migration0003 } from './0003-opt-out-mirror.js';
import { migration0004 } from './0004-disclosed-cells.js';
import { migration0005 } from './0005-surveillance.js';
import { migration0006 } from './0006-excess-mortality.js';
import { migration0007 } from './0007-standardised-intervals.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration Hygie knows, by increasing version. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
];
