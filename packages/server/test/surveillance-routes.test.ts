/**
 * The analysts' surveillance routes over a real app: series and alerts disclosure-controlled
 * (1 to k − 1 withheld, 0 shown), alerts of the latest completed run, reads audited, a run on an
 * empty warehouse refused with a clear error; and when the schedule says a run is due.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SeriesValue } from '@hygie/surveillance';
import { SurveillanceService } from '../src/surveillance/surveillance-service.js';
import { testApp } from './test-app.js';
import type { TestApp } from './test-app.js';

let t: TestApp;

function value(area: string, period: string, cases: number): SeriesValue {
  return {
    level: 'departement',
    area,
    unit: 'isoweek',
    period,
    cases,
    population: 50_000,
    rate: (cases / 50_000) * 100_000,
    rateLower: 1,
    rateUpper: 2,
    standardisedRate: cases * 1.5,
    standardisedLower: cases,
    standardisedUpper: cases * 2,
  };
}

before(async () => {
  t = await testApp({ config: { surveillanceMinCellSize: 5 } });
  const store = t.deps.surveillance.store;
  const old = await store.startRun('manual');
  await store.recordAlerts(old, [
    {
      indicator: 'influenza',
      level: 'departement',
      area: '13',
      period: '2024-W01',
      algorithm: 'farrington-flexible',
      observed: 40,
      expected: 10,
      threshold: 20,
      pValue: 0.0001,
      alarm: true,
    },
  ]);
  await store.finishRun(old);
  // The test clock stands still unless moved: the second run starts a minute later.
  t.clock.advance(60_000);
  const run = await store.startRun('schedule');
  await store.replaceSeries(run, 'influenza', [
    value('75', '2024-W01', 0),
    value('75', '2024-W02', 3),
    value('75', '2024-W03', 12),
  ]);
  await store.recordAlerts(run, [
    {
      indicator: 'influenza',
      level: 'departement',
      area: '75',
      period: '2024-W03',
      algorithm: 'farrington-flexible',
      observed: 12,
      expected: 2.1,
      threshold: 6.5,
      pValue: 0.00002,
      alarm: true,
    },
    {
      // An alarm of an earlier week (the run's history): not in the latest week's list.
      indicator: 'influenza',
      level: 'departement',
      area: '75',
      period: '2024-W01',
      algorithm: 'ears-c1',
      observed: 20,
      expected: 3,
      threshold: 9,
      pValue: null,
      alarm: true,
    },
    {
      indicator: 'influenza',
      level: 'departement',
      area: '2A',
      period: '2024-W03',
      algorithm: 'ears-c1',
      observed: 3,
      expected: 0.4,
      threshold: 1.5,
      pValue: null,
      alarm: true,
    },
    {
      indicator: 'influenza',
      level: 'departement',
      area: '69',
      period: '2024-W03',
      algorithm: 'farrington-flexible',
      observed: 4,
      expected: 3.9,
      threshold: 9,
      pValue: 0.4,
      alarm: false,
    },
  ]);
  await store.finishRun(run);
});
after(async () => {
  await t.close();
});

test('series: small counts withheld with their rates, zero shown; the read is audited', async () => {
  const res = await t.app.inject({
    url: '/api/v1/surveillance/series?indicator=influenza&level=departement&area=75',
    headers: t.as('analyst'),
  });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as {
    values: { period: string; cases: number | null; rate: number | null; suppressed: boolean }[];
    minCellSize: number;
  };
  assert.equal(body.minCellSize, 5);
  assert.deepEqual(
    body.values.map((v) => [v.period, v.cases, v.suppressed]),
    [
      ['2024-W01', 0, false],
      ['2024-W02', null, true],
      ['2024-W03', 12, false],
    ],
  );
  assert.equal(body.values[1]?.rate, null);
  assert.equal(body.values[2]?.rate, 24);
  // The standardised rate and its interval are withheld with the count.
  const std = body.values as unknown as {
    standardisedRate: number | null;
    standardisedLower: number | null;
    standardisedUpper: number | null;
  }[];
  assert.deepEqual(
    std.map((v) => [v.standardisedRate, v.standardisedLower, v.standardisedUpper]),
    [
      [0, 0, 0],
      [null, null, null],
      [18, 12, 24],
    ],
  );
  const [event] = await t.store.audit.list({ action: 'surveillance.series' });
  assert.equal(event?.decision, 'allow');
  assert.equal(event?.details['rows'], 3);
});

test('alerts: the latest completed run, alarms only by default, small observed counts withheld', async () => {
  const res = await t.app.inject({ url: '/api/v1/surveillance/alerts', headers: t.as('analyst') });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as {
    alerts: {
      area: string;
      observed: number | null;
      expected: number | null;
      suppressed: boolean;
      alarm: boolean;
    }[];
  };
  // The older run's alarm in 13 is not shown; 69 did not alarm.
  assert.deepEqual(body.alerts.map((a) => a.area).sort(), ['2A', '75']);
  const corsica = body.alerts.find((a) => a.area === '2A');
  assert.equal(corsica?.observed, null);
  assert.equal(corsica?.suppressed, true);
  assert.equal(corsica?.expected, 0.4);
  const paris = body.alerts.find((a) => a.area === '75');
  assert.equal(paris?.observed, 12);
  const all = await t.app.inject({
    url: '/api/v1/surveillance/alerts?all=true',
    headers: t.as('analyst'),
  });
  assert.equal((all.json() as { alerts: unknown[] }).alerts.length, 3);
  // The history: the latest week's alarms and the earlier ones; one area's.
  const history = await t.app.inject({
    url: '/api/v1/surveillance/alerts?history=true&area=75',
    headers: t.as('analyst'),
  });
  assert.deepEqual(
    (history.json() as { alerts: { period: string }[] }).alerts.map((a) => a.period),
    ['2024-W03', '2024-W01'],
  );
});

test('indicators and runs; a run on a warehouse without data is refused, not empty', async () => {
  const ind = await t.app.inject({
    url: '/api/v1/surveillance/indicators',
    headers: t.as('analyst'),
  });
  const ids = (ind.json() as { syndromes: { id: string }[] }).syndromes.map((s) => s.id);
  assert.ok(ids.includes('influenza') && ids.includes('covid19'), ids.join(','));
  const runs = await t.app.inject({ url: '/api/v1/surveillance/runs', headers: t.as('admin') });
  assert.equal((runs.json() as { runs: unknown[] }).runs.length, 2);
  const post = await t.app.inject({
    method: 'POST',
    url: '/api/v1/surveillance/runs',
    headers: t.as('analyst'),
    payload: {},
  });
  assert.equal(post.statusCode, 404, post.body);
  assert.equal(post.json().code, 'HYG_NOT_FOUND');
  // The failed run is in the audit trail, as the analyst's, with its error code.
  const failed = await t.deps.governance.audit.list({ action: 'surveillance.run' });
  assert.equal(failed.length, 1);
  assert.equal(failed[0]?.actorRole, 'analyst');
  assert.equal(failed[0]?.decision, 'error');
  assert.equal(failed[0]?.reason, 'HYG_NOT_FOUND');
  const researcher = await t.app.inject({
    url: '/api/v1/surveillance/series?indicator=influenza&level=nation',
    headers: t.as('researcher'),
  });
  assert.equal(researcher.statusCode, 403);
});

test('schedule: a first run, then after the interval, or after a batch published since', async () => {
  const service = new SurveillanceService(t.warehouse, 168);
  // Two completed runs exist (before), started at the test clock's time.
  const now = t.clock.now();
  assert.equal(await service.due(now), null);
  assert.equal(await service.due(new Date(now.getTime() + 169 * 3_600_000)), 'schedule');
  await t.warehouse.execute(
    `INSERT INTO hygie_batch (batch_id, source, format, started_at, finished_at, status)
     VALUES ('b-1', 'snds', 'snds', CAST($1 AS TIMESTAMP), CAST($1 AS TIMESTAMP), 'published')`,
    [new Date(now.getTime() + 60_000).toISOString()],
  );
  assert.equal(await service.due(now), 'ingestion');
  assert.equal(await new SurveillanceService(t.warehouse, 0).due(now), null, 'schedule off');
});

test('a scheduled run is recorded in the audit trail as the system’s, with what it computed', async () => {
  await t.warehouse.execute(
    `INSERT INTO person (person_id, gender_concept_id, year_of_birth, race_concept_id, ethnicity_concept_id)
     VALUES (1, 8507, 1980, 0, 0)`,
  );
  await t.warehouse.execute(
    `INSERT INTO condition_occurrence (condition_occurrence_id, person_id, condition_concept_id,
       condition_start_date, condition_type_concept_id)
     VALUES (1, 1, 0, DATE '2024-06-12', 32817)`,
  );
  const service = new SurveillanceService(t.warehouse, 168, t.deps.governance.audit);
  const report = await service.run('schedule', { syndromes: ['influenza'] });
  const events = await t.deps.governance.audit.list({ action: 'surveillance.run' });
  const last = events.at(-1);
  assert.equal(last?.actorRole, 'system');
  assert.equal(last?.actorId, null);
  assert.equal(last?.decision, 'allow');
  assert.equal(last?.targetId, report.runId);
  assert.deepEqual(last?.details, {
    result: 'run',
    trigger: 'schedule',
    rows: report.values,
    measures: report.series,
    alarms: report.alarms,
  });
});
