/**
 * The counts a FHIR staging run reports, per file and per resource type.
 *
 * Counting rule: a *resource* is one non-blank NDJSON line or one Bundle entry (a `.json` file
 * holding a single resource counts as one; a `.json` file rejected whole counts as one). Each is
 * counted once, however many rows it yields: `staged` when its rows are good, `quarantined` when
 * they carry a rule (a resource is staged all or nothing). Hence, for every resource type and in
 * total, read = staged + quarantined. `unsupported` counts the quarantined resources of a type the
 * connector does not stage (a subset of `quarantined`). Lines that are not JSON, or carry no
 * usable `resourceType`, count under the type `(unknown)`.
 */
import type { FhirFileFormat } from './fhir-files.js';
import type { FhirStagingTable } from './fhir-staging-tables.js';

/** Resource type key of lines and files whose type cannot be read. */
export const UNKNOWN_RESOURCE_TYPE = '(unknown)';

/** Resources read, staged and quarantined. */
export interface FhirCounts {
  read: number;
  staged: number;
  quarantined: number;
  /** Quarantined because the connector does not stage their type (included in `quarantined`). */
  unsupported: number;
}

/** The counts of one file. */
export interface FhirFileReport {
  /** The path read. */
  readonly path: string;
  /** The `_file` value of its rows. */
  readonly label: string;
  readonly format: FhirFileFormat;
  /** Counts per resource type. */
  readonly resources: Record<string, FhirCounts>;
  readonly total: FhirCounts;
}

/** Rows in one staging table after the run. */
export interface FhirTableRows {
  readonly good: number;
  readonly quarantined: number;
}

/** The outcome of `stageFhir`. */
export interface FhirStageReport {
  readonly files: FhirFileReport[];
  /** Counts per resource type over all files. */
  readonly resources: Record<string, FhirCounts>;
  readonly total: FhirCounts;
  /** Rows per staging table (a resource may yield several rows, e.g. Observation components). */
  readonly rows: Record<FhirStagingTable, FhirTableRows>;
  /** Medication references resolved across files at the end of the run. */
  readonly medicationReferencesResolved: number;
  readonly seconds: number;
}

/** Fresh zero counts. */
export function zeroCounts(): FhirCounts {
  return { read: 0, staged: 0, quarantined: 0, unsupported: 0 };
}

/** The counts of `type` in a per-type record, created on first use. */
export function countsOf(record: Record<string, FhirCounts>, type: string): FhirCounts {
  let counts = record[type];
  if (counts === undefined) {
    counts = zeroCounts();
    record[type] = counts;
  }
  return counts;
}

/** Adds `from` into `into`. */
export function addCounts(into: FhirCounts, from: FhirCounts): void {
  into.read += from.read;
  into.staged += from.staged;
  into.quarantined += from.quarantined;
  into.unsupported += from.unsupported;
}

/** The sum of a per-type record. */
export function totalOf(record: Record<string, FhirCounts>): FhirCounts {
  const total = zeroCounts();
  for (const counts of Object.values(record)) addCounts(total, counts);
  return total;
}
