/**
 * Concept lookups for publishing: small temporary tables code → concept_id per vocabulary, built
 * from the warehouse's own `concept` table, so the mapping is a hash join in the engine.
 */
import type { WarehouseSession } from '@hygie/warehouse';

/** Vocabularies connectors map codes to. */
export const LOOKUP_VOCABULARIES = ['CIM10', 'CCAM', 'CIP13', 'ATC', 'LOINC'] as const;

/** Name of the lookup table of a vocabulary. */
export function lookupTable(vocabulary: (typeof LOOKUP_VOCABULARIES)[number]): string {
  return `lookup_${vocabulary.toLowerCase()}`;
}

/** Creates `lookup_<vocabulary>(code, concept_id)` tables. */
export async function createConceptLookups(s: WarehouseSession): Promise<void> {
  for (const v of LOOKUP_VOCABULARIES) {
    await s.execute(
      `CREATE OR REPLACE TEMP TABLE ${lookupTable(v)} AS
       SELECT concept_code AS code, min(concept_id) AS concept_id FROM concept
       WHERE vocabulary_id = $1 AND invalid_reason IS NULL GROUP BY concept_code`,
      [v],
    );
  }
  // CIP13 codes also by number: SNDS types PHA_PRS_C13 as an integer, and comparing integers is
  // much cheaper than casting millions of them to text.
  await s.execute(
    `CREATE OR REPLACE TEMP TABLE lookup_cip13_number AS
     SELECT try_cast(code AS BIGINT) AS code, concept_id FROM ${lookupTable('CIP13')} WHERE try_cast(code AS BIGINT) IS NOT NULL`,
  );
}

/** OMOP concept ids used when publishing. */
export const Concepts = {
  none: 0,
  male: 8507,
  female: 8532,
  inpatientVisit: 9201,
  outpatientVisit: 9202,
  emergencyVisit: 9203,
  pharmacyVisit: 581458,
  claim: 32810,
  ehr: 32817,
  registry: 32879,
  primaryDiagnosis: 32902,
  secondaryDiagnosis: 32908,
} as const;
