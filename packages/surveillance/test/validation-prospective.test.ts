import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectHistory, DETECTION, earsC, farringtonFlexible } from '../src/index.js';
import {
  firstMonitorable,
  prospectiveAlarms,
  VALIDATION_ALGORITHMS,
  withLimit54,
} from '../src/validation/index.js';

/** A deterministic seasonal count series with a burst near the end. */
function syntheticSeries(n: number): number[] {
  let seed = 12345;
  const uniform = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: n }, (_, t) => {
    const mean = 4 + 2 * Math.sin((2 * Math.PI * t) / 52) + (t >= n - 6 && t < n - 3 ? 12 : 0);
    // Poisson by inversion.
    let k = 0;
    let p = Math.exp(-mean);
    let cdf = p;
    const u = uniform();
    while (u > cdf && k < 200) {
      k++;
      p *= mean / k;
      cdf += p;
    }
    return k;
  });
}

test('firstMonitorable: the history each algorithm needs', () => {
  assert.equal(firstMonitorable('farrington-flexible'), 52 * 5 + 3);
  assert.equal(firstMonitorable('farrington-flexible', { farringtonB: 3 }), 159);
  assert.equal(firstMonitorable('ears-c1'), 7);
  assert.equal(firstMonitorable('ears-c2'), 9);
  assert.equal(firstMonitorable('ears-c3'), 11);
  assert.equal(firstMonitorable('cusum'), 4);
});

test('prospective CUSUM: a rolling 4-week window, hand-worked', () => {
  // t = 7: m = mean(2, 2, 2, 2) = 2; S over t = 4…6 stays 0; t = 7: (10 − 2)/√2 − 1.04 ≈ 4.62 ≥ 2.26.
  const counts = [2, 2, 2, 2, 2, 2, 2, 10];
  assert.deepEqual(prospectiveAlarms(counts, 'cusum'), [
    null,
    null,
    null,
    null,
    false,
    false,
    false,
    true,
  ]);
  // Monitoring from index 6 only; too short a series is not monitored at all.
  assert.deepEqual(prospectiveAlarms(counts, 'cusum', { start: 6 }).slice(4), [
    null,
    null,
    false,
    true,
  ]);
  assert.deepEqual(prospectiveAlarms([1, 2, 3], 'cusum'), [null, null, null]);
});

test('prospective alarms at week t depend only on the counts up to t', () => {
  const counts = syntheticSeries(52 + 3 + 25);
  for (const algorithm of VALIDATION_ALGORITHMS) {
    const options = { farringtonB: 1 };
    const full = prospectiveAlarms(counts, algorithm, options);
    const first = firstMonitorable(algorithm, options);
    assert.equal(full[first - 1], null, algorithm);
    assert.notEqual(full[first], null, algorithm);
    for (let t = counts.length - 12; t < counts.length; t++) {
      const truncated = prospectiveAlarms(counts.slice(0, t + 1), algorithm, options);
      assert.equal(truncated[t], full[t], `${algorithm} at ${t}`);
    }
  }
});

test('prospective EARS and Farrington with limit54 are the production algorithms', () => {
  const counts = syntheticSeries(52 + 3 + 25);
  const c2 = prospectiveAlarms(counts, 'ears-c2');
  const r = earsC(counts, { method: 'C2', ...DETECTION.ears });
  assert.deepEqual(
    c2.slice(9),
    r.map((x) => x.alarm),
  );
  const f = DETECTION.farrington;
  const reference = farringtonFlexible(counts, {
    b: 1,
    w: f.w,
    noPeriods: f.noPeriods,
    pastWeeksNotIncluded: f.pastWeeksNotIncluded,
    weightsThreshold: f.weightsThreshold,
    thresholdMethod: f.thresholdMethod,
    alpha: f.alpha,
    trend: f.trend,
    limit54: [f.limit54[0], f.limit54[1]],
  }).map((x) => x.alarm);
  const raw = prospectiveAlarms(counts, 'farrington-flexible', { farringtonB: 1 });
  assert.deepEqual(withLimit54(counts, raw).slice(55), reference);
  assert.ok(
    reference.some((a) => a),
    'the burst raises an alarm',
  );
});

test('withLimit54: at least 5 cases in the last 4 weeks, hand-worked', () => {
  const counts = [0, 0, 0, 3, 1, 1, 0, 0];
  const alarms = [null, null, false, true, true, true, true, null];
  // t = 3: 3 cases; t = 4: 4; t = 5: 5; t = 6: 5.
  assert.deepEqual(withLimit54(counts, alarms), [
    null,
    null,
    false,
    false,
    false,
    true,
    true,
    null,
  ]);
  assert.deepEqual(withLimit54(counts, alarms, [4, 2]), [
    null,
    null,
    false,
    false,
    true,
    false,
    false,
    null,
  ]);
});

test('a run’s alarm history is the prospective detection of each past week, with limit54', () => {
  // Six years and a burst 6 to 4 weeks before the end: within the 52 weeks a run looks back.
  const counts = syntheticSeries(320);
  const history = detectHistory(counts, 52);
  const first = counts.length - 1 - 52;
  let seen = 0;
  for (const algorithm of VALIDATION_ALGORITHMS) {
    const expected = withLimit54(counts, prospectiveAlarms(counts, algorithm))
      .map((alarm, t) => (alarm === true && t >= first && t < counts.length - 1 ? t : -1))
      .filter((t) => t >= 0);
    const got = history
      .filter((h) => h.algorithm === algorithm)
      .map((h) => h.result.index)
      .sort((a, b) => a - b);
    assert.deepEqual(got, expected, algorithm);
    seen += got.length;
    for (const h of history.filter((x) => x.algorithm === algorithm)) {
      assert.equal(h.result.observed, counts[h.result.index]);
      assert.ok(h.result.alarm);
    }
  }
  // The burst is caught by something; the latest week is detectLatest's, never the history's.
  assert.ok(seen > 0);
  assert.ok(history.every((h) => h.result.index < counts.length - 1));
  assert.deepEqual(detectHistory(counts, 0), []);
});
