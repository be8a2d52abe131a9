#!/usr/bin/env node
// Benchmark of outbreak detection (issue #7): a national scan — 101 départements + 18 régions ×
// 4 syndromes, the latest week of 5 years of weekly history — with farringtonFlexible (Noufaily
// configuration) and earsC C3, against R's `surveillance` doing the same on the same series.
// Usage: npm run build && node scripts/bench-surveillance-detection.mjs
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { earsC, farringtonFlexible } from '@hygie/surveillance';

const UNITS = 101 + 18;
const SYNDROMES = 4;
const WEEKS = 5 * 52 + 4; // 5 years of history before the latest week, plus the w-window

// Seeded RNG (mulberry32) and a Poisson sampler by inversion, so that runs are reproducible.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(7);
function poisson(mu) {
  if (mu > 500)
    return Math.max(
      0,
      Math.round(
        mu + Math.sqrt(mu) * Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand()),
      ),
    );
  let k = 0;
  let p = Math.exp(-mu);
  let cdf = p;
  const u = rand();
  while (u > cdf) {
    k++;
    p *= mu / k;
    cdf += p;
  }
  return k;
}
const series = [];
for (let u = 0; u < UNITS; u++) {
  const size = u < 101 ? 1 + 30 * rand() : 20 + 200 * rand(); // départements, then régions
  for (let s = 0; s < SYNDROMES; s++) {
    const base = size * (0.2 + s * 0.4);
    const amplitude = 0.3 + 0.5 * rand();
    const phase = 2 * Math.PI * rand();
    const y = [];
    for (let t = 0; t < WEEKS; t++) {
      const outbreak = t > WEEKS - 6 && rand() < 0.1 ? 2 : 1;
      y.push(
        poisson(base * outbreak * Math.exp(amplitude * Math.sin((2 * Math.PI * t) / 52 + phase))),
      );
    }
    series.push(y);
  }
}

const noufaily = {
  noPeriods: 10,
  pastWeeksNotIncluded: 26,
  weightsThreshold: 2.58,
  thresholdMethod: 'nbPlugin',
};
function scan() {
  const out = { farrington: [], c3: [], alarms: 0 };
  for (const y of series) {
    const f = farringtonFlexible(y, { ...noufaily, start: y.length - 1 })[0];
    const c = earsC(y, { method: 'C3', start: y.length - 1 })[0];
    out.farrington.push(f.threshold);
    out.c3.push(c.threshold);
    if (f.alarm) out.alarms++;
  }
  return out;
}
scan(); // warm-up (JIT), as R's byte-compiled package is warm too
const t0 = performance.now();
const ours = scan();
const ms = performance.now() - t0;
console.log(
  `series: ${series.length} (${UNITS} units × ${SYNDROMES} syndromes), ${WEEKS} weeks each`,
);
console.log(
  `Hygie (TypeScript): ${ms.toFixed(1)} ms — farringtonFlexible (Noufaily) + earsC C3, latest week; ${ours.alarms} Farrington alarms`,
);

const dir = mkdtempSync(join(tmpdir(), 'hygie-bench-'));
try {
  const input = join(dir, 'series.json');
  const output = join(dir, 'r.json');
  writeFileSync(input, JSON.stringify({ series }));
  const script = new URL('./surveillance-reference/bench.R', import.meta.url).pathname;
  const r0 = performance.now();
  const r = spawnSync('Rscript', [script, input, output], { encoding: 'utf8' });
  const wall = performance.now() - r0;
  if (r.error && r.error.code === 'ENOENT') {
    console.log(
      'R not found: install it with `apt-get install -y r-cran-surveillance` to compare with R.',
    );
  } else if (r.status !== 0) {
    console.log(`Rscript failed (status ${r.status}):\n${r.stderr}`);
  } else {
    const res = JSON.parse(readFileSync(output, 'utf8'));
    let maxRel = 0;
    let mismatches = 0;
    // jsonlite writes R's NA and NaN as the strings "NA" and "NaN"; Hygie returns null for both.
    const cmp = (a, b) => {
      const rNa = b === null || typeof b === 'string';
      if (a === null || rNa) {
        if ((a === null) !== rNa) mismatches++;
        return;
      }
      maxRel = Math.max(maxRel, Math.abs(a - b) / Math.max(Math.abs(b), 1e-12));
    };
    res.farrington.forEach((b, i) => cmp(ours.farrington[i], b));
    res.c3.forEach((b, i) => cmp(ours.c3[i], b));
    console.log(
      `R surveillance: ${res.ms.toFixed(1)} ms computing (${wall.toFixed(0)} ms with Rscript start-up)`,
    );
    console.log(`ratio R / Hygie: ${(res.ms / ms).toFixed(1)}× (computation only)`);
    console.log(
      `agreement with R: max relative difference of thresholds ${maxRel.toExponential(2)}, NA mismatches ${mismatches}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
