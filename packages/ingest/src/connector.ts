/**
 * The connector interface: what a source format must do for the batch runner (`run-batch.ts`).
 * Everything happens in the batch's transaction, on temporary tables, in the engine.
 */
import type { WarehouseSession } from '@hygie/warehouse';
import type { PersonMapReport } from './person-map.js';
import type { PseudonymKeys } from './pseudonym-keys.js';
import type { SourceFile } from './source-files.js';

/** Counts of one staged source file (or one table of it). */
export interface StagedFileCount {
  path: string;
  /** Source table (SNDS), resource type (FHIR) or OMOP table. */
  sourceTable: string;
  /** Rows (or resources) read from the file. */
  read: number;
}

/** Where a connector's staged rows with a reason are, for quarantine. */
export interface StagedTable {
  /** Temporary staging table with `_reason` ('FIELD|rule'). */
  stage: string;
  /** SQL giving the source path and line of a staged row aliased `t`. */
  pathSql: string;
  lineSql: string;
  sourceTableSql: string;
}

/** A source format. */
export interface Connector {
  readonly format: 'snds' | 'fhir' | 'omop';
  /** Accepts a file name found while walking the input paths. */
  accepts(path: string): boolean;
  /**
   * Stages the files and pseudonymises their persons (`buildPersonMap`, at the point that suits
   * the format); rows breaking a rule keep a reason, unreadable lines go straight to the
   * quarantine work table.
   */
  stage(
    s: WarehouseSession,
    files: readonly SourceFile[],
    keys: PseudonymKeys,
    namespace: string,
    onFile: (done: number, total: number) => void,
  ): Promise<{ files: StagedFileCount[]; persons: PersonMapReport }>;
  /** The staging tables whose `_reason` rows are quarantined, and how to locate a row. */
  stagedTables(): readonly StagedTable[];
  /** Runs before quarantine is collected: finds lines that staging did not number. */
  locateQuarantined?(s: WarehouseSession): Promise<void>;
  /** Publishes valid rows to the CDM; returns rows written per CDM table. */
  publish(
    s: WarehouseSession,
    keys: PseudonymKeys,
    batchId: string,
    batchNumber: number,
    /** Filled with the duration of each publishing step (ms), for the manifest. */
    timings: Record<string, number>,
  ): Promise<Record<string, number>>;
}
