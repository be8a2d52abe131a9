import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HygieError,
  Rng,
  addNoise,
  analyticGaussianDelta,
  analyticGaussianSigma,
  classicGaussianSigma,
  countSensitivity,
  cryptoRandomSource,
  erfc,
  eventCountSensitivity,
  gaussianMechanism,
  laplaceMechanism,
  laplaceScale,
  normalCdf,
  noisyMean,
  sampleLaplace,
  sampleStandardNormal,
  snapToGrid,
  snappingGrid,
  sumSensitivity,
  uniformOpenClosed,
} from '../src/index.js';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

const invalid = (e: unknown) => e instanceof HygieError && e.code === 'HYG_INVALID_ARGUMENT';

test('uniforms never reach 0, so no log(0)', () => {
  const zeros = { next: () => 0 };
  const ones = { next: () => 0xffffffff };
  assert.equal(uniformOpenClosed(zeros), 2 ** -53);
  assert.equal(uniformOpenClosed(ones), 1);
  assert.ok(Number.isFinite(sampleLaplace(1, zeros)));
  assert.ok(Number.isFinite(sampleStandardNormal(zeros)));
  const crypto = cryptoRandomSource();
  const draws = Array.from({ length: 200 }, () => crypto.next());
  assert.ok(draws.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32));
  assert.ok(new Set(draws).size > 190);
});

test('Laplace: mean 0, variance 2b², P(|X| > b) = 1/e (seeded, 200,000 draws)', () => {
  const rng = Rng.from('laplace');
  const b = 2;
  const { mean, variance } = moments(() => sampleLaplace(b, rng), 200_000);
  assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
  assert.ok(Math.abs(variance / (2 * b * b) - 1) < 0.03, `variance ${variance}`);
  let beyond = 0;
  for (let i = 0; i < 100_000; i++) if (Math.abs(sampleLaplace(b, rng)) > b) beyond++;
  assert.ok(Math.abs(beyond / 100_000 - Math.exp(-1)) < 0.005);
});

test('Gaussian: mean 0, variance 1 (seeded, 200,000 draws)', () => {
  const rng = Rng.from('gauss');
  const { mean, variance } = moments(() => sampleStandardNormal(rng), 200_000);
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.015, `variance ${variance}`);
  let within = 0;
  for (let i = 0; i < 100_000; i++) if (Math.abs(sampleStandardNormal(rng)) < 1.96) within++;
  assert.ok(Math.abs(within / 100_000 - 0.95) < 0.004);
});

test('normal CDF: accurate in the tails (reference values from erfc in double precision)', () => {
  const reference: [number, number][] = [
    [-10, 7.619853024160593e-24],
    [-5, 2.866515718791946e-7],
    [-3, 0.0013498980316300957],
    [-1, 0.15865525393145707],
    [0, 0.5],
    [0.5, 0.6914624612740131],
    [2, 0.9772498680518208],
  ];
  for (const [x, p] of reference) {
    assert.ok(Math.abs(normalCdf(x) / p - 1) < 1e-12, `Φ(${x}) = ${normalCdf(x)}`);
  }
  assert.equal(normalCdf(-60), 0);
  assert.equal(erfc(Infinity), 0);
  assert.equal(erfc(-Infinity), 2);
});

test('Laplace scale b = Δ₁/ε and its boundaries', () => {
  assert.equal(laplaceScale(1, 0.5), 2);
  assert.equal(laplaceScale(3, 1), 3);
  assert.equal(laplaceScale(1, 100), 0.01);
  for (const eps of [0, -1, NaN, Infinity, 100.0001]) {
    assert.throws(() => laplaceScale(1, eps), invalid, `ε = ${eps}`);
  }
  for (const s of [0, -1, NaN, Infinity]) assert.throws(() => laplaceScale(s, 1), invalid);
});

test('analytic Gaussian σ (Balle & Wang 2018): reference values, tight, below the classic σ', () => {
  // Reference: an independent bisection in Python on math.erfc.
  const reference: [number, number, number, number][] = [
    [1, 1, 1e-5, 3.7306316348159423],
    [1, 0.5, 1e-6, 8.057618480725015],
    [1, 0.1, 1e-5, 30.749566131977865],
    [2, 3, 1e-9, 3.8874485270239414],
    [1, 10, 1e-6, 0.5410868318183657],
  ];
  for (const [l2, eps, delta, sigma] of reference) {
    const s = analyticGaussianSigma(l2, eps, delta);
    assert.ok(Math.abs(s / sigma - 1) < 1e-9, `σ(${l2}, ${eps}, ${delta}) = ${s}`);
    assert.ok(analyticGaussianDelta(s, l2, eps) <= delta);
    assert.ok(analyticGaussianDelta(s * (1 - 1e-9), l2, eps) > delta);
  }
  for (const eps of [0.1, 0.5, 0.9]) {
    assert.ok(analyticGaussianSigma(1, eps, 1e-6) < classicGaussianSigma(1, eps, 1e-6));
  }
  // Linear in the sensitivity.
  assert.ok(
    Math.abs(analyticGaussianSigma(4, 1, 1e-6) / analyticGaussianSigma(1, 1, 1e-6) - 4) < 1e-9,
  );
});

