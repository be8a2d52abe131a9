/**
 * The few distribution functions the detection algorithms need, written to agree with R's
 * `pnorm`, `qnorm`, `pt`, `qpois`/`ppois` and `qnbinom`/`pnbinom` to (close to) double precision:
 * the thresholds of the R package `surveillance` are built on them, and a discrete quantile that
 * is off by one changes an alarm.
 */

const SQRT_PI = Math.sqrt(Math.PI);
const DBL_EPSILON = 2.220446049250313e-16;

/** erfc(x) for x ≥ 0: a positive-term series below 2.5 (no cancellation), a continued fraction above. */
function erfcNonNegative(x: number): number {
  if (x < 2.5) {
    // erf(x) = 2/√π e^{-x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)) — all terms positive.
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 500; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x2) * sum;
  }
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated by modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 1000; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** Standard normal CDF Φ(z) (R: `pnorm(z)`), or its upper tail when `upper` is true. */
export function pnorm(z: number, upper = false): number {
  if (Number.isNaN(z)) return NaN;
  const zz = upper ? -z : z;
  if (zz === Infinity) return 1;
  if (zz === -Infinity) return 0;
  return zz < 0
    ? 0.5 * erfcNonNegative(-zz / Math.SQRT2)
    : 1 - 0.5 * erfcNonNegative(zz / Math.SQRT2);
}

/** Standard normal quantile (R: `qnorm(p)`), by Newton steps on the accurate {@link pnorm}. */
export function qnorm(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p < 0.5) return -qnorm(1 - p);
  // Solve the upper tail Φ̄(x) = q, which keeps full relative precision for p close to 1.
  const q = 1 - p;
  let x = Math.sqrt(-2 * Math.log(q));
  x -=
    (2.515517 + 0.802853 * x + 0.010328 * x * x) /
    (1 + 1.432788 * x + 0.189269 * x * x + 0.001308 * x * x * x);
  for (let i = 0; i < 50; i++) {
    const density = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    const step = (pnorm(x, true) - q) / density;
    x += step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7). */
export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const xx = x - 1;
  let a = LANCZOS[0] as number;
  const t = xx + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the regularized incomplete beta (Numerical Recipes `betacf`). */
function betacf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log1p(-x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betacf(a, b, x)) / a
    : 1 - (front * betacf(b, a, 1 - x)) / b;
}

/** Two-sided Student-t p-value 2·P(T_df > |t|) (R: `2 * pt(-abs(t), df)`, as `summary.glm` gives). */
export function tTestTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** A discrete distribution on 0, 1, 2, … given by its log-probabilities. */
interface Discrete {
  readonly mean: number;
  logPmf(x: number): number;
}

function poisson(mu: number): Discrete {
  return {
    mean: mu,
    logPmf: (x) => (mu === 0 ? (x === 0 ? 0 : -Infinity) : x * Math.log(mu) - mu - lgamma(x + 1)),
  };
}

/** Negative binomial with R's (size, prob) parametrisation: mean size(1-prob)/prob. */
function negBinomial(size: number, prob: number): Discrete {
  const logP = Math.log(prob);
  const log1mP = Math.log1p(-prob);
  const lgSize = lgamma(size);
  return {
    mean: (size * (1 - prob)) / prob,
    logPmf: (x) => lgamma(x + size) - lgSize - lgamma(x + 1) + size * logP + x * log1mP,
  };
}

/** Smallest x with P(X ≤ x) ≥ p, with R's left-continuity fuzz p·(1 − 64ε). */
function discreteQuantile(dist: Discrete, p: number): number {
  if (p + 1.01 * DBL_EPSILON >= 1) return Infinity;
  const target = p * (1 - 64 * DBL_EPSILON);
  let cdf = 0;
  for (let x = 0; ; x++) {
    cdf += Math.exp(dist.logPmf(x));
    if (cdf >= target) return x;
    if (x > dist.mean && x > 1e7) return Infinity;
  }
}

/** P(X ≥ y) (R: `p*(y - 1, lower.tail = FALSE)`), summed over the smaller side for precision. */
function discreteUpperTail(dist: Discrete, y: number): number {
  if (y <= 0) return 1;
  const from = Math.ceil(y);
  if (from <= dist.mean) {
    let lower = 0;
    for (let x = 0; x < from; x++) lower += Math.exp(dist.logPmf(x));
    return Math.max(0, 1 - lower);
  }
  let sum = 0;
  for (let x = from; ; x++) {
    const term = Math.exp(dist.logPmf(x));
    sum += term;
    if (term <= sum * 1e-17 || (term === 0 && x > dist.mean)) return sum;
  }
}

/** R: `qpois(p, mu)`. */
export const qpois = (p: number, mu: number): number => discreteQuantile(poisson(mu), p);
/** R: `ppois(y - 1, mu, lower.tail = FALSE)`, i.e. P(X ≥ y). */
export const poissonUpperTail = (y: number, mu: number): number =>
  discreteUpperTail(poisson(mu), y);
/** R: `qnbinom(p, size, prob)`. */
export const qnbinom = (p: number, size: number, prob: number): number =>
  discreteQuantile(negBinomial(size, prob), p);
/** R: `pnbinom(y - 1, size, prob, lower.tail = FALSE)`, i.e. P(X ≥ y). */
export const negBinomialUpperTail = (y: number, size: number, prob: number): number =>
  discreteUpperTail(negBinomial(size, prob), y);
