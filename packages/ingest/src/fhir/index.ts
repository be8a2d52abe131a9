/**
 * FHIR R4 connector, staging part: reads Bulk Data NDJSON and Bundles and fills the FHIR staging
 * tables (TEMP tables) that the publish step validates, pseudonymises and loads.
 */
export {
  FHIR_META_COLUMNS,
  FHIR_STAGING_COLUMNS,
  FHIR_STAGING_TABLES,
  createFhirStagingTables,
  fhirAllColumns,
  fhirDataColumns,
  type FhirStagingRow,
  type FhirStagingTable,
} from './fhir-staging-tables.js';
export { stageFhir, type FhirStageOptions, type FhirStageProgress } from './fhir-stage.js';
export {
  UNKNOWN_RESOURCE_TYPE,
  type FhirCounts,
  type FhirFileReport,
  type FhirStageReport,
  type FhirTableRows,
} from './fhir-stage-report.js';
export { FHIR_RESOURCE_TYPE_SQL, fhirQuarantineSql, fhirReadCounts } from './fhir-quarantine.js';
export { createFhirConnector } from './fhir-connector.js';
export {
  ENCOUNTERS_PER_PARTITION,
  publishFhir,
  vocabularyOfSystem,
  systemLabel,
  type FhirPublishOptions,
} from './fhir-publish.js';
export { SUPPORTED_RESOURCE_TYPES, type SupportedResourceType } from './fhir-resource-mapper.js';
export { UNRESOLVED_MEDICATION_RULE } from './fhir-medication-mapper.js';
export {
  codingPair,
  preferredCoding,
  rankedCodings,
  systemRank,
  type StagedCode,
} from './fhir-codings.js';
export { listFhirFiles, fhirFileFormat, type FhirFile, type FhirFileFormat } from './fhir-files.js';
export { readNdjsonLines, type NdjsonLine, type NdjsonReadOptions } from './fhir-ndjson-reader.js';
export { parseFhirDate, type FhirDate, type FhirDateResult } from './fhir-dates.js';
export { parseReference, resolveReference, type ReferenceResult } from './fhir-references.js';
