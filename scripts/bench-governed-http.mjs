#!/usr/bin/env node
// Benchmark of the whole governed path over HTTP (not a test), issue #5: the two queries of
// bench-governed-query.mjs POSTed to /api/v1/projects/:id/queries of the real app (`buildApp`:
// token check, permit check and audit in the governance store, population and opt-outs in the
// SQL, disclosure control, the differencing memory — the persons behind every releasable cell
// written to the warehouse and compared with the project's earlier cells — and the recorded
// run), against the one hand-written SQL statement computing the same figures, on the same
// DuckDB warehouse in the same run.
//
// The warehouse is written to (the differencing memory, the opt-out mirror): the script works on
// a copy of `warehouse.duckdb` in a temporary directory unless --in-place. The governance store
// is SQLite in memory, with a researcher, two reviewers and the approved permit made here.
//
// Each POST is a new run of the same query: its cells are remembered again, and compared with
// every earlier run's (same definition: no conflict). Reported: the first run, then the median
// and minimum of --repeat further runs, and the ratio of the median to the hand-written SQL's.
//
// Usage: npm run build && node scripts/bench-governed-http.mjs [--data-dir ./hygie-bench/data]
//        [--repeat 3] [--memory-limit 8GB] [--in-place]
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { requiredData } from '@hygie/analytics';
import { parseQuery, SYSTEM_ACTOR } from '@hygie/core';
import { actorOf, openGovernanceStore } from '@hygie/governance';
import { KeyRing } from '@hygie/keys';
import { buildApp, defaultServerConfig } from '@hygie/server';
import { migrate, openDuckDbWarehouse, WAREHOUSE_FILE } from '@hygie/warehouse';
import { hand, PERMIT_AGES, PERMIT_PERIOD, QUERIES, time } from './lib/governed-bench.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const dataDir = opt('--data-dir', './hygie-bench/data');
const repeat = Math.max(1, Number(opt('--repeat', '3')));
const memoryLimit = opt('--memory-limit', '8GB');
const inPlace = args.includes('--in-place');

/** The data both queries read, as one application's data request. */
function dataRequest() {
  const byTable = new Map();
  for (const q of QUERIES) {
    for (const item of requiredData(parseQuery(q.input))) {
      const vars = byTable.get(item.table) ?? new Set();
      for (const v of item.variables) vars.add(v);
      byTable.set(item.table, vars);
    }
  }
  return [...byTable].map(([table, vars]) => ({ table, variables: [...vars].sort() }));
}

/** A researcher's project with an approved permit over the benchmark's population. */
async function permitFor(store) {
  const researcher = await store.users.create(SYSTEM_ACTOR, {
    login: 'bench-researcher',
    displayName: 'Benchmark researcher',
    roles: ['researcher'],
  });
  const reviewers = [];
  for (const login of ['bench-reviewer-1', 'bench-reviewer-2']) {
    reviewers.push(
      actorOf(
        await store.users.create(SYSTEM_ACTOR, {
          login,
          displayName: login,
          roles: ['reviewer'],
        }),
      ),
    );
  }
  const actor = actorOf(researcher);
  const project = await store.projects.create(actor, {
    title: 'Benchmark of the governed path',
    purpose: 'Time the governed analytics path against hand-written SQL.',
    legalBasis: 'GDPR art. 6(1)(e) and 9(2)(j)',
    publicSummary: 'A benchmark on synthetic data.',
  });
  const draft = await store.applications.createDraft(actor, project.id, {
    data: dataRequest(),
    population: { ageRange: PERMIT_AGES },
    period: { ...PERMIT_PERIOD },
    durationMonths: 12,
    accessMode: 'aggregate_only',
    justification: 'Benchmark',
    requestedEpsilon: 1,
  });
  await store.applications.submit(actor, draft.id);
  await store.applications.startReview(reviewers[0], draft.id);
  await store.applications.review(reviewers[0], draft.id, { decision: 'approve' });
  const out = await store.applications.review(reviewers[1], draft.id, { decision: 'approve' });
  if (!out.permit) throw new Error('the benchmark application was not approved');
  const { token } = await store.users.createApiToken(SYSTEM_ACTOR, researcher.id, {
    label: 'bench',
  });
  return { projectId: project.id, permitId: out.permit.id, token };
}

const f2 = (x) => x.toFixed(2);
const f3 = (x) => x.toFixed(3);

async function main() {
  if (!existsSync(join(dataDir, WAREHOUSE_FILE))) {
    console.error(`no warehouse in ${dataDir} (see scripts/bench-governed-query.mjs to build one)`);
    process.exit(2);
  }
  console.log(
    `machine: ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; ` +
      `DuckDB memory limit ${memoryLimit}; Node ${process.version}; first run, then ${repeat} runs`,
  );
  let workDir = dataDir;
  let scratch = null;
  if (!inPlace) {
    scratch = mkdtempSync(join(tmpdir(), 'hygie-bench-http-'));
    const t0 = performance.now();
    copyFileSync(join(dataDir, WAREHOUSE_FILE), join(scratch, WAREHOUSE_FILE));
    console.log(`warehouse copied to ${scratch} in ${f2((performance.now() - t0) / 1000)} s`);
    workDir = scratch;
  }
  const warehouse = await openDuckDbWarehouse({ dataDir: workDir, memoryLimit });
  const store = await openGovernanceStore({ kind: 'sqlite-memory' });
  try {
    await migrate(warehouse);
    await store.migrate();
    const { projectId, permitId, token } = await permitFor(store);
    const config = defaultServerConfig({ logLevel: 'silent' });
    const { app } = await buildApp({
      config,
      warehouse,
      governance: store,
      keyRing: new KeyRing(randomBytes(32)),
      logger: false,
      close: async () => {},
    });
    await app.ready();
    const post = (input) => async () => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/projects/${projectId}/queries`,
        headers: { authorization: `Bearer ${token}` },
        payload: { permitId, query: input },
      });
      if (res.statusCode !== 201) {
        throw new Error(`the query was refused: ${res.statusCode} ${res.body.slice(0, 300)}`);
      }
      return res.json();
    };
    console.log(
      `\n${'query'.padEnd(64)} ${'cells'.padStart(6)}  ${'first s'.padStart(8)}  ` +
        `${'HTTP med/min s'.padStart(15)}  ${'hand med/min s'.padStart(15)}  HTTP/hand`,
    );
    for (const q of QUERIES.filter(
      (x) => !process.env.ONLY || x.label.includes(process.env.ONLY),
    )) {
      const t0 = performance.now();
      const first = await post(q.input)();
      const firstS = (performance.now() - t0) / 1000;
      const cells = first.result.tables[0]?.cells?.length ?? first.result.tables[0]?.rows?.length;
      const t = await time(post(q.input), hand(warehouse, q.sql()), repeat);
      console.log(
        `${q.label.padEnd(64)} ${String(cells ?? '?').padStart(6)}  ${f3(firstS).padStart(8)}  ` +
          `${`${f3(t.governed.median)} / ${f3(t.governed.min)}`.padStart(15)}  ` +
          `${`${f3(t.hand.median)} / ${f3(t.hand.min)}`.padStart(15)}  ` +
          `${f2(t.governed.median / t.hand.median)}×`,
      );
    }
    await app.close();
  } finally {
    await store.close();
    await warehouse.close();
    if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
