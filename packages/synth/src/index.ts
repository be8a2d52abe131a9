/**
 * @hygie/synth — a deterministic synthetic national population written in the source formats
 * (SNDS extract, FHIR R4 Bulk Data), with the identifiers real sources carry.
 */
export * from './options.js';
export * from './synthesise.js';
export * from './snds-format.js';
export { patientUuid } from './fhir-writer.js';
export { buildWorld, type World } from './world.js';
export { drawIdentity, type Identity } from './identity.js';
export { LifeGenerator, baselineMortality } from './life.js';
export type { PersonRecord } from './events.js';
export { CHRONIC_CONDITIONS } from './catalogue/chronic-conditions.js';
export { EPIDEMIC_SYNDROMES, BACKGROUND_SYNDROMES } from './catalogue/acute-syndromes.js';
export { HOSPITAL_EVENTS, BASELINE_DEATH_CAUSES } from './catalogue/hospital-events.js';
