#!/usr/bin/env node
// Validation of outbreak detection on synthetic ground truth (issue #7): on a warehouse ingested
// from `hygie synth` output, computes the weekly département series of every syndrome that has
// outbreaks in ground-truth.json, runs each production algorithm (Farrington flexible/Noufaily,
// EARS C1–C3, CUSUM over a 4-week window) prospectively over the monitored weeks, and prints per
// algorithm the outbreaks evaluated, sensitivity, specificity, false alarms per 100
// département-weeks and the detection delay — with and without the limit54 rule (≥ 5 cases in
// the last 4 weeks) that the production run applies to every algorithm. Definitions:
// packages/surveillance/src/validation/metrics.ts and prospective.ts.
//
// Farrington needs 52·b + w weeks of history before its first monitored week. Synthetic data
// covers 2019–2024 only, so with the production b = 5 it monitors only the last ~50 weeks of 2024
// (one outbreak at most). The default here is b = 3: the smallest b for which R's Farrington
// still tests and keeps a significant trend (b ≥ 3) and gives three reference years, monitoring
// from 2022-W04 on; --b 1 or 2 monitors more outbreaks at the price of a thinner baseline. EARS
// and CUSUM need only 7–11 and 4 weeks and monitor (almost) everything, unless --from narrows
// every algorithm to the same range (e.g. --from 2022-W04 to compare them on Farrington's).
// Opens the warehouse READ-ONLY; writes nothing.
//
// Usage: npm run build && node scripts/validate-surveillance.mjs --data-dir DIR
//        --ground-truth FILE [--b 3] [--from 2022-W04] [--series-from 2019-01-07]
//        [--series-to 2024-12-29] [--memory-limit 4GB]
import { readFileSync } from 'node:fs';
import {
  computeIndicatorSeries,
  evaluateDetection,
  firstMonitorable,
  groundTruthOutbreaks,
  isoWeekOrdinal,
  prospectiveAlarms,
  VALIDATION_ALGORITHMS,
  withLimit54,
} from '@hygie/surveillance';
import { openDuckDbWarehouse } from '@hygie/warehouse';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const dataDir = opt('--data-dir');
const groundTruthFile = opt('--ground-truth');
if (!dataDir || !groundTruthFile) {
  console.error(
    'usage: validate-surveillance.mjs --data-dir DIR --ground-truth FILE [--b 3] [--from YYYY-Www]',
  );
  process.exit(2);
}
const b = Number(opt('--b', '3'));
const from = opt('--from');
const groundTruth = JSON.parse(readFileSync(groundTruthFile, 'utf8'));
const outbreaks = groundTruthOutbreaks(groundTruth);
const years = groundTruth.options ?? { from: 2019, to: 2024 };
// Whole ISO weeks inside the synthetic years: first Monday on/after 1 January to the last
// Sunday on/before 31 December (a partial first week would look like a dip).
const day = 86_400_000;
const firstMonday = (y) => {
  const t = Date.UTC(y, 0, 1);
  return new Date(t + ((8 - new Date(t).getUTCDay()) % 7) * day).toISOString().slice(0, 10);
};
const lastSunday = (y) => {
  const t = Date.UTC(y, 11, 31);
  return new Date(t - (new Date(t).getUTCDay() % 7) * day).toISOString().slice(0, 10);
};
const period = {
  from: opt('--series-from', firstMonday(years.from)),
  to: opt('--series-to', lastSunday(years.to)),
};
const syndromes = [...new Set(outbreaks.map((o) => o.syndrome))];

