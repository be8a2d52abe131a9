/**
 * @hygie/core — the pure domain of Hygie: no I/O. Errors, NIR rules, deterministic randomness,
 * calendar arithmetic, Table Schema validation and the common data model description.
 */
export * from './errors.js';
export * from './nir.js';
export * from './random.js';
export * from './dates.js';
export * from './table-schema.js';
export * from './code-systems.js';
export * from './pseudonym.js';
export * from './cdm/index.js';
export * from './governance/index.js';
export * from './disclosure/index.js';
export * from './query/index.js';
export * from './transparency/index.js';
