import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isHygieError } from '@hygie/core';
import { farringtonFlexible, type FarringtonOptions } from '../src/index.js';
import { assertClose, loadFixture, seriesOf } from './fixtures/load.js';

interface FarringtonCase {
  series: string;
  config: 'noufaily' | 'farrington';
  control: {
    b: number;
    w: number;
    reweight: boolean;
    weightsThreshold: number;
    alpha: number;
    trend: boolean;
    pThresholdTrend: number;
    limit54: [number, number];
    powertrans: '2/3';
    noPeriods: number;
    pastWeeksNotIncluded: number;
    thresholdMethod: 'nbPlugin' | 'delta';
  };
  /** Present for the cases computed by date (R's epochAsDate = TRUE). */
  dates?: string[];
  start?: number;
  index: number[];
  upperbound: (number | null)[];
  alarm: (number | null)[];
  expected: (number | null)[];
  pvalue: (number | null)[];
  score: (number | null)[];
}

const fixture = loadFixture<FarringtonCase>('farrington-flexible');

for (const config of ['noufaily', 'farrington'] as const) {
  test(`farringtonFlexible (${config} configuration) agrees with R surveillance::farringtonFlexible`, () => {
    const cases = fixture.cases.filter((c) => c.config === config);
    assert.ok(cases.length >= 6);
    assert.ok(cases.some((c) => c.dates !== undefined));
    for (const c of cases) {
      const {
        b,
        w,
        reweight,
        weightsThreshold,
        alpha,
        trend,
        pThresholdTrend,
        limit54,
        powertrans,
      } = c.control;
      const options: FarringtonOptions = {
        b,
        w,
        reweight,
        weightsThreshold,
        alpha,
        trend,
        pThresholdTrend,
        limit54,
        powertrans,
        noPeriods: c.control.noPeriods,
        pastWeeksNotIncluded: c.control.pastWeeksNotIncluded,
        thresholdMethod: c.control.thresholdMethod,
        ...(c.dates === undefined ? {} : { dates: c.dates, start: c.start }),
      };
      const got = farringtonFlexible(seriesOf(fixture, c), options);
      assert.deepEqual(
        got.map((r) => r.index),
        c.index,
      );
      got.forEach((r, i) => {
        const label = `${c.series}/${config} t=${r.index}`;
        // Same IRLS start and stopping rule as glm.fit: agreement is ~1e-13, far inside 1e-8.
        assertClose(r.threshold, c.upperbound[i], 1e-8, `${label} threshold`);
        assertClose(r.expected, c.expected[i], 1e-8, `${label} expected`);
        assertClose(r.pValue, c.pvalue[i], 1e-8, `${label} pvalue`, 1e-12);
        // R's score (y − fit)/(U − fit) can have a small denominator: looser relative tolerance.
        assertClose(r.statistic, c.score[i], 1e-4, `${label} score`, 1e-9);
        assert.equal(r.alarm, c.alarm[i] === 1, `${label} alarm`);
      });
    }
  });
}

const refused = (fn: () => unknown): void =>
  assert.throws(fn, (e: unknown) => isHygieError(e) && e.code === 'HYG_INVALID_ARGUMENT');

test('farringtonFlexible refuses a series shorter than b years + w weeks, NaN, negatives, bad options', () => {
  const ok = Array.from({ length: 5 * 52 + 4 }, (_, i) => 5 + (i % 3));
  assert.equal(farringtonFlexible(ok).length, 1);
  refused(() => farringtonFlexible(ok.slice(1)));
  refused(() => farringtonFlexible([...ok.slice(1), NaN]));
  refused(() => farringtonFlexible([...ok.slice(1), -2]));
  refused(() => farringtonFlexible(ok, { alpha: 1 }));
  refused(() => farringtonFlexible(ok, { noPeriods: 0 }));
  refused(() => farringtonFlexible(ok, { b: 6 }));
  const mondays = ok.map((_, i) =>
    new Date(Date.UTC(2018, 0, 1 + 7 * i)).toISOString().slice(0, 10),
  );
  refused(() => farringtonFlexible(ok, { dates: mondays.slice(1) }));
  refused(() =>
    farringtonFlexible(ok, { dates: mondays.map((d, i) => (i === 9 ? '2018-02-30' : d)) }),
  );
  refused(() => farringtonFlexible(ok, { dates: [...mondays.slice(0, -1), '2023-01-31'] }));
  // By date, 2020's 53rd ISO week moves the oldest reference window before the first point.
  refused(() => farringtonFlexible(ok, { dates: mondays }));
});

test('an all-zero history gives no alarm and no threshold (limit54), without throwing', () => {
  const zeros = new Array<number>(5 * 52 + 6).fill(0);
  for (const thresholdMethod of ['nbPlugin', 'delta'] as const) {
    const r = farringtonFlexible(zeros, {
      noPeriods: 10,
      pastWeeksNotIncluded: 26,
      thresholdMethod,
    });
    assert.equal(r.length, 3);
    assert.ok(r.every((x) => !x.alarm && x.threshold === null));
  }
});
