/**
 * Disclosure control (issue #5), pure: the aggregate table model, primary, dominance and
 * secondary suppression, rounding, the differencing defence, differential privacy mechanisms and
 * budget accounting, and `applyDisclosureControl` with its report. See docs/disclosure-control.md.
 */
export * from './aggregate-table.js';
export * from './table-positions.js';
export * from './table-lines.js';
export * from './suppression-pattern.js';
export * from './primary-suppression.js';
export * from './dominance.js';
export * from './linear-audit.js';
export * from './secondary-suppression.js';
export * from './released-table.js';
export * from './rounding.js';
export * from './differencing.js';
export * from './dp-random.js';
export * from './normal-distribution.js';
export * from './dp-mechanisms.js';
export * from './dp-sensitivity.js';
export * from './dp-budget.js';
export * from './dp-table-noise.js';
export * from './disclosure-policy.js';
export * from './disclosure-report.js';
