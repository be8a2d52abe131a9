/** The analytic query model (issue #5): concept sets, cohorts, measures, stratification. */
export * from './concept-set.js';
export * from './cohort.js';
export * from './measure.js';
export * from './query.js';
export * from './query-builder.js';
