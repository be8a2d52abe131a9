/**
 * The FHIR staging tables: DuckDB TEMP tables the FHIR connector fills, one per kind of row, from
 * which the publish step validates, pseudonymises and loads the OMOP tables.
 *
 * Every table starts with four bookkeeping columns:
 * - `_file`: the source file (as labelled by the caller, see `FhirStageOptions.fileLabel`);
 * - `_line`: the 1-based line of an NDJSON file, or the 1-based entry index of a Bundle (0 when
 *   the whole file is rejected);
 * - `_field`, `_rule`: NULL for a good row; for a row to quarantine, the FHIR element at fault and
 *   a fixed rule text. A rule never quotes a source value (it could be an identifier).
 *
 * A resource is staged all or nothing: when anything about it is wrong, every row it yields
 * carries the same `_field`/`_rule`, so `WHERE _rule IS NULL` selects exactly the good resources.
 */
import type { WarehouseSession } from '@hygie/warehouse';

/** SQL types used by the staging tables. */
type ColumnType = 'VARCHAR' | 'INTEGER' | 'DOUBLE' | 'DATE';

/** The bookkeeping columns every staging table starts with. */
export const FHIR_META_COLUMNS = ['_file', '_line', '_field', '_rule'] as const;

/**
 * The data columns of every staging table, in order (after the bookkeeping columns). The single
 * source of truth: the DDL, the row types of the mappers and the appender column lists all derive
 * from it.
 */
export const FHIR_STAGING_COLUMNS = {
  stg_fhir_patient: {
    fhir_id: 'VARCHAR',
    /** `nir` (13-character NIR body), `nir_p1` (17-character source pseudonym) or `local`. */
    ident_kind: 'VARCHAR',
    ident_value: 'VARCHAR',
    gender: 'VARCHAR',
    birth_year: 'INTEGER',
    birth_month: 'INTEGER',
    insee_commune: 'VARCHAR',
    death_date: 'DATE',
  },
  stg_fhir_encounter: {
    fhir_id: 'VARCHAR',
    patient_ref: 'VARCHAR',
    class_code: 'VARCHAR',
    type_system: 'VARCHAR',
    type_code: 'VARCHAR',
    start_date: 'DATE',
    end_date: 'DATE',
    discharge: 'VARCHAR',
    service_provider: 'VARCHAR',
  },
  stg_fhir_encounter_reason: {
    encounter_id: 'VARCHAR',
    patient_ref: 'VARCHAR',
    code_system: 'VARCHAR',
    code: 'VARCHAR',
    start_date: 'DATE',
  },
  stg_fhir_encounter_diagnosis: {
    encounter_id: 'VARCHAR',
    condition_ref: 'VARCHAR',
    rank: 'INTEGER',
    use_code: 'VARCHAR',
  },
  stg_fhir_condition: {
    fhir_id: 'VARCHAR',
    patient_ref: 'VARCHAR',
    encounter_ref: 'VARCHAR',
    code_system: 'VARCHAR',
    code: 'VARCHAR',
    onset_date: 'DATE',
    end_date: 'DATE',
    category: 'VARCHAR',
  },
  stg_fhir_medication: {
    fhir_id: 'VARCHAR',
    resource_type: 'VARCHAR',
    patient_ref: 'VARCHAR',
    encounter_ref: 'VARCHAR',
    code_system: 'VARCHAR',
    code: 'VARCHAR',
    alt_system: 'VARCHAR',
    alt_code: 'VARCHAR',
    start_date: 'DATE',
    end_date: 'DATE',
    quantity: 'DOUBLE',
    days_supply: 'INTEGER',
    /**
     * The id of the `Medication` a `medicationReference` points to, when it could not be resolved
     * in the resource or its Bundle; `stageFhir` resolves it against every Medication of the run
     * at the end (Bulk Data exports put Medication in a file of its own).
     */
    medication_ref: 'VARCHAR',
  },
  /** `Medication` resources read (top-level or Bundle entries), to resolve references. */
  stg_fhir_medication_code: {
    fhir_id: 'VARCHAR',
    code_system: 'VARCHAR',
    code: 'VARCHAR',
    alt_system: 'VARCHAR',
    alt_code: 'VARCHAR',
  },
  stg_fhir_procedure: {
    fhir_id: 'VARCHAR',
    patient_ref: 'VARCHAR',
    encounter_ref: 'VARCHAR',
    code_system: 'VARCHAR',
    code: 'VARCHAR',
    date: 'DATE',
  },
  stg_fhir_observation: {
    fhir_id: 'VARCHAR',
    patient_ref: 'VARCHAR',
    encounter_ref: 'VARCHAR',
    code_system: 'VARCHAR',
    code: 'VARCHAR',
    date: 'DATE',
    value_number: 'DOUBLE',
    unit: 'VARCHAR',
    value_system: 'VARCHAR',
    value_code: 'VARCHAR',
  },
  /** Lines and entries that are not a usable resource at all (bad JSON, unsupported type…). */
  stg_fhir_rejected: {
    resource_type: 'VARCHAR',
  },
} as const satisfies Record<string, Record<string, ColumnType>>;

/** Name of a FHIR staging table. */
export type FhirStagingTable = keyof typeof FHIR_STAGING_COLUMNS;

/** Every FHIR staging table, in creation order. */
export const FHIR_STAGING_TABLES = Object.keys(FHIR_STAGING_COLUMNS) as FhirStagingTable[];

type JsOf<T extends ColumnType> = T extends 'VARCHAR' ? string : T extends 'DATE' ? string : number;

/**
 * The data values of one row of `T`, by column; dates as `YYYY-MM-DD`. Every column must be
 * given (null when absent), so a mapper cannot forget one.
 */
export type FhirStagingRow<T extends FhirStagingTable> = {
  -readonly [C in keyof (typeof FHIR_STAGING_COLUMNS)[T]]: JsOf<
    (typeof FHIR_STAGING_COLUMNS)[T][C] & ColumnType
  > | null;
};

/** The data column names of a table, in order. */
export function fhirDataColumns(table: FhirStagingTable): string[] {
  return Object.keys(FHIR_STAGING_COLUMNS[table]);
}

/** All column names of a table (bookkeeping then data), as the appender takes them. */
export function fhirAllColumns(table: FhirStagingTable): string[] {
  return [...FHIR_META_COLUMNS, ...fhirDataColumns(table)];
}

/** The `CREATE OR REPLACE TEMP TABLE` statement of a staging table. */
export function fhirStagingTableDdl(table: FhirStagingTable): string {
  const data = Object.entries(FHIR_STAGING_COLUMNS[table] as Record<string, ColumnType>).map(
    ([name, type]) => `${name} ${type}`,
  );
  const columns = ['_file VARCHAR', '_line BIGINT', '_field VARCHAR', '_rule VARCHAR', ...data];
  return `CREATE OR REPLACE TEMP TABLE ${table} (${columns.join(', ')})`;
}

/**
 * Creates (or empties, by replacing) every FHIR staging table as a TEMP table of `session`.
 *
 * TEMP tables belong to one DuckDB connection: stage and publish on the same session — a
 * transaction (`engine.transaction(tx => …)`) pins one connection; the engine itself only
 * reuses one connection while nothing else runs on it concurrently.
 */
export async function createFhirStagingTables(session: WarehouseSession): Promise<void> {
  for (const table of FHIR_STAGING_TABLES) await session.execute(fhirStagingTableDdl(table));
}
