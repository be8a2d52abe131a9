/**
 * @hygie/ingest — connectors (SNDS extract, FHIR R4, OMOP CSV) that stage source files in the
 * engine, validate them, pseudonymise identifiers at the border and publish to the warehouse
 * atomically, with quarantine and batch manifests.
 */
export * from './fhir/index.js';
