/**
 * The standard normal CDF with good *relative* accuracy in the tails, which the analytic Gaussian
 * mechanism needs: its δ is a difference of two tail probabilities of order δ itself (1e-5 to
 * 1e-10), so an approximation with absolute error 1e-7 (Abramowitz–Stegun 7.1.26) would be
 * useless there. JavaScript has no `erf`, hence this.
 *
 * erfc(z) for z ≥ 0: below 2, as 1 − erf(z) with erf from its series of positive terms
 * erf z = (2/√π) e^(−z²) Σ 2ⁿ z^(2n+1) / (1·3·…·(2n+1)) (no cancellation, relative error near
 * 1e-16, so erfc keeps about 1e-13 relative at z = 2); from 2 on, by the continued fraction
 * erfc z = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))) evaluated with modified Lentz,
 * accurate to rounding in the tail.
 */

const TINY = 1e-300;

function erfSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < 500; n++) {
    term *= (2 * z2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-z2) * sum;
}

function erfcContinuedFraction(z: number): number {
  // f = b0 + a1/(b1 + a2/(b2 + …)) with b_j = z, a_j = j/2 (modified Lentz).
  let f = z;
  let c = f;
  let d = 0;
  for (let j = 1; j < 5000; j++) {
    const a = j / 2;
    d = z + a * d;
    if (Math.abs(d) < TINY) d = TINY;
    d = 1 / d;
    c = z + a / c;
    if (Math.abs(c) < TINY) c = TINY;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
}

/** The complementary error function erfc(z) = 1 − erf(z). */
export function erfc(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return 2 - erfc(-z);
  if (z < 2) return 1 - erfSeries(z);
  // e^(−z²) underflows from here on (and the fraction would meet ∞ · 0).
  if (z > 40) return 0;
  return erfcContinuedFraction(z);
}

/** The standard normal CDF Φ(x) = P(N(0,1) ≤ x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}
