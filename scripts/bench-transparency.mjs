#!/usr/bin/env node
// Benchmark of the transparency log (issue #6; not a test): for each batch size (default 100 and
// 1,000) appends N entries (default 100,000) to a fresh log file in a temporary directory, signing
// a tree head after every batch, then times inclusion and consistency proofs served by the store,
// the export, and the offline verification of that export. Prints entries/s, sign time (median
// and p95), proof times, export and verify times.
//
// Usage: npm run build && node scripts/bench-transparency.mjs [--entries 100000]
//        [--batches 100,1000] [--proofs 1000] [--keep]
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pseudonymousActorId, verifyConsistency, verifyInclusion } from '@hygie/core';
import { openTransparencyLog, verifyLogExport } from '@hygie/governance';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const N = Number(opt('--entries', '100000'));
const batches = opt('--batches', '100,1000').split(',').map(Number);
const proofs = Number(opt('--proofs', '1000'));
const keep = args.includes('--keep');

const actorKey = Buffer.alloc(32, 0x33);
const actors = Array.from({ length: 50 }, (_, i) => pseudonymousActorId(actorKey, `user-${i}`));

/** A plausible data-access entry for audit event `seq`. */
function entry(seq) {
  const permit = `b7c1e0a4-5f3d-4c1e-9a8b-${String(seq % 40).padStart(12, '0')}`;
  return {
    v: 1,
    seq,
    at: new Date(Date.UTC(2025, 0, 1) + seq * 1000).toISOString(),
    actorRole: 'researcher',
    actorId: actors[seq % actors.length],
    action: seq % 10 === 0 ? 'permit.check' : 'data.access',
    decision: seq % 17 === 0 ? 'deny' : 'allow',
    targetType: 'permit',
    targetId: permit,
    permitId: permit,
    queryHash: createHash('sha256')
      .update(`q${seq % 500}`)
      .digest('hex'),
    shape: { measures: 2, strata: 'departement,year', dp: false },
  };
}

const ms = (t) => `${t.toFixed(2)} ms`;
const rate = (n, t) => `${Math.round(n / (t / 1000)).toLocaleString('en')}/s`;
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
// A deterministic pseudo-random stream for the proof positions.
let seed = 12345;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};

const base = mkdtempSync(join(tmpdir(), 'hygie-bench-tlog-'));
console.log(
  `transparency log benchmark: ${N.toLocaleString('en')} entries, batches ${batches.join(' and ')}`,
);
console.log(`directory: ${base}`);
try {
  for (const batch of batches) {
    const file = join(base, `transparency-${batch}.sqlite`);
    const log = openTransparencyLog({ file }, { signingSeed: Buffer.alloc(32, 7) });
    let appendMs = 0;
    const signMs = [];
    for (let first = 1; first <= N; first += batch) {
      const list = [];
      for (let s = first; s < first + batch && s <= N; s++) list.push(entry(s));
      let t = performance.now();
      log.append(list);
      appendMs += performance.now() - t;
      t = performance.now();
      log.sign();
      signMs.push(performance.now() - t);
    }
    const head = log.latestHead();

    // Inclusion proofs against the latest head, consistency proofs from random older sizes.
    const root = Buffer.from(head.rootHash, 'hex');
    let t = performance.now();
    const inclusion = [];
    for (let i = 0; i < proofs; i++) {
      const index = rnd(N);
      inclusion.push([index, log.inclusionProof(index, N)]);
    }
    const inclusionMs = performance.now() - t;
    t = performance.now();
    const consistency = [];
    for (let i = 0; i < proofs; i++) {
      const first = 1 + rnd(N - 1);
      consistency.push([first, log.consistencyProof(first, N)]);
    }
    const consistencyMs = performance.now() - t;
    // Checked outside the timings: every proof must verify.
    for (const [index, proof] of inclusion) {
      const leaf = Buffer.from(log.entries(index, index + 1)[0].leafHash, 'hex');
      const p = proof.map((h) => Buffer.from(h, 'hex'));
      if (!verifyInclusion(leaf, index, N, p, root)) throw new Error(`inclusion ${index} fails`);
    }
    for (const [first, proof] of consistency.slice(0, 50)) {
      const p = proof.map((h) => Buffer.from(h, 'hex'));
      const old = Buffer.from(log.rootAt(first), 'hex');
      if (!verifyConsistency(first, N, old, root, p)) throw new Error(`consistency ${first} fails`);
    }

    const exportFile = join(base, `export-${batch}.jsonl`);
    t = performance.now();
    const summary = await log.export(exportFile);
    const exportMs = performance.now() - t;
    log.close();
    t = performance.now();
    const verdict = await verifyLogExport(exportFile, { publicKeyPem: log.publicKeyPem });
    const verifyMs = performance.now() - t;
    if (!verdict.ok || verdict.treeSize !== N) {
      throw new Error(`verification failed: ${verdict.problems.slice(0, 3).join('; ')}`);
    }

    console.log(`\nbatches of ${batch} (${signMs.length} signed heads)`);
    console.log(
      `  append      ${rate(N, appendMs)} entries (${ms(appendMs)} in all, ${ms(appendMs / signMs.length)} a batch)`,
    );
    console.log(
      `  sign        median ${ms(quantile(signMs, 0.5))}, p95 ${ms(quantile(signMs, 0.95))} (includes the commit)`,
    );
    console.log(`  append+sign ${rate(N, appendMs + signMs.reduce((a, b) => a + b, 0))} entries`);
    console.log(
      `  inclusion   ${((inclusionMs / proofs) * 1000).toFixed(0)} µs a proof (${inclusion[0][1].length} hashes at size ${N})`,
    );
    console.log(`  consistency ${((consistencyMs / proofs) * 1000).toFixed(0)} µs a proof`);
    console.log(
      `  export      ${ms(exportMs)} (${rate(N, exportMs)} entries, ${summary.heads} heads, ${(statSync(exportFile).size / 1e6).toFixed(1)} MB)`,
    );
    console.log(
      `  verify      ${ms(verifyMs)} (${rate(N, verifyMs)} entries, ${verdict.heads} heads checked)`,
    );
    console.log(`  log file    ${(statSync(file).size / 1e6).toFixed(1)} MB`);
  }
} finally {
  if (!keep) rmSync(base, { recursive: true, force: true });
}
