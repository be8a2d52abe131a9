/**
 * Citus scale-out (DESIGN.md §3): the tables that hold one row set per person (`personKey` in the
 * core descriptions: the clinical CDM tables, `hygie_person_identity`, `hygie_opt_out`) are
 * hash-distributed by `person_id` and co-located with `person`, so that every per-person join and
 * aggregation of a cohort runs shard by shard on the workers without moving rows; the other
 * tables (vocabulary, health system, metadata, Hygie's bookkeeping) become reference tables,
 * copied to every worker, so joins to them stay local too.
 *
 * UNTESTED: no Citus on the build machines (the extension is not packaged for them). It is kept
 * apart so the PostgreSQL engine does not depend on it; `docs/architecture.md` says how to try it.
 */
import { CDM_TABLES } from '@hygie/core';
import type { CdmTable } from '@hygie/core';
import type { WarehouseSession } from './engine.js';

/** What `distributeCitusTables` did. */
export interface CitusDistributionReport {
  /** Tables distributed by this run, by their person key. */
  readonly distributed: readonly string[];
  /** Tables made reference tables by this run. */
  readonly reference: readonly string[];
}

/** The table every person-keyed table is co-located with. */
export const CITUS_COLOCATION_ANCHOR = 'person';

/**
 * Distributes the described tables that exist and are not yet Citus tables; idempotent (tables
 * already in `pg_dist_partition` are left alone), so it runs after every migration and picks up
 * the tables a new migration created. Must run on the coordinator, outside a transaction.
 *
 * A distributed table's primary key must contain the distribution column: an event table keyed by
 * its own id (`condition_occurrence_id`) gets the key `(person_id, condition_occurrence_id)`
 * instead, still unique.
 */
export async function distributeCitusTables(
  session: WarehouseSession,
  tables: readonly CdmTable[] = CDM_TABLES,
): Promise<CitusDistributionReport> {
  const q = session.dialect.quoteIdent;
  const present = new Set(
    (
      await session.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      )
    ).map((r) => r.name),
  );
  const done = new Set(
    (
      await session.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
         WHERE c.relnamespace = current_schema()::regnamespace`,
      )
    ).map((r) => r.name),
  );
  const todo = tables.filter((t) => present.has(t.name) && !done.has(t.name));
  // The anchor first, so the others can be co-located with it.
  const personKeyed = todo
    .filter((t) => t.personKey !== undefined)
    .sort(
      (a, b) =>
        Number(b.name === CITUS_COLOCATION_ANCHOR) - Number(a.name === CITUS_COLOCATION_ANCHOR),
    );
  const anchorReady =
    done.has(CITUS_COLOCATION_ANCHOR) ||
    personKeyed.some((t) => t.name === CITUS_COLOCATION_ANCHOR);

  const distributed: string[] = [];
  for (const table of personKeyed) {
    const key = table.personKey as string;
    await keyWithDistributionColumn(session, table, key);
    const colocateWith =
      table.name === CITUS_COLOCATION_ANCHOR || !anchorReady ? 'default' : CITUS_COLOCATION_ANCHOR;
    await session.query(`SELECT create_distributed_table($1, $2, colocate_with => $3)`, [
      q(table.name),
      key,
      colocateWith,
    ]);
    distributed.push(table.name);
  }
  const reference: string[] = [];
  for (const table of todo.filter((t) => t.personKey === undefined)) {
    await session.query(`SELECT create_reference_table($1)`, [q(table.name)]);
    reference.push(table.name);
  }
  return { distributed, reference };
}

/** Replaces a primary key that lacks the distribution column by one that starts with it. */
async function keyWithDistributionColumn(
  session: WarehouseSession,
  table: CdmTable,
  key: string,
): Promise<void> {
  const q = session.dialect.quoteIdent;
  const [pk] = await session.query<{ name: string; columns: string[] }>(
    `SELECT con.conname AS name,
            array(SELECT a.attname FROM unnest(con.conkey) AS k(n)
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS columns
     FROM pg_constraint con WHERE con.conrelid = to_regclass($1) AND con.contype = 'p'`,
    [q(table.name)],
  );
  if (pk === undefined || pk.columns.includes(key)) return;
  // One statement: the table is never without a key.
  await session.execute(
    `ALTER TABLE ${q(table.name)} DROP CONSTRAINT ${q(pk.name)}, ` +
      `ADD PRIMARY KEY (${[key, ...pk.columns].map(q).join(', ')})`,
  );
}
