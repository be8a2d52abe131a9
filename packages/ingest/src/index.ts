/**
 * @hygie/ingest — connectors (SNDS extract, FHIR R4, OMOP CSV) that stage source files in the
 * engine, validate them, pseudonymise identifiers at the border and publish to the warehouse
 * atomically, with quarantine and batch manifests.
 */
export * from './fhir/index.js';
export * from './connector.js';
export * from './run-batch.js';
export * from './pseudonym-keys.js';
export * from './person-map.js';
export * from './locations.js';
export * from './key-rotation.js';
export * from './source-files.js';
export { createSndsConnector } from './snds/snds-connector.js';
export { createOmopConnector } from './omop/index.js';
