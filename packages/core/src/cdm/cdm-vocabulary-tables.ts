/**
 * OMOP CDM v5.4 standardised vocabulary tables. French source vocabularies (CIM-10, ATC, CCAM,
 * CIP13, INSEE areas) are loaded here as concepts from Athena-format files; `concept_ancestor` is
 * not loaded but computed in SQL from the `Is a` relationships, so it always matches them.
 */
import { defineTable, optional, primaryKey, required, singleColumnIndexes } from './cdm-define.js';

/** CONCEPT: every code of every vocabulary. */
export const conceptTable = defineTable({
  name: 'concept',
  kind: 'vocabulary',
  description: 'A code of a vocabulary, with its domain, class and validity.',
  columns: [
    primaryKey('concept_id', 'integer', 'Concept key.'),
    required('concept_name', 'text', 'Label of the code.'),
    required('domain_id', 'text', 'Domain the concept belongs to (Condition, Drug, …).'),
    required('vocabulary_id', 'text', 'Vocabulary of the code (vocabulary.vocabulary_id).'),
    required('concept_class_id', 'text', 'Class within the vocabulary (e.g. ICD10 chapter).'),
    optional('standard_concept', 'text', "'S' standard, 'C' classification, null otherwise."),
    required('concept_code', 'text', 'The code as the vocabulary writes it.'),
    required('valid_start_date', 'date', 'First day of validity.'),
    required('valid_end_date', 'date', 'Last day of validity (2099-12-31 when still valid).'),
    optional('invalid_reason', 'text', "Null when valid; 'D' deleted, 'U' replaced."),
  ],
  indexes: singleColumnIndexes('concept_code', 'vocabulary_id', 'domain_id', 'concept_class_id'),
});

/** CONCEPT_RELATIONSHIP: directed relationships between concepts. */
export const conceptRelationshipTable = defineTable({
  name: 'concept_relationship',
  kind: 'vocabulary',
  description: 'A directed relationship between two concepts (Is a, Maps to, …).',
  columns: [
    required('concept_id_1', 'integer', 'Source concept of the relationship.'),
    required('concept_id_2', 'integer', 'Target concept of the relationship.'),
    required('relationship_id', 'text', "Kind of relationship ('Is a': 1 is a child of 2)."),
    required('valid_start_date', 'date', 'First day of validity.'),
    required('valid_end_date', 'date', 'Last day of validity.'),
    optional('invalid_reason', 'text', "Null when valid; 'D' deleted, 'U' replaced."),
  ],
  indexes: singleColumnIndexes('concept_id_1', 'concept_id_2', 'relationship_id'),
});

/** CONCEPT_ANCESTOR: transitive closure of the hierarchy, computed from `Is a` relationships. */
export const conceptAncestorTable = defineTable({
  name: 'concept_ancestor',
  kind: 'vocabulary',
  description: 'An ancestor–descendant pair of the concept hierarchy, with the distance.',
  columns: [
    required('ancestor_concept_id', 'integer', 'The higher-level concept.'),
    required('descendant_concept_id', 'integer', 'The lower-level concept (itself at level 0).'),
    required('min_levels_of_separation', 'integer', 'Length of the shortest path between them.'),
    required('max_levels_of_separation', 'integer', 'Length of the longest path between them.'),
  ],
  indexes: singleColumnIndexes('ancestor_concept_id', 'descendant_concept_id'),
});

/** VOCABULARY: one row per vocabulary, with its version. */
export const vocabularyTable = defineTable({
  name: 'vocabulary',
  kind: 'vocabulary',
  description: 'A vocabulary (CIM-10, ATC, CCAM, …) and the version loaded.',
  columns: [
    primaryKey('vocabulary_id', 'text', 'Vocabulary key (e.g. CIM10).'),
    required('vocabulary_name', 'text', 'Full name of the vocabulary.'),
    optional('vocabulary_reference', 'text', 'Where the vocabulary comes from.'),
    optional('vocabulary_version', 'text', 'Version loaded.'),
    required('vocabulary_concept_id', 'integer', 'Concept describing the vocabulary itself.'),
  ],
  indexes: [],
});
