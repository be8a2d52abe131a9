/**
 * Buffers staging rows per table and appends them through the engine's bulk appender in batches,
 * so memory holds at most one batch per table whatever the input size.
 */
import type { WarehouseSession } from '@hygie/warehouse';
import type { MappedRow } from './fhir-mapping.js';
import {
  FHIR_STAGING_TABLES,
  fhirAllColumns,
  fhirDataColumns,
  type FhirStagingTable,
} from './fhir-staging-tables.js';

/** The bookkeeping values of a row: file, line, field and rule (null, null for a good row). */
export type RowMeta = readonly [
  file: string,
  line: number,
  field: string | null,
  rule: string | null,
];

/** Rows per appender call, per table. */
export const DEFAULT_BATCH_ROWS = 50_000;

/** Batched appender over the FHIR staging tables. Not safe for concurrent flushes. */
export class FhirRowSink {
  private readonly buffers = new Map<FhirStagingTable, unknown[][]>();
  private readonly dataColumns = new Map<FhirStagingTable, string[]>();
  private fullTables = 0;

  constructor(
    private readonly session: WarehouseSession,
    private readonly batchRows: number = DEFAULT_BATCH_ROWS,
  ) {
    for (const table of FHIR_STAGING_TABLES) {
      this.buffers.set(table, []);
      this.dataColumns.set(table, fhirDataColumns(table));
    }
  }

  /** Buffers one row. */
  add(table: FhirStagingTable, meta: RowMeta, row: Readonly<Record<string, unknown>>): void {
    const values: unknown[] = [...meta];
    for (const column of this.dataColumns.get(table) as string[]) values.push(row[column]);
    const buffer = this.buffers.get(table) as unknown[][];
    buffer.push(values);
    if (buffer.length === this.batchRows) this.fullTables++;
  }

  /** Buffers every row of a mapped resource with the same bookkeeping values. */
  addAll(rows: readonly MappedRow[], meta: RowMeta): void {
    for (const { table, row } of rows) this.add(table, meta, row);
  }

  /** True when some table holds a full batch: call `flushFull` before reading on. */
  get hasFullBatch(): boolean {
    return this.fullTables > 0;
  }

  private async flush(table: FhirStagingTable): Promise<void> {
    const rows = this.buffers.get(table) as unknown[][];
    if (rows.length === 0) return;
    this.buffers.set(table, []);
    // One statement at a time: TEMP tables live on the session's connection.
    await this.session.appendRows(table, fhirAllColumns(table), rows);
  }

  /** Appends the tables holding a full batch. */
  async flushFull(): Promise<void> {
    for (const table of FHIR_STAGING_TABLES) {
      if ((this.buffers.get(table) as unknown[][]).length >= this.batchRows)
        await this.flush(table);
    }
    this.fullTables = 0;
  }

  /** Appends everything buffered. */
  async flushAll(): Promise<void> {
    for (const table of FHIR_STAGING_TABLES) await this.flush(table);
    this.fullTables = 0;
  }
}
