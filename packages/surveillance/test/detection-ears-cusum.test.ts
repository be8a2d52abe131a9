import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHygieError } from '@hygie/core';
import { cusum, earsC, type EarsMethod } from '../src/index.js';
import { assertClose, loadFixture, seriesOf } from './fixtures/load.js';

interface EarsCase {
  series: string;
  control: { method: EarsMethod; baseline: number; alpha?: number; minSigma?: number };
  index: number[];
  upperbound: (number | null)[];
  alarm: (number | null)[];
}
interface CusumCase {
  series: string;
  control: { start: number; k: number; h: number };
  m: number;
  upperbound: number[];
  alarm: number[];
  cusum: number[];
}

const ears = loadFixture<EarsCase>('ears');
const cusumFixture = loadFixture<CusumCase>('cusum');

test('earsC C1/C2/C3 agrees with R surveillance::earsC on every fixture', () => {
  assert.ok(ears.cases.length >= 15);
  for (const c of ears.cases) {
    const label = `${c.series} ${c.control.method} alpha=${c.control.alpha ?? 'default'}`;
    const opts: Parameters<typeof earsC>[1] = {
      method: c.control.method,
      baseline: c.control.baseline,
    };
    const got = earsC(seriesOf(ears, c), {
      ...opts,
      ...(c.control.alpha === undefined ? {} : { alpha: c.control.alpha }),
      ...(c.control.minSigma === undefined ? {} : { minSigma: c.control.minSigma }),
    });
    assert.deepEqual(
      got.map((r) => r.index),
      c.index,
      `${label}: monitored range`,
    );
    got.forEach((r, i) => {
      assertClose(r.threshold, c.upperbound[i], 1e-9, `${label} t=${r.index} threshold`);
      assert.equal(r.alarm, c.alarm[i] === 1, `${label} t=${r.index} alarm`);
    });
  }
});

test('cusum agrees with R surveillance::algo.cusum (k=1.04, h=2.26, trans="standard", m=NULL)', () => {
  for (const c of cusumFixture.cases) {
    const label = `${c.series} start=${c.control.start}`;
    const got = cusum(seriesOf(cusumFixture, c), { start: c.control.start });
    assert.equal(got.length, c.upperbound.length);
    got.forEach((r, i) => {
      assertClose(r.expected, c.m, 1e-12, `${label} m`);
      assertClose(r.threshold, c.upperbound[i], 1e-9, `${label} t=${r.index} threshold`);
      assertClose(r.statistic, c.cusum[i], 1e-9, `${label} t=${r.index} cusum`);
      assert.equal(r.alarm, c.alarm[i] === 1, `${label} t=${r.index} alarm`);
    });
  }
});

const refused = (fn: () => unknown): void =>
  assert.throws(fn, (e: unknown) => isHygieError(e) && e.code === 'HYG_INVALID_ARGUMENT');

test('EARS and CUSUM refuse short series, NaN, negative counts and bad options', () => {
  refused(() => earsC([1, 2, 3, 4, 5, 6, 7]));
  refused(() => earsC([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { method: 'C3' }));
  refused(() => earsC([1, 2, 3, 4, 5, 6, 7, NaN]));
  refused(() => earsC([1, 2, 3, 4, 5, 6, 7, -1]));
  refused(() => earsC([1, 2, 3, 4, 5, 6, 7, 8], { baseline: 2 }));
  refused(() => earsC([1, 2, 3, 4, 5, 6, 7, 8], { alpha: 0 }));
  refused(() => cusum([1, 2, 3], { start: 0 }));
  refused(() => cusum([1, 2, 3], { start: 3 }));
  refused(() => cusum([1, Infinity, 3], { start: 1 }));
});

test('an all-zero baseline: C1 threshold 0 (any case alarms); CUSUM has m = 0 and no alarm', () => {
  const zeros = [0, 0, 0, 0, 0, 0, 0, 0, 3];
  const c1 = earsC(zeros);
  assert.deepEqual(
    c1.map((r) => [r.threshold, r.alarm]),
    [
      [0, false],
      [0, true],
    ],
  );
  // C2 with σ = 0: R computes 0/0 (NA); the threshold stays at the mean, 0.
  const c2 = earsC([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], { method: 'C2' });
  assert.equal(c2[0]?.threshold, 0);
  const cs = cusum([0, 0, 0, 0, 2], { start: 2 });
  assert.ok(cs.every((r) => r.expected === 0 && r.threshold === 0 && !r.alarm));
});
