/**
 * Argument parsers for commander options: each rejects a bad value with a message naming what was
 * expected, which commander prints with the option's name before exiting non-zero.
 */
import { InvalidArgumentError } from 'commander';

/** Parses a whole number between min and max (underscores and commas allowed: 1_000_000). */
export function integerArg(min: number, max: number): (value: string) => number {
  return (value) => {
    const cleaned = value.replace(/[_,]/g, '');
    if (!/^-?\d+$/.test(cleaned))
      throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
    const n = Number(cleaned);
    if (n < min || n > max)
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}, got ${n}`);
    return n;
  };
}

/** Parses one of a fixed set of words. */
export function choiceArg<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got "${value}"`);
    }
    return value as T;
  };
}

/** Parses a fraction between 0 and 1. */
export function fractionArg(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new InvalidArgumentError(`expected a fraction from 0 to 1, got "${value}"`);
  }
  return n;
}
