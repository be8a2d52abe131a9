/**
 * Copying a warehouse into another engine — above all the embedded DuckDB warehouse into
 * PostgreSQL (or Citus) when one machine is no longer enough, and for the DuckDB/PostgreSQL
 * benchmark. Table by table: DuckDB writes a CSV of the table to a private temporary directory
 * (`COPY … TO`, in the engine), the target bulk-loads it (`loadCsv`: PostgreSQL `COPY FROM`),
 * then the file is deleted. The target must be migrated to the same schema version; its tables
 * are emptied first, in the same transaction as their load, so a failed copy of a table leaves it
 * as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDM_TABLES, HygieError } from '@hygie/core';
import type { CdmTable } from '@hygie/core';
import type { WarehouseEngine } from './engine.js';
import { schemaStatus } from './migrate.js';

/** The outcome of a copy: rows per table and time taken. */
export interface WarehouseCopyReport {
  readonly tables: readonly {
    readonly table: string;
    readonly rows: number;
    readonly ms: number;
  }[];
  readonly ms: number;
}

/** Tables a copy moves by default: everything but the migration bookkeeping. */
export function copiedTables(): readonly CdmTable[] {
  return CDM_TABLES.filter((t) => t.name !== 'hygie_schema_migrations');
}

/**
 * Copies every table of `from` (DuckDB) into `to` (any engine, migrated to the same version).
 * `onTable` reports progress after each table.
 */
export async function copyWarehouse(
  from: WarehouseEngine,
  to: WarehouseEngine,
  options: {
    readonly tables?: readonly CdmTable[];
    readonly onTable?: (table: string, rows: number, done: number, total: number) => void;
  } = {},
): Promise<WarehouseCopyReport> {
  if (from.dialect.name !== 'duckdb') {
    throw new HygieError('HYG_INVALID_ARGUMENT', 'the source of a copy must be a DuckDB warehouse');
  }
  const [a, b] = [await schemaStatus(from), await schemaStatus(to)];
  if (a.version !== b.version || b.pending.length > 0) {
    throw new HygieError(
      'HYG_CONFLICT',
      `schema versions differ (source ${a.version}, target ${b.version}): migrate both first`,
      { reason: 'schema-version-mismatch' },
    );
  }
  const tables = options.tables ?? copiedTables();
  const dir = mkdtempSync(join(tmpdir(), 'hygie-copy-'));
  const t0 = performance.now();
  const report: { table: string; rows: number; ms: number }[] = [];
  try {
    for (const [i, table] of tables.entries()) {
      const t1 = performance.now();
      const columns = table.columns.map((c) => c.name);
      const file = join(dir, `${table.name}.csv`);
      const cols = columns.map((c) => from.dialect.quoteIdent(c)).join(', ');
      await from.execute(
        `COPY (SELECT ${cols} FROM ${from.dialect.quoteIdent(table.name)}) TO ${from.dialect.quoteLiteral(file)} ` +
          `(FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', DATEFORMAT '%Y-%m-%d', TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%S.%fZ')`,
      );
      const rows = await to.transaction(async (tx) => {
        await tx.execute(`DELETE FROM ${tx.dialect.quoteIdent(table.name)}`);
        return tx.loadCsv(table.name, file, { delimiter: ',', header: true, columns });
      });
      rmSync(file, { force: true });
      report.push({ table: table.name, rows, ms: performance.now() - t1 });
      options.onTable?.(table.name, rows, i + 1, tables.length);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { tables: report, ms: performance.now() - t0 };
}
