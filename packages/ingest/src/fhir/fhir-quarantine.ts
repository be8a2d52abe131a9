/**
 * What the batch runner needs to quarantine FHIR resources and count them: one quarantine row
 * per quarantined *resource* (not per staging row — an Encounter with three diagnoses, or a blood
 * pressure panel with two components, is one resource), located by file and line, with its
 * resource type as the source table. With these, read = loaded + quarantined holds per file and
 * resource type, as `FhirStageReport` counts it.
 */
import type { FhirStageReport } from './fhir-stage-report.js';
import type { FhirStagingTable } from './fhir-staging-tables.js';

/**
 * For every staging table that holds a resource's main row(s), the SQL expression (over the
 * table's own columns) of the resource type. `stg_fhir_encounter_reason` and
 * `stg_fhir_encounter_diagnosis` are left out: their rows always come with their Encounter's row,
 * which carries the same rule.
 */
export const FHIR_RESOURCE_TYPE_SQL: Readonly<Partial<Record<FhirStagingTable, string>>> = {
  stg_fhir_patient: `'Patient'`,
  stg_fhir_encounter: `'Encounter'`,
  stg_fhir_condition: `'Condition'`,
  stg_fhir_medication: 'resource_type',
  stg_fhir_medication_code: `'Medication'`,
  stg_fhir_procedure: `'Procedure'`,
  stg_fhir_observation: `'Observation'`,
  stg_fhir_rejected: `coalesce(resource_type, '(unknown)')`,
};

/**
 * A SELECT giving one row per quarantined resource, with columns `path` (the `_file` label),
 * `line`, `source_table` (resource type), `field` and `rule`. Run it on the staging session.
 */
export function fhirQuarantineSql(): string {
  const parts = Object.entries(FHIR_RESOURCE_TYPE_SQL).map(
    ([table, type]) =>
      `SELECT _file AS path, _line AS line, ${type} AS source_table, _field AS field, _rule AS rule
       FROM ${table} WHERE _rule IS NOT NULL`,
  );
  // DISTINCT folds the rows of one resource (Observation components) into one.
  return `SELECT DISTINCT path, line, source_table, field, rule FROM (${parts.join(' UNION ALL ')})`;
}

/** Resources read per file and resource type (the `_file` label as path), for a batch manifest. */
export function fhirReadCounts(
  report: FhirStageReport,
): { path: string; sourceTable: string; read: number }[] {
  return report.files.flatMap((f) =>
    Object.entries(f.resources).map(([sourceTable, c]) => ({
      path: f.label,
      sourceTable,
      read: c.read,
    })),
  );
}
