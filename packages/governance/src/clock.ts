/**
 * Time as a dependency: every repository asks the store's clock, never `new Date()`, so tests move
 * time (lockout delays, permit expiry) without sleeping.
 */

/** Returns the current instant. */
export type Clock = () => Date;

/** The system clock. */
export const systemClock: Clock = () => new Date();
