/**
 * Concept sets as SQL: the concept ids a set stands for, resolved in the warehouse from the codes
 * people write (`CIM10 E11`, `ATC A10`), through `concept_ancestor` for descendants (ancestor →
 * descendant), minus the exclusions (with their own descendants when asked). OHDSI's concept set
 * expression; the vocabulary tables are reference data, so no permit lists them.
 */
import { HygieError } from '@hygie/core';
import type { QueryConceptItem, QueryVocabulary } from '@hygie/core';
import type { CompileScope } from './compile-scope.js';

/**
 * A code as the warehouse stores it. CIM-10 codes are stored without the dot (`E119`), as in the
 * SNDS, while people write `E11.9`; CIM-10, ATC and CCAM codes are upper case in their
 * vocabularies. Other codes (CIP13, LOINC, visits) are kept as written.
 */
export function normaliseConceptCode(vocabulary: QueryVocabulary, code: string): string {
  switch (vocabulary) {
    case 'CIM10':
      return code.replaceAll('.', '').toUpperCase();
    case 'ATC':
    case 'CCAM':
      return code.toUpperCase();
    default:
      return code;
  }
}

/**
 * The CTE of the concept set `name` (one column, `concept_id`, one row per concept), built once
 * per statement. Codes are bound parameters; the include/descendant flags are compiler
 * constants.
 */
export function conceptSetCte(s: CompileScope, name: string): string {
  const index = s.query.conceptSets.findIndex((c) => c.name === name);
  const set = s.query.conceptSets[index];
  if (set === undefined) {
    throw new HygieError('HYG_INVALID_ARGUMENT', `no concept set named ${name}`, {
      argument: 'conceptSet',
    });
  }
  const items = s.b.cte(`cs_${index}_items`, () => {
    const row = (item: QueryConceptItem, excluded: boolean): string =>
      `(${s.b.value(item.vocabulary, 'text')}, ` +
      `${s.b.value(normaliseConceptCode(item.vocabulary, item.code), 'text')}, ` +
      `${item.descendants ? 1 : 0}, ${excluded ? 1 : 0})`;
    const rows = [
      ...set.include.map((i) => row(i, false)),
      ...set.exclude.map((i) => row(i, true)),
    ];
    return (
      `SELECT * FROM (VALUES ${rows.join(', ')})\n` +
      `  AS i(vocabulary_id, concept_code, descendants, excluded)`
    );
  });
  return s.b.cte(`cs_${index}`, () => {
    // Each matched concept, and its descendants when asked; a concept reached by any excluded
    // item is dropped, whichever included item reached it. The concept itself is matched
    // directly, so a concept without a hierarchy (no reflexive concept_ancestor row) counts.
    const matched = `JOIN concept c ON c.vocabulary_id = i.vocabulary_id AND c.concept_code = i.concept_code`;
    return (
      `SELECT m.concept_id FROM (\n` +
      `  SELECT c.concept_id, i.excluded FROM ${items} i ${matched}\n` +
      `  UNION ALL\n` +
      `  SELECT ca.descendant_concept_id AS concept_id, i.excluded FROM ${items} i ${matched}\n` +
      `    JOIN concept_ancestor ca ON ca.ancestor_concept_id = c.concept_id\n` +
      `  WHERE i.descendants = 1\n` +
      `) m\nGROUP BY m.concept_id\nHAVING MAX(m.excluded) = 0`
    );
  });
}
