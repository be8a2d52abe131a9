/**
 * Concepts of an OMOP export, in SQL. The export's concept ids are standard OMOP (Athena) ids that
 * Hygie's local vocabulary mostly lacks: an id is kept only if Hygie's `concept` table has it.
 * Otherwise a `*_source_value` holding a code of a vocabulary Hygie has (CIM-10/ICD-10 with or
 * without the dot, CCAM, CIP13, ATC, LOINC) gives Hygie's concept; else the concept is 0 and the
 * source value stays for later mapping.
 */
import { Concepts, lookupTable, type LOOKUP_VOCABULARIES } from '../concept-lookup.js';

/** A vocabulary Hygie maps source codes to. */
export type LookupVocabulary = (typeof LOOKUP_VOCABULARIES)[number];

/** Prefixes a source value may carry before its code (`ICD10:E11.9`), per vocabulary. */
const PREFIXES: Readonly<Record<LookupVocabulary, string>> = {
  CIM10: '(CIM-?10|ICD-?10)[A-Z-]*[:/ ]',
  CCAM: 'CCAM[:/ ]',
  CIP13: 'CIP(13)?[:/ ]',
  ATC: 'ATC[:/ ]',
  LOINC: '(LOINC|LN)[:/ ]',
};

/** SQL: the code of a source value normalised for a vocabulary's lookup. */
export function normalisedCodeSql(v: string, vocabulary: LookupVocabulary): string {
  const bare = `regexp_replace(upper(trim(${v})), '^${PREFIXES[vocabulary]}', '')`;
  switch (vocabulary) {
    case 'CIM10':
      // E11.9, E11 9 and E119 are the same code.
      return `regexp_replace(${bare}, '[ .]', '', 'g')`;
    case 'CCAM':
      // An act code may carry its activity and phase (DEQP003-1-0).
      return `regexp_extract(${bare}, '^[A-Z]{4}[0-9]{3}')`;
    case 'CIP13':
      return `regexp_replace(${bare}, '[ .-]', '', 'g')`;
    case 'ATC':
    case 'LOINC':
      return `trim(${bare})`;
  }
}

/** SQL: Hygie's concept of a source value in the first vocabulary that has it, or NULL. */
export function sourceCodeConceptSql(v: string, vocabularies: readonly LookupVocabulary[]): string {
  if (vocabularies.length === 0) return 'NULL::INTEGER';
  const lookups = vocabularies.map(
    (voc) =>
      `(SELECT l.concept_id FROM ${lookupTable(voc)} l WHERE l.code = ${normalisedCodeSql(v, voc)})`,
  );
  return `CASE WHEN ${v} IS NOT NULL THEN coalesce(${lookups.join(', ')}) END`;
}

/** SQL: a concept id if Hygie's vocabulary has it (in `domain`, when given), else NULL. */
export function knownConceptSql(id: string, domain?: string): string {
  const inDomain = domain === undefined ? '' : ` AND c.domain_id = '${domain}'`;
  return `(SELECT c.concept_id FROM concept c WHERE c.concept_id = ${id} AND c.concept_id <> 0${inDomain})`;
}

/**
 * SQL: the concept of a main concept column: the export's id if Hygie has it, else Hygie's
 * concept of the source value, else 0.
 */
export function mainConceptSql(
  id: string,
  sourceValue: string | null,
  vocabularies: readonly LookupVocabulary[],
): string {
  const fromSource =
    sourceValue === null ? 'NULL' : sourceCodeConceptSql(sourceValue, vocabularies);
  return `coalesce(${knownConceptSql(id)}, ${fromSource}, ${Concepts.none})`;
}

/** SQL: an optional concept column: NULL stays NULL, an id Hygie lacks becomes 0. */
export function optionalConceptSql(id: string, domain?: string): string {
  return `CASE WHEN ${id} IS NOT NULL THEN coalesce(${knownConceptSql(id, domain)}, ${Concepts.none}) END`;
}

/** SQL: a required concept column restricted to a domain (visit kind, sex…): 0 when Hygie lacks it. */
export function domainConceptSql(id: string, domain: string): string {
  return `coalesce(${knownConceptSql(id, domain)}, ${Concepts.none})`;
}

/** SQL: a type concept (provenance): the export's if Hygie has it, else EHR (32817). */
export function typeConceptSql(id: string): string {
  return `coalesce(${knownConceptSql(id, 'Type Concept')}, ${Concepts.ehr})`;
}

/** SQL: the sex concept: the export's if Hygie has it, else from the source sex code, else 0. */
export function genderConceptSql(id: string, sourceValue: string): string {
  return `coalesce(${knownConceptSql(id, 'Gender')},
    CASE upper(${sourceValue})
      WHEN 'M' THEN ${Concepts.male} WHEN 'H' THEN ${Concepts.male} WHEN '1' THEN ${Concepts.male}
      WHEN 'MALE' THEN ${Concepts.male} WHEN 'HOMME' THEN ${Concepts.male}
      WHEN 'F' THEN ${Concepts.female} WHEN '2' THEN ${Concepts.female}
      WHEN 'FEMALE' THEN ${Concepts.female} WHEN 'FEMME' THEN ${Concepts.female}
    END, ${Concepts.none})`;
}
