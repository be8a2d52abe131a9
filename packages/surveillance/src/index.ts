/**
 * @hygie/surveillance — national population-health monitoring (issue #7): indicators computed
 * in the warehouse by ISO week and by month for the nation, régions and départements, and
 * outbreak detection on those series (Farrington flexible with the Noufaily improvements, EARS
 * C1/C2/C3, CUSUM), whose results agree with the R package `surveillance`.
 */
export * from './detection/index.js';
export * from './store/surveillance-store.js';
export * from './indicators/index.js';
export * from './run/run-surveillance.js';
export * from './validation/index.js';