test('classic Gaussian σ refuses ε ≥ 1; invalid δ is refused everywhere', () => {
  assert.ok(classicGaussianSigma(1, 0.999, 1e-5) > 0);
  assert.throws(() => classicGaussianSigma(1, 1, 1e-5), invalid);
  for (const delta of [0, 1, -1e-9, NaN]) {
    assert.throws(() => analyticGaussianSigma(1, 1, delta), invalid, `δ = ${delta}`);
    assert.throws(() => classicGaussianSigma(1, 0.5, delta), invalid);
  }
  assert.throws(() => analyticGaussianSigma(1, 0, 1e-6), invalid);
});

test('snapping: the grid is the smallest power of two ≥ the scale; outputs lie on it', () => {
  assert.equal(snappingGrid(1), 1);
  assert.equal(snappingGrid(1.5), 2);
  assert.equal(snappingGrid(2), 2);
  assert.equal(snappingGrid(2.0000001), 4);
  assert.equal(snappingGrid(0.3), 0.5);
  assert.equal(snappingGrid(0.25), 0.25);
  assert.equal(snapToGrid(13.7, 4), 12);
  const rng = Rng.from('snap');
  for (let i = 0; i < 1000; i++) {
    const out = laplaceMechanism(1234.56789, { l1Sensitivity: 3, epsilon: 1 }, rng);
    assert.equal(out.grid, 4);
    assert.equal(out.scale, 3);
    assert.ok(Number.isInteger(out.value / 4));
  }
  const g = gaussianMechanism(10, { l2Sensitivity: 1, epsilon: 1, delta: 1e-5 }, rng);
  assert.equal(g.grid, 4);
  assert.equal(g.mechanism, 'gaussian');
  assert.ok(Number.isInteger(g.value / 4));
});

test('mechanisms: noisy values are unbiased around the true value (seeded)', () => {
  const rng = Rng.from('unbiased');
  const { mean, variance } = moments(() => addNoise(100, 'laplace', 5, rng).value, 100_000);
  assert.ok(Math.abs(mean - 100) < 0.1, `mean ${mean}`);
  // Snapping to a grid of 8 adds about 8²/12 of variance to 2b² = 50.
  assert.ok(Math.abs(variance / (50 + 64 / 12) - 1) < 0.04, `variance ${variance}`);
});

test('sensitivities: contribution bounds multiply', () => {
  assert.deepEqual(countSensitivity(1), { l1: 1, l2: 1 });
  assert.deepEqual(countSensitivity(4), { l1: 4, l2: 2 });
  assert.deepEqual(eventCountSensitivity(4, 3), { l1: 12, l2: 6 });
  assert.deepEqual(sumSensitivity(1, { lower: -20, upper: 5 }), { l1: 20, l2: 20 });
  assert.throws(() => countSensitivity(0), invalid);
  assert.throws(() => eventCountSensitivity(1, 0), invalid);
  assert.throws(() => sumSensitivity(1, { lower: 0, upper: 0 }), invalid);
  assert.throws(() => sumSensitivity(1, { lower: 5, upper: 1 }), invalid);
});

test('noisy mean: noisy sum over noisy count, clamped', () => {
  const rng = Rng.from('mean');
  const options = {
    parameters: { mechanism: 'laplace', epsilon: 1 } as const,
    clamp: { lower: 0, upper: 120 },
    maxCells: 1,
  };
  // 10,000 persons of mean age 47: the noise hardly shows.
  const m = noisyMean(470_000, 10_000, options, rng);
  assert.ok(Math.abs(m - 47) < 0.5, `mean ${m}`);
  // Nobody: still a value, inside the bounds (never a division by zero).
  for (let i = 0; i < 100; i++) {
    const v = noisyMean(0, 0, options, rng);
    assert.ok(v >= 0 && v <= 120);
  }
});
