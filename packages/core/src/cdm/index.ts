/**
 * OMOP CDM v5.4 subset and Hygie's bookkeeping tables, described as data: engines generate their
 * DDL from these descriptions, row types and row validators derive from them.
 */
export * from './cdm-types.js';
export * from './cdm-define.js';
export * from './cdm-clinical-tables.js';
export * from './cdm-health-system-tables.js';
export * from './cdm-vocabulary-tables.js';
export * from './cdm-metadata-tables.js';
export * from './hygie-tables.js';
export * from './cdm-tables.js';
export * from './cdm-rows.js';
export * from './cdm-row-schema.js';
