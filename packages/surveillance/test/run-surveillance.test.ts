/**
 * A whole surveillance run over a small warehouse: six years of influenza consultations in one
 * département (a steady 3 cases a week), then an outbreak of 25 cases in the last week. The run
 * stores the weekly and monthly series for every level and tests every area's last week: the
 * outbreak raises an alarm in Paris, its région and the nation, with its evidence; a quiet
 * département raises none. The run is recorded, and a failing run is recorded as failed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openInMemoryWarehouse } from '@hygie/warehouse';
import { runSurveillance } from '../src/run/run-surveillance.js';
import { SurveillanceStore } from '../src/store/surveillance-store.js';
import { C, loadWorld, World } from './indicators-world.js';

const PERIOD = { from: '2019-01-07', to: '2024-12-29' }; // Monday 2019-W02 … Sunday 2024-W52

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function outbreakWorld(): World {
  const w = new World();
  let id = 1;
  // One new person per case (an episode per person): 3 a week on Tuesday … Thursday.
  for (let week = 0; ; week++) {
    const monday = addDays(PERIOD.from, 7 * week);
    if (monday > PERIOD.to) break;
    const last = addDays(monday, 6) >= '2024-12-23';
    const cases = last ? 25 : 3;
    for (let c = 0; c < cases; c++) {
      w.person(id++, c % 2 === 0 ? 'F' : 'M', 1980, 'paris').consultation(
        C.J110,
        addDays(monday, 1 + (c % 3)),
      );
    }
  }
  // A quiet département: a few people observed, no case.
  for (let i = 0; i < 20; i++) w.person(id++, 'F', 1970, 'lyon');
  // One death of a myocardial infarction (chapter IX), in Lyon in May 2024.
  w.person(id++, 'M', 1940, 'lyon', ['2019-01-01', '2024-05-14']).death('2024-05-14', C.I21);
  return w;
}

test('a run stores the series and raises the outbreak alarm with its evidence', async () => {
  const engine = await openInMemoryWarehouse();
  try {
    await loadWorld(engine, outbreakWorld());
    const store = new SurveillanceStore(engine);
    const progress: string[] = [];
    const report = await runSurveillance(engine, store, {
      trigger: 'manual',
      period: PERIOD,
      syndromes: ['influenza'],
      onProgress: (done, total, label) => progress.push(`${done}/${total} ${label}`),
    });
    // Per level: influenza consultations and stays (2 units each), deaths (2), excess (1),
    // deaths by cause (9 causes, by month).
    assert.equal(report.series, 3 * (2 + 2 + 2 + 1 + 9));
    assert.equal(progress.length, report.series);
    assert.deepEqual(progress.at(-1)?.split(' ')[0], '48/48');

    const paris = await store.series({
      indicator: 'influenza',
      level: 'departement',
      unit: 'isoweek',
      area: '75',
    });
    assert.equal(paris.at(-1)?.period, '2024-W52');
    assert.equal(paris.at(-1)?.cases, 25);
    assert.equal(paris.at(-2)?.cases, 3);
    // Stored crude and standardised (France 2020), each with its interval.
    const last = paris.at(-1);
    assert.ok(last !== undefined && last.rate !== null && last.standardisedRate !== null);
    assert.ok(
      last.standardisedLower! < last.standardisedRate! &&
        last.standardisedRate! < last.standardisedUpper!,
      JSON.stringify(last),
    );
    // Everyone in Paris is 44 in 2024: the standardised rate is the rate of that one stratum
    // weighted by its share of France's population, far from the crude rate.
    assert.notEqual(Math.round(last.standardisedRate!), Math.round(last.rate!));
    const nation = await store.series({ indicator: 'influenza', level: 'nation', unit: 'month' });
    assert.equal(nation.find((v) => v.period === '2024-11')?.area, 'FR');

    const stays = await store.series({
      indicator: 'hospitalisations-influenza',
      level: 'departement',
      unit: 'month',
      area: '75',
    });
    // Consultations only in this world: no stay.
    assert.ok(stays.length >= 72 && stays.every((v) => v.cases === 0));
    const deaths = await store.series({ indicator: 'deaths', level: 'nation', unit: 'isoweek' });
    assert.equal(deaths.length, paris.length);
    // Deaths by cause, by month: the infarction counts under circulatory, not neoplasms.
    const circulatory = await store.series({
      indicator: 'deaths-circulatory',
      level: 'departement',
      unit: 'month',
      area: '69',
    });
    assert.deepEqual(
      circulatory.filter((v) => v.cases > 0).map((v) => [v.period, v.cases]),
      [['2024-05', 1]],
    );
    const neoplasms = await store.series({
      indicator: 'deaths-neoplasms',
      level: 'nation',
      unit: 'month',
    });
    assert.ok(neoplasms.length >= 72 && neoplasms.every((v) => v.cases === 0));
    const excess = await store.series({
      indicator: 'excess-mortality',
      level: 'nation',
      unit: 'isoweek',
      from: '2024-W01',
    });
    // Nobody died: 0 observed, 0 expected from five years of the same weeks, no excess.
    assert.equal(excess.length, 52);
    assert.deepEqual([excess[0]?.cases, excess[0]?.expected, excess[0]?.excess], [0, 0, 0]);

    const alarms = await store.alerts({ indicator: 'influenza' });
    const farrington = alarms.filter((a) => a.algorithm === 'farrington-flexible');
    assert.deepEqual(farrington.map((a) => `${a.level}:${a.area}`).sort(), [
      'departement:75',
      'nation:FR',
      'region:11',
    ]);
    for (const a of farrington) {
      assert.equal(a.period, '2024-W52');
      assert.equal(a.observed, 25);
      assert.ok(a.expected !== null && a.expected > 2 && a.expected < 4, `expected ${a.expected}`);
      assert.ok(a.threshold !== null && a.threshold < 25, `threshold ${a.threshold}`);
      assert.ok(a.pValue !== null && a.pValue < 0.001, `p ${a.pValue}`);
    }
    // EARS C1 and CUSUM see it too (C3, as R computes it, looks at the two weeks before);
    // Lyon (no case) raises nothing.
    assert.ok(alarms.some((a) => a.algorithm === 'ears-c1' && a.area === '75'));
    assert.ok(alarms.some((a) => a.algorithm === 'cusum' && a.area === '75'));
    assert.ok(!alarms.some((a) => a.area === '69'));
    const all = await store.alerts({ indicator: 'influenza', all: true });
    assert.ok(
      all.some((a) => a.area === '69' && a.algorithm === 'farrington-flexible' && !a.alarm),
    );

    // The scratch denominator tables are gone.
    const scratch = await engine.query(
      `SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'hygie_scratch%'`,
    );
    assert.deepEqual(scratch, []);

    const [run] = await store.runs();
    assert.equal(run?.runId, report.runId);
    assert.equal(run?.status, 'completed');

    await assert.rejects(
      () =>
        runSurveillance(engine, store, {
          trigger: 'manual',
          period: PERIOD,
          syndromes: ['plague'],
        }),
      /unknown syndrome/,
    );
  } finally {
    await engine.close();
  }
});
