/**
 * Validation of outbreak detection on synthetic ground truth (issue #7): prospective detection
 * over whole series, and sensitivity, specificity and detection delay against the outbreaks that
 * `hygie synth` records in `ground-truth.json` (scripts/validate-surveillance.mjs runs it on a
 * warehouse).
 */
export { isoWeekLabel, isoWeekOrdinal } from './iso-weeks.js';
export {
  evaluateDetection,
  type AlarmSeries,
  type OutbreakOutcome,
  type ValidationMetrics,
  type ValidationOutbreak,
  type ValidationWindows,
} from './metrics.js';
export {
  firstMonitorable,
  prospectiveAlarms,
  VALIDATION_ALGORITHMS,
  withLimit54,
  type ProspectiveOptions,
  type ValidationAlgorithm,
} from './prospective.js';
export { groundTruthOutbreaks, type GroundTruthOutbreak } from './ground-truth.js';
