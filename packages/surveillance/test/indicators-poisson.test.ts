import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fayFeuerInterval, gammaQuantile, poissonInterval } from '../src/indicators/index.js';

const close = (actual: number, expected: number, tolerance: number): void => {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≠ ${expected}`);
};

describe('exact Poisson intervals', () => {
  it('gives Garwood intervals of known counts', () => {
    const known: [number, number, number][] = [
      [0, 0, 3.688879],
      [1, 0.025318, 5.571643],
      [5, 1.623486, 11.668332],
      [10, 4.795389, 18.390356],
      [100, 81.364, 121.627],
    ];
    for (const [x, lower, upper] of known) {
      const ci = poissonInterval(x);
      close(ci.lower, lower, 1e-3);
      close(ci.upper, upper, 1e-3);
    }
  });

  it('inverts the gamma distribution', () => {
    // qgamma(0.5, 1) = ln 2; qgamma(0.95, 0.5) = qchisq(0.95, 1) / 2 = 1.959964² / 2.
    close(gammaQuantile(0.5, 1), Math.LN2, 1e-9);
    close(gammaQuantile(0.95, 0.5), 1.959964 ** 2 / 2, 1e-5);
    assert.equal(gammaQuantile(0.025, 0), 0);
  });

  it('reduces Fay–Feuer to Garwood for one stratum', () => {
    // 10 cases among 1000 persons: y = 0.01, v = 10 / 1000², wM = 1 / 1000.
    const ci = fayFeuerInterval({ rate: 0.01, variance: 10 / 1e6, maxWeight: 1e-3 });
    close(ci.lower * 1000, 4.795389, 1e-4);
    close(ci.upper * 1000, 18.390356, 1e-4);
    const zero = fayFeuerInterval({ rate: 0, variance: 0, maxWeight: 1e-3 });
    assert.equal(zero.lower, 0);
    close(zero.upper * 1000, 3.688879, 1e-4);
  });
});
