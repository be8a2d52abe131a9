#!/usr/bin/env node
// Benchmark of the governed analytics path against hand-written SQL (not a test), issue #5: on a
// warehouse ingested by `hygie ingest` (default ./hygie-bench/data), a typical stratified measure
// — incident type 2 diabetes (CIM-10 E11, washout 365 days) by département × year, standardised
// to France 2020 — and a person count by département × sex × age band, each computed
//   (1) the governed way: parseQuery + compileQuery behind the permit's population (adults during
//       the permit period 2019–2024, opt-outs excluded) + runQuery + toAggregateTable +
//       applyDisclosureControl (default policy) — everything but HTTP and the governance store;
//   (2) by ONE hand-written SQL statement computing the same figures (same permit restrictions,
//       same opt-out anti-join, standardised rate included), on the same engine in the same run.
// Both must agree (cells, counts, person-years, rates: relative 1e-9) before anything is timed.
// Warm-up once, then --repeat runs of each side, alternating; median and min; governed / hand
// (floor ≤ 1.10×). --pg copies the persons with the smallest ids (--pg-persons, default 100,000)
// and their rows into a throwaway PostgreSQL cluster and a DuckDB in-memory warehouse, and times
// both sides on both engines at that same size (DuckDB / PostgreSQL).
//
// Usage: npm run build && node scripts/bench-governed-query.mjs [--data-dir ./hygie-bench/data]
//        [--repeat 5] [--memory-limit 8GB] [--pg] [--pg-persons 100000]
//        [--pg-url postgres://…] (instead of a throwaway cluster: a database that keeps the copied
//        rows between runs — copied when its person table is empty)
//        [--show-sql] (prints the hand-written statements and exits)
import { existsSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { compileQuery, runQuery, toAggregateTable } from '@hygie/analytics';
import { applyDisclosureControl, parseQuery } from '@hygie/core';
import {
  cellsOfGoverned,
  cellsOfHand,
  check,
  hand,
  handCountSql,
  handIncidenceSql,
  PERMIT_AGES,
  PERMIT_PERIOD,
  POLICY,
  QUERIES,
  time,
} from './lib/governed-bench.mjs';
import {
  migrate,
  openDuckDbWarehouse,
  openInMemoryWarehouse,
  openPostgresWarehouse,
  WAREHOUSE_FILE,
} from '@hygie/warehouse';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const dataDir = opt('--data-dir', './hygie-bench/data');
const repeat = Math.max(1, Number(opt('--repeat', '5')));
const memoryLimit = opt('--memory-limit', '8GB');
const pgUrl = opt('--pg-url', null);
const withPg = args.includes('--pg') || pgUrl !== null;
const pgPersons = Number(opt('--pg-persons', '100000'));

// ---------------------------------------------------------------------------------------------
// The two paths, and their comparison.

function governed(engine, input) {
  return async () => {
    const compiled = compileQuery(parseQuery(input), {
      dialect: engine.dialect,
      population: {
        filters: { ageRange: PERMIT_AGES },
        period: PERMIT_PERIOD,
        purpose: 'research',
      },
    });
    const result = await runQuery(engine, compiled);
    const released = result.tables.map((t) => applyDisclosureControl(toAggregateTable(t), POLICY));
    return { raw: result.tables[0], released: released[0] };
  };
}

/** Checks then times both queries on one engine; returns rows for the table. */
async function benchEngine(engine, name) {
  const out = [];
  for (const q of QUERIES) {
    const g = governed(engine, q.input);
    const h = hand(engine, q.sql());
    const gr = await g();
    const hr = await h();
    const cells = check(
      `${q.label} (${name})`,
      cellsOfGoverned(gr.raw),
      cellsOfHand(hr, q.dims, q.values),
    );
    const withheld = gr.released.report.cells.withheld;
    const t = await time(g, h, repeat);
    out.push({ engine: name, label: q.label, cells, withheld, ...t });
  }
  return out;
}

const f2 = (x) => x.toFixed(2);
const f3 = (x) => x.toFixed(3);

function printTable(rows) {
  console.log(
    `\n${'engine'.padEnd(22)} ${'query'.padEnd(64)} ${'cells (withheld)'.padStart(16)}  ` +
      `${'governed med/min s'.padStart(18)}  ${'hand med/min s'.padStart(15)}  governed/hand`,
  );
  for (const r of rows) {
    const ratio = r.governed.median / r.hand.median;
    console.log(
      `${r.engine.padEnd(22)} ${r.label.padEnd(64)} ${`${r.cells} (${r.withheld})`.padStart(16)}  ` +
        `${`${f3(r.governed.median)} / ${f3(r.governed.min)}`.padStart(18)}  ` +
        `${`${f3(r.hand.median)} / ${f3(r.hand.min)}`.padStart(15)}  ${f2(ratio)}×` +
        `${ratio <= 1.1 ? '' : '  ABOVE the 1.10× floor'}`,
    );
  }
}

async function sizes(engine) {
  const n = async (sql) => Number((await engine.query(sql))[0].n);
  const rows = {};
  for (const t of [
    'person',
    'observation_period',
    'condition_occurrence',
    'death',
    'location',
    'hygie_opt_out',
  ])
    rows[t] = await n(`SELECT count(*) AS n FROM ${t}`);
  rows.located = await n('SELECT count(location_id) AS n FROM person');
  return rows;
}

const fmt = (x) => x.toLocaleString('en');
const sizeLine = (s) =>
  `persons ${fmt(s.person)} (${fmt(s.located)} with a location; ${fmt(s.location)} locations), ` +
  `observation periods ${fmt(s.observation_period)}, conditions ${fmt(s.condition_occurrence)}, ` +
  `deaths ${fmt(s.death)}, opt-outs ${fmt(s.hygie_opt_out)}`;

/** The tables the two queries read, restricted to the persons with the `n` smallest ids. */
const SUBSET_TABLES = [
  ['concept', null],
  ['concept_ancestor', null],
  ['location', null],
  ['person', 'person_id'],
  ['observation_period', 'person_id'],
  ['death', 'person_id'],
  ['condition_occurrence', 'person_id'],
  ['hygie_opt_out', 'person_id'],
];

async function copySubset(from, targets, n) {
  // Chunk bounds: the ids of ranks CHUNK, 2·CHUNK, …, n (ids are pseudonyms spread over BIGINT).
  const CHUNK = 200000;
  const ranks = await from.query(
    `SELECT person_id AS id FROM (SELECT person_id, row_number() OVER (ORDER BY person_id) AS rn FROM person) x
     WHERE rn <= ${n} AND (rn % ${CHUNK} = 0 OR rn = least(${n}, (SELECT count(*) FROM person))) ORDER BY rn`,
  );
  for (const [table, column] of SUBSET_TABLES) {
    // Person-scoped tables chunk by chunk, so that no more than a chunk is held at once.
    const chunks =
      column === null
        ? ['']
        : ranks.map(
            ({ id }, i) =>
              ` WHERE ${column} <= ${id}${i > 0 ? ` AND ${column} > ${ranks[i - 1].id}` : ''}`,
          );
    for (const where of chunks) {
      const rows = await from.query(`SELECT * FROM ${table}${where}`);
      if (rows.length === 0) continue;
      const columns = Object.keys(rows[0]);
      const values = rows.map((r) => columns.map((c) => r[c]));
      for (const to of targets) await to.appendRows(table, columns, values);
    }
  }
  for (const to of targets) if (to.dialect.name === 'postgres') await to.execute('ANALYZE');
}

async function main() {
  if (args.includes('--show-sql')) {
    console.log(`-- incidence\n${handIncidenceSql()};\n\n-- person count\n${handCountSql()};`);
    return;
  }
  if (!existsSync(join(dataDir, WAREHOUSE_FILE))) {
    console.error(
      `no warehouse in ${dataDir}. Build one (about 1,000,000 persons) with:\n` +
        `  hygie synth --persons 1000000 --out DIR --format snds\n` +
        `  hygie keys init && hygie warehouse init\n` +
        `  hygie ingest --format snds DIR/snds\n` +
        `then pass its data directory with --data-dir.`,
    );
    process.exit(2);
  }
  console.log(
    `machine: ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; ` +
      `DuckDB memory limit ${memoryLimit}; Node ${process.version}; ${repeat} runs per side after one warm-up`,
  );
  console.log(
    'governed path = parseQuery + compileQuery (population included) + runQuery + toAggregateTable + ' +
      'applyDisclosureControl (default policy, minCellSize 10); HTTP, permit check and governance ' +
      'store bookkeeping not included',
  );
  console.log(
    `permit: persons aged ≥ ${PERMIT_AGES.min} during ${PERMIT_PERIOD.from}..${PERMIT_PERIOD.to}, research purpose (opt-outs excluded); ` +
      'both sides checked equal (cells, cases, person-years, rates, persons: relative 1e-9) before timing',
  );
  const duck = await openDuckDbWarehouse({ dataDir, readOnly: true, memoryLimit });
  const rows = [];
  let sub;
  try {
    const s = await sizes(duck);
    console.log(`\nwarehouse ${dataDir}: ${sizeLine(s)}`);
    if (s.located === 0)
      console.log(
        '  NOTE: no person has a location: every département stratum is NULL (unknown residence)',
      );
    rows.push(...(await benchEngine(duck, 'DuckDB (file)')));
    printTable(rows);
    if (withPg) {
      let cluster = null;
      if (pgUrl === null) {
        const { startPgCluster } = await import('@hygie/test-support');
        const started = await startPgCluster();
        if ('skip' in started) throw new Error(started.skip);
        cluster = started;
      }
      try {
        const pg = await openPostgresWarehouse({
          connectionString: pgUrl ?? (await cluster.createDatabase('bench')),
        });
        const mem = await openInMemoryWarehouse({ memoryLimit });
        try {
          await migrate(pg);
          await migrate(mem);
          const t0 = performance.now();
          // A database given with --pg-url keeps its rows between runs: copied once.
          const [{ n }] = await pg.query('SELECT count(*) AS n FROM person');
          await copySubset(duck, Number(n) === 0 ? [pg, mem] : [mem], pgPersons);
          const [{ v }] = await pg.query("SELECT current_setting('server_version') AS v");
          sub = await sizes(pg);
          console.log(
            `\nsubset (persons with the ${fmt(pgPersons)} smallest ids and their rows of the tables these ` +
              `queries read — ${SUBSET_TABLES.map(([t]) => t).join(', ')} — copied to PostgreSQL ${v} ` +
              `and an in-memory DuckDB in ${f2((performance.now() - t0) / 1000)} s): ${sizeLine(sub)}`,
          );
          const subRows = [
            ...(await benchEngine(mem, `DuckDB ${fmt(pgPersons)}`)),
            ...(await benchEngine(pg, `PostgreSQL ${fmt(pgPersons)}`)),
          ];
          printTable(subRows);
          console.log(`\nDuckDB / PostgreSQL at ${fmt(pgPersons)} persons (medians):`);
          for (const q of QUERIES) {
            const d = subRows.find((r) => r.label === q.label && r.engine.startsWith('DuckDB'));
            const p = subRows.find((r) => r.label === q.label && r.engine.startsWith('Postgre'));
            console.log(
              `  ${q.label.padEnd(64)} governed ${f3(d.governed.median / p.governed.median)}×, ` +
                `hand ${f3(d.hand.median / p.hand.median)}×`,
            );
          }
        } finally {
          await pg.close();
          await mem.close();
        }
      } finally {
        cluster?.stop();
      }
    }
  } finally {
    await duck.close();
  }
}

await main();
