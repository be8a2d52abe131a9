/** Every conformance spec, in the order the suites run them. */
import type { ConformanceSpec } from '../spec.js';
import { calendarSpecs } from './calendar.js';
import { cohortEntrySpecs } from './cohort-entry.js';
import { conceptSetSpecs } from './concept-sets.js';
import { demographicSpecs } from './demographics.js';
import { distributionSpecs } from './distribution.js';
import { domainSpecs } from './domains.js';
import { incidenceSpecs } from './incidence.js';
import { inclusionRuleSpecs } from './inclusion-rules.js';
import { observationAndExitSpecs } from './observation-and-exit.js';
import { permitSpecs } from './permit.js';
import { prevalenceSpecs } from './prevalence.js';
import { standardisationSpecs } from './standardisation.js';

export const SPECS: readonly ConformanceSpec[] = [
  ...conceptSetSpecs,
  ...domainSpecs,
  ...cohortEntrySpecs,
  ...inclusionRuleSpecs,
  ...demographicSpecs,
  ...observationAndExitSpecs,
  ...incidenceSpecs,
  ...prevalenceSpecs,
  ...standardisationSpecs,
  ...distributionSpecs,
  ...calendarSpecs,
  ...permitSpecs,
];
