/**
 * @hygie/reference — the reference data Hygie ships (vocabularies, geography, populations, SNDS
 * table schemas) and small loaders for it. Read-only files bundled in `data/`; nothing is fetched
 * from the network.
 */
export * from './data-files.js';
export * from './geography.js';
export * from './population.js';
export * from './snds.js';
export * from './vocabulary.js';
