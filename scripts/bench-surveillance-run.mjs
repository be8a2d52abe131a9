#!/usr/bin/env node
// Benchmark of a whole surveillance run (not a test), issue #7: on an ingested warehouse, every
// syndrome's weekly and monthly series for the nation, régions and départements computed in the
// warehouse, stored, and every area's latest week tested by Farrington flexible (Noufaily), EARS
// C1/C2/C3 and CUSUM — what the server's weekly schedule does. Prints the time of each series and
// of the run, and the alarms of the latest week. The run writes to the warehouse's surveillance
// tables (migration 5), nothing else.
//
// Usage: npm run build && node scripts/bench-surveillance-run.mjs --data-dir DIR
//        [--from 2019-01-07] [--to 2024-12-29] [--memory-limit 8GB]
import { runSurveillance, SurveillanceStore } from '@hygie/surveillance';
import { migrate, openDuckDbWarehouse } from '@hygie/warehouse';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const dataDir = opt('--data-dir', './hygie-bench/data');
const period = { from: opt('--from', '2019-01-07'), to: opt('--to', '2024-12-29') };

const engine = await openDuckDbWarehouse({ dataDir, memoryLimit: opt('--memory-limit', '8GB') });
try {
  await migrate(engine);
  const store = new SurveillanceStore(engine);
  const t0 = performance.now();
  let last = t0;
  const report = await runSurveillance(engine, store, {
    trigger: 'manual',
    period,
    onProgress: (done, total, label) => {
      const now = performance.now();
      console.log(
        `  ${String(done).padStart(2)}/${total} ${label.padEnd(36)} ${((now - last) / 1000).toFixed(2)} s`,
      );
      last = now;
    },
  });
  const s = (performance.now() - t0) / 1000;
  console.log(
    `\nrun ${report.runId}: ${report.series} series, ${report.values.toLocaleString('en')} values, ` +
      `${report.results.toLocaleString('en')} detection results, ${report.alarms} alarms in ${s.toFixed(1)} s`,
  );
  const alarms = await store.alerts({ runId: report.runId, limit: 30 });
  for (const a of alarms) {
    console.log(
      `  ${a.period} ${a.indicator.padEnd(16)} ${a.level.padEnd(11)} ${a.area.padEnd(4)} ${a.algorithm.padEnd(20)} ` +
        `observed ${a.observed}, expected ${a.expected?.toFixed(1) ?? '—'}, threshold ${a.threshold?.toFixed(1) ?? '—'}` +
        `${a.pValue === null ? '' : `, p ${a.pValue.toExponential(2)}`}`,
    );
  }
} finally {
  await engine.close();
}
