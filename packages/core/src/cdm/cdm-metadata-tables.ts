/** OMOP CDM v5.4 metadata: what this warehouse is, as OMOP tools expect to read it. */
import { defineTable, optional, required } from './cdm-define.js';

/** CDM_SOURCE: one row describing the warehouse instance. */
export const cdmSourceTable = defineTable({
  name: 'cdm_source',
  kind: 'metadata',
  description: 'Describes this warehouse: holder, sources, CDM and vocabulary versions.',
  columns: [
    required('cdm_source_name', 'text', 'Name of the warehouse instance.'),
    required('cdm_source_abbreviation', 'text', 'Short name of the instance.'),
    required('cdm_holder', 'text', 'Organisation responsible for the instance.'),
    optional('source_description', 'text', 'What the sources are.'),
    optional('source_documentation_reference', 'text', 'Where the sources are documented.'),
    optional('cdm_etl_reference', 'text', 'Version of the Hygie ingestion that built it.'),
    required('source_release_date', 'date', 'Date the source data were extracted.'),
    required('cdm_release_date', 'date', 'Date the warehouse was built.'),
    optional('cdm_version', 'text', "CDM version text ('v5.4')."),
    required('cdm_version_concept_id', 'integer', 'CDM version concept.'),
    required('vocabulary_version', 'text', 'Version of the vocabularies loaded.'),
  ],
  indexes: [],
});
