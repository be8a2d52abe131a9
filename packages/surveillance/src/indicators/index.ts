/**
 * Population-health indicators computed in the warehouse (issue #7): syndrome episodes,
 * hospitalisations and deaths by cause, by ISO week or month and area, with exact Poisson
 * intervals and age-standardised rates.
 */
export * from './calendar.js';
export * from './death-causes.js';
export * from './excess-mortality.js';
export * from './indicator-series.js';
export * from './poisson.js';
export * from './syndromes.js';
