/**
 * Randomness for differential privacy. Noise must be unpredictable to the person reading the
 * output: it comes from the operating system's CSPRNG (`node:crypto`, no I/O) by default. The
 * source is injectable so that tests can run with a seeded generator — the `Rng` of `random.ts`
 * fits the interface — but a seeded source must never be used for a release: whoever knows the
 * seed can subtract the noise.
 */
import { randomFillSync } from 'node:crypto';

/** A source of uniformly random 32-bit unsigned integers. */
export interface RandomSource {
  next(): number;
}

/** Words drawn from the CSPRNG at a time (amortises the call). */
const POOL_WORDS = 64;

/** A fresh source backed by the operating system's CSPRNG. */
export function cryptoRandomSource(): RandomSource {
  const pool = new Uint32Array(POOL_WORDS);
  let i = POOL_WORDS;
  return {
    next(): number {
      if (i === POOL_WORDS) {
        randomFillSync(pool);
        i = 0;
      }
      return pool[i++] as number;
    },
  };
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** A uniform integer in [0, 2^53), from 27 + 26 random bits. */
function bits53(random: RandomSource): number {
  const hi = random.next() >>> 5;
  const lo = random.next() >>> 6;
  return hi * TWO_POW_26 + lo;
}

/**
 * A uniform double in (0, 1]: (k + 1) / 2^53 for k uniform in [0, 2^53). Zero is excluded so that
 * `Math.log(u)` is never −∞; every value is exactly representable.
 */
export function uniformOpenClosed(random: RandomSource): number {
  return (bits53(random) + 1) / TWO_POW_53;
}

/** A uniform double in [0, 1): k / 2^53. */
export function uniformClosedOpen(random: RandomSource): number {
  return bits53(random) / TWO_POW_53;
}

/**
 * A draw from Laplace(0, scale): a random sign times an exponential, the exponential by inverse
 * CDF `−ln u` with u in (0, 1] (so never ln 0). Equivalent to inverting the Laplace CDF, with the
 * sign taken from its own random bit rather than from a comparison with 1/2.
 */
export function sampleLaplace(scale: number, random: RandomSource): number {
  const magnitude = -Math.log(uniformOpenClosed(random)) * scale;
  return (random.next() & 1) === 1 ? magnitude : -magnitude;
}

/**
 * A standard normal draw by Box–Muller: sqrt(−2 ln u1) · cos(2π u2), u1 in (0, 1], u2 in [0, 1).
 * The sine half of the pair is dropped to keep no state between calls.
 */
export function sampleStandardNormal(random: RandomSource): number {
  const r = Math.sqrt(-2 * Math.log(uniformOpenClosed(random)));
  return r * Math.cos(2 * Math.PI * uniformClosedOpen(random));
}