const t0 = performance.now();
const engine = await openDuckDbWarehouse({
  dataDir,
  readOnly: true,
  memoryLimit: opt('--memory-limit', '4GB'),
});
/** syndrome → [{ area, periods, counts }] */
const seriesBySyndrome = new Map();
try {
  for (const syndrome of syndromes) {
    const t = performance.now();
    const rows = await computeIndicatorSeries(engine, {
      indicator: { kind: 'syndrome', syndrome },
      period,
      unit: 'isoweek',
      level: 'departement',
      purpose: 'surveillance',
    });
    const byArea = new Map();
    for (const r of rows) {
      const list = byArea.get(r.area) ?? [];
      list.push(r);
      byArea.set(r.area, list);
    }
    const list = [...byArea].map(([area, rs]) => {
      rs.sort((x, y) => (x.period < y.period ? -1 : x.period > y.period ? 1 : 0));
      return { area, periods: rs.map((r) => r.period), counts: rs.map((r) => r.cases) };
    });
    seriesBySyndrome.set(syndrome, list);
    const cases = rows.reduce((a, r) => a + r.cases, 0);
    console.log(
      `series ${syndrome.padEnd(16)} ${list.length} départements × ${list[0]?.periods.length ?? 0} weeks, ` +
        `${cases.toLocaleString('en')} cases, ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
  }
} finally {
  await engine.close();
}
const tSeries = performance.now();

const anySeries = [...seriesBySyndrome.values()][0]?.[0];
if (!anySeries) throw new Error('no series');
const firstWeek = isoWeekOrdinal(anySeries.periods[0]);
const start = from === undefined ? 0 : isoWeekOrdinal(from) - firstWeek;
console.log(
  `\nweeks ${anySeries.periods[0]}…${anySeries.periods.at(-1)}, Farrington b = ${b}` +
    (from ? `, monitoring from ${from} at the earliest` : '') +
    `; ${outbreaks.length} outbreaks (${syndromes.join(', ')})\n`,
);

const pct = (v) => (v === null ? '—' : `${(100 * v).toFixed(1)}%`);
const num = (v, d = 1) => (v === null ? '—' : v.toFixed(d));
const header =
  'algorithm            limit54  from      evaluated  detected  sensitivity  specificity  FA/100 wk  false alarms  mean delay  median delay';
console.log(header);
console.log('-'.repeat(header.length));
const outcomeTable = [];
for (const algorithm of VALIDATION_ALGORITHMS) {
  const t = performance.now();
  const options = { farringtonB: b, start };
  const raw = [];
  const limited = [];
  for (const [syndrome, list] of seriesBySyndrome) {
    for (const s of list) {
      const alarms = prospectiveAlarms(s.counts, algorithm, options);
      raw.push({ syndrome, area: s.area, periods: s.periods, alarms });
      limited.push({
        syndrome,
        area: s.area,
        periods: s.periods,
        alarms: withLimit54(s.counts, alarms),
      });
    }
  }
  const monitoredFrom =
    anySeries.periods[Math.max(start, firstMonitorable(algorithm, options))] ?? '—';
  const seconds = (performance.now() - t) / 1000;
  for (const [label, series] of [
    ['no', raw],
    ['yes', limited],
  ]) {
    const m = evaluateDetection(series, outbreaks);
    console.log(
      `${algorithm.padEnd(20)} ${label.padEnd(8)} ${monitoredFrom.padEnd(9)} ${String(m.outbreaksEvaluated).padStart(9)}` +
        `  ${String(m.outbreaksDetected).padStart(8)}  ${pct(m.sensitivity).padStart(11)}  ${pct(m.specificity).padStart(11)}` +
        `  ${num(m.falseAlarmsPer100, 2).padStart(9)}  ${`${m.falseAlarms}/${m.nonOutbreakWeeks}`.padStart(12)}` +
        `  ${num(m.meanDelay).padStart(10)}  ${num(m.medianDelay).padStart(12)}`,
    );
    outcomeTable.push({ algorithm, label, m });
  }
  console.log(`${''.padEnd(20)} (${seconds.toFixed(1)} s)`);
}

console.log(
  '\noutbreaks (delay in weeks to the first alarm; – missed; n/m not monitored), limit54 applied:',
);
const algos = outcomeTable.filter((r) => r.label === 'yes');
console.log(
  `${'outbreak'.padEnd(12)} ${'syndrome'.padEnd(16)} dept  weeks                excess  ` +
    algos
      .map((r) => r.algorithm.replace('farrington-flexible', 'farrington').padStart(11))
      .join(''),
);
for (const [i, o] of outbreaks.entries()) {
  const weeks = `${o.isoWeeks[0]}…${o.isoWeeks.at(-1)}`;
  const cells = algos.map(({ m }) => {
    const oc = m.outcomes[i];
    return (
      oc.status === 'detected' ? String(oc.delay) : oc.status === 'missed' ? '–' : 'n/m'
    ).padStart(11);
  });
  console.log(
    `${o.id.padEnd(12)} ${o.syndrome.padEnd(16)} ${o.dept.padEnd(5)} ${weeks.padEnd(20)} ${String(o.excessCases ?? '').padStart(6)}  ${cells.join('')}`,
  );
}
const tEnd = performance.now();
console.log(
  `\ntime: series ${((tSeries - t0) / 1000).toFixed(1)} s (warehouse open + SQL), detection and metrics ` +
    `${((tEnd - tSeries) / 1000).toFixed(1)} s, total ${((tEnd - t0) / 1000).toFixed(1)} s`,
);
