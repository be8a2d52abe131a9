/**
 * Resolves, in the engine, the drug references that could not be resolved while reading: a
 * MedicationRequest of one NDJSON file pointing to a Medication of another (Bulk Data exports write
 * one file per type). Every Medication of the run is in `stg_fhir_medication_code`; a reference
 * resolves when exactly one coding is known for its id — two Medications with the same id but
 * different codes (two sources' ids colliding) leave the row quarantined rather than guess.
 */
import type { WarehouseSession } from '@hygie/warehouse';
import { UNRESOLVED_MEDICATION_RULE } from './fhir-medication-mapper.js';

/** Rows made good, per file label and resource type. */
export interface ResolvedReferences {
  readonly file: string;
  readonly resourceType: string;
  readonly count: number;
}

const LOOKUP = '_fhir_medication_lookup';

/** Resolves pending `medication_ref`s; returns what changed, for the report. */
export async function resolveMedicationReferences(
  session: WarehouseSession,
): Promise<ResolvedReferences[]> {
  await session.execute(
    `CREATE OR REPLACE TEMP TABLE ${LOOKUP} AS
     SELECT fhir_id, min(code_system) AS code_system, min(code) AS code,
            min(alt_system) AS alt_system, min(alt_code) AS alt_code
     FROM stg_fhir_medication_code
     WHERE _rule IS NULL AND fhir_id IS NOT NULL
     GROUP BY fhir_id
     HAVING count(DISTINCT coalesce(code_system, '') || '|' || code) = 1`,
  );
  try {
    const rows = await session.query<{ file: string; resource_type: string; n: number }>(
      `SELECT m._file AS file, m.resource_type, count(*)::INTEGER AS n
       FROM stg_fhir_medication m JOIN ${LOOKUP} l ON m.medication_ref = l.fhir_id
       WHERE m._rule = $1
       GROUP BY m._file, m.resource_type`,
      [UNRESOLVED_MEDICATION_RULE],
    );
    if (rows.length > 0) {
      await session.execute(
        `UPDATE stg_fhir_medication AS m
         SET code_system = l.code_system, code = l.code, alt_system = l.alt_system,
             alt_code = l.alt_code, _field = NULL, _rule = NULL
         FROM ${LOOKUP} AS l
         WHERE m._rule = $1 AND m.medication_ref = l.fhir_id`,
        [UNRESOLVED_MEDICATION_RULE],
      );
    }
    return rows.map((r) => ({ file: r.file, resourceType: r.resource_type, count: r.n }));
  } finally {
    await session.execute(`DROP TABLE IF EXISTS ${LOOKUP}`);
  }
}
