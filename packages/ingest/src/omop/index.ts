/** The OMOP CDM v5.4 CSV connector. */
export { createOmopConnector } from './omop-connector.js';
export { isOmopFile, omopTableOfFile } from './omop-files.js';
