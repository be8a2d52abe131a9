/** Row counts of the warehouse tables, for status output (`hygie warehouse status`, the console). */
import { CDM_TABLES } from '@hygie/core';
import type { CdmTableKind } from '@hygie/core';
import type { WarehouseSession } from './engine.js';
import { schemaStatus } from './migrate.js';

/** Row count of one table; null when the table does not exist (schema not migrated). */
export interface TableCount {
  readonly table: string;
  readonly kind: CdmTableKind;
  readonly rows: number | null;
}

/** What `warehouseSummary` returns. */
export interface WarehouseSummary {
  /** Applied schema version, 0 when the warehouse is empty. */
  readonly schemaVersion: number;
  /** One entry per described table, in description order. */
  readonly tables: readonly TableCount[];
}

/** Counts the rows of every described table, in a single statement. */
export async function warehouseSummary(session: WarehouseSession): Promise<WarehouseSummary> {
  const q = session.dialect.quoteIdent;
  const existing = new Set(
    (
      await session.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
      )
    ).map((r) => r.table_name),
  );
  const present = CDM_TABLES.filter((t) => existing.has(t.name));
  const counts = new Map<string, number>();
  if (present.length > 0) {
    const sql = present
      .map(
        (t) =>
          `SELECT ${session.dialect.quoteLiteral(t.name)} AS table_name, count(*) AS n FROM ${q(t.name)}`,
      )
      .join('\nUNION ALL\n');
    for (const r of await session.query<{ table_name: string; n: number }>(sql)) {
      counts.set(r.table_name, Number(r.n));
    }
  }
  const status = await schemaStatus(session);
  return {
    schemaVersion: status.version,
    tables: CDM_TABLES.map((t) => ({
      table: t.name,
      kind: t.kind,
      rows: counts.get(t.name) ?? null,
    })),
  };
}
