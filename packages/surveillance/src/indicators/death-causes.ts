/**
 * The causes of death monitored by default: the major groups CépiDc (Inserm) publishes, as
 * CIM-10 concept sets on the initial cause of death (`death.cause_concept_id`). Most are whole
 * CIM-10 chapters, given by their chapter code (`II`, `IX`…) and taken with their descendants
 * through `concept_ancestor`, so every code of the chapter counts. COVID-19 is given apart:
 * its codes (U07.1, U07.2) sit in chapter XXII, of special-purpose codes.
 */
import type { CauseDefinition } from './indicator-series.js';

/** A monitored cause of death. */
export interface DeathCause extends CauseDefinition {
  readonly id: string;
  readonly label: string;
}

const chapter = (code: string): CauseDefinition['diagnoses'] => [{ code }];

/** The causes of death a run stores, by month (`deaths-<id>`). */
export const DEATH_CAUSES: readonly DeathCause[] = [
  { id: 'neoplasms', label: 'Neoplasms (C00–D48)', diagnoses: chapter('II') },
  {
    id: 'circulatory',
    label: 'Diseases of the circulatory system (I00–I99)',
    diagnoses: chapter('IX'),
  },
  {
    id: 'respiratory',
    label: 'Diseases of the respiratory system (J00–J99)',
    diagnoses: chapter('X'),
  },
  { id: 'nervous', label: 'Diseases of the nervous system (G00–G99)', diagnoses: chapter('VI') },
  { id: 'mental', label: 'Mental and behavioural disorders (F00–F99)', diagnoses: chapter('V') },
  {
    id: 'infectious',
    label: 'Infectious and parasitic diseases (A00–B99)',
    diagnoses: chapter('I'),
  },
  {
    id: 'covid19',
    label: 'COVID-19 (U07.1–U07.2)',
    diagnoses: [{ code: 'U071' }, { code: 'U072' }],
  },
  { id: 'external', label: 'External causes (V01–Y98)', diagnoses: chapter('XX') },
  {
    id: 'ill-defined',
    label: 'Ill-defined and unknown causes (R00–R99)',
    diagnoses: chapter('XVIII'),
  },
];

/** The indicator id of a cause's death series. */
export function deathCauseIndicator(cause: string): string {
  return `deaths-${cause}`;
}
