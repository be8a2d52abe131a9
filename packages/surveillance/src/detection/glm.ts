/**
 * A small quasi-Poisson GLM with log link, fitted by iteratively reweighted least squares exactly
 * as R's `glm.fit` does it (start μ = y + 0.1, convergence |D − D_old|/(|D| + 0.1) < 1e-8, at most
 * 25 iterations), so that the Farrington fits reproduce R's to ~1e-10.
 */

/** The result of a fit, with what `summary.glm`, `predict.glm` and `hatvalues` would give. */
export interface QuasiPoissonFit {
  readonly converged: boolean;
  readonly coefficients: Float64Array;
  /** (XᵀWX)⁻¹, R's `cov.unscaled`, p×p flat row-major. */
  readonly covUnscaled: Float64Array;
  readonly fitted: Float64Array;
  /** Pearson dispersion Σ wᵢ(yᵢ − μᵢ)²/μᵢ / (n − p), R's `summary(model)$dispersion`. */
  readonly dispersion: number;
  readonly dfResidual: number;
  /** Leverages hᵢ = Wᵢ xᵢᵀ(XᵀWX)⁻¹xᵢ with Wᵢ = wᵢμᵢ (R's `hatvalues`). */
  readonly hat: readonly number[];
}

/** Inverse of a small symmetric positive-definite p×p matrix (flat, row-major), by Gauss–Jordan. */
function invert(a: Float64Array, p: number): Float64Array | null {
  const w = 2 * p;
  const m = new Float64Array(p * w);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) m[i * w + j] = a[i * p + j] as number;
    m[i * w + p + i] = 1;
  }
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) {
      if (Math.abs(m[r * w + col] as number) > Math.abs(m[pivot * w + col] as number)) pivot = r;
    }
    if (pivot !== col) {
      for (let j = 0; j < w; j++) {
        const t = m[pivot * w + j] as number;
        m[pivot * w + j] = m[col * w + j] as number;
        m[col * w + j] = t;
      }
    }
    const pv = m[col * w + col] as number;
    if (!(Math.abs(pv) > 1e-300) || !Number.isFinite(pv)) return null;
    for (let j = 0; j < w; j++) m[col * w + j] = (m[col * w + j] as number) / pv;
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const f = m[r * w + col] as number;
      if (f === 0) continue;
      for (let j = 0; j < w; j++)
        m[r * w + j] = (m[r * w + j] as number) - f * (m[col * w + j] as number);
    }
  }
  const inv = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j < p; j++) inv[i * p + j] = m[i * w + p + j] as number;
  return inv;
}

function poissonDeviance(y: ArrayLike<number>, mu: Float64Array, w: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i] as number;
    const mi = mu[i] as number;
    d += 2 * (w[i] as number) * ((yi > 0 ? yi * Math.log(yi / mi) : 0) - (yi - mi));
  }
  return d;
}

/**
 * Fits log E[y] = Xβ with prior weights w by IRLS; X is n×p, flat and row-major. Returns null when
 * the weighted normal equations are singular.
 */
export function fitQuasiPoisson(
  x: Float64Array,
  p: number,
  y: ArrayLike<number>,
  w: ArrayLike<number>,
): QuasiPoissonFit | null {
  const n = y.length;
  const mu = new Float64Array(n);
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = (y[i] as number) + 0.1; // glm's poisson mustart
    eta[i] = Math.log(mu[i] as number);
  }
  let devOld = poissonDeviance(y, mu, w);
  const beta = new Float64Array(p);
  const workingWeights = new Float64Array(n);
  const xtwx = new Float64Array(p * p);
  const xtwz = new Float64Array(p);
  let inv: Float64Array | null = null;
  let converged = false;
  for (let iter = 0; iter < 25; iter++) {
    // Working response z = η + (y − μ)/μ and working weights W = w·μ (log link: dμ/dη = μ).
    xtwx.fill(0);
    xtwz.fill(0);
    for (let i = 0; i < n; i++) {
      const mi = mu[i] as number;
      const wi = (w[i] as number) * mi;
      workingWeights[i] = wi;
      const zi = (eta[i] as number) + ((y[i] as number) - mi) / mi;
      const o = i * p;
      for (let a = 0; a < p; a++) {
        const xa = x[o + a] as number;
        if (xa === 0) continue; // the seasonal dummies are mostly zero
        const xaw = xa * wi;
        xtwz[a] = (xtwz[a] as number) + xaw * zi;
        for (let b = 0; b <= a; b++)
          xtwx[a * p + b] = (xtwx[a * p + b] as number) + xaw * (x[o + b] as number);
      }
    }
    for (let a = 0; a < p; a++)
      for (let b = a + 1; b < p; b++) xtwx[a * p + b] = xtwx[b * p + a] as number;
    inv = invert(xtwx, p);
    if (inv === null) return null;
    for (let a = 0; a < p; a++) {
      let s = 0;
      for (let b = 0; b < p; b++) s += (inv[a * p + b] as number) * (xtwz[b] as number);
      beta[a] = s;
    }
    for (let i = 0; i < n; i++) {
      let e = 0;
      const o = i * p;
      for (let a = 0; a < p; a++) e += (x[o + a] as number) * (beta[a] as number);
      eta[i] = e;
      mu[i] = Math.exp(e);
    }
    const dev = poissonDeviance(y, mu, w);
    // glm.control(epsilon = 1e-8, maxit = 25): the same stopping rule, hence the same estimates.
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < 1e-8) {
      converged = true;
      break;
    }
    devOld = dev;
  }
  // As glm.fit: the working weights and (XᵀWX)⁻¹ are those of the last iteration (μ before its
  // update), while the residuals use the final μ. summary.glm and hatvalues read them that way.
  const cov = inv;
  if (cov === null) return null;
  let pearson = 0;
  const hat: number[] = [];
  for (let i = 0; i < n; i++) {
    const mi = mu[i] as number;
    const wOld = workingWeights[i] as number;
    const r = ((y[i] as number) - mi) / mi;
    pearson += wOld * r * r;
    const o = i * p;
    let q = 0;
    for (let a = 0; a < p; a++) {
      const xa = x[o + a] as number;
      if (xa === 0) continue;
      for (let b = 0; b < p; b++) q += xa * (cov[a * p + b] as number) * (x[o + b] as number);
    }
    hat.push(wOld * q);
  }
  const dfResidual = n - p;
  return {
    converged,
    coefficients: beta,
    covUnscaled: cov,
    fitted: mu,
    dispersion: pearson / dfResidual,
    dfResidual,
    hat,
  };
}
