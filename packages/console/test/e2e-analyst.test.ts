/**
 * The public-health analyst's pages in a real browser against `hygie demo`: once the surveillance
 * run the server starts at first start has completed, the map of France shows all 101
 * départements (overseas included, each with an accessible name), marks the area in alarm and
 * lists the areas in a table; the alert list leads to an area's series with its alarm marker.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  apiCall,
  apiToken,
  launchBrowser,
  logIn,
  newContext,
  screenshot,
  startDemo,
  watchErrors,
} from './e2e-harness.js';
import type { Demo } from './e2e-harness.js';

let demo: Demo;
let browser: Browser;

interface AlertRow {
  indicator: string;
  level: string;
  area: string;
  period: string;
  alarm: boolean;
}

async function token(login: string): Promise<string> {
  return apiToken(demo, login);
}

async function getJson<T>(path: string, bearer: string): Promise<T> {
  return apiCall<T>(demo, bearer, 'GET', path, undefined, 200);
}

/** Waits for the run the server starts at first start (about 25 s at 5,000 persons). */
async function waitForRun(bearer: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const runs = await getJson<{ runs: { status: string }[]; running: boolean }>(
      '/api/v1/surveillance/runs',
      bearer,
    );
    if (runs.runs.some((r) => r.status === 'completed') && !runs.running) return;
    if (Date.now() > deadline) throw new Error(`no completed run: ${JSON.stringify(runs)}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

before(async () => {
  demo = await startDemo({ surveillance: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

test('the analyst sees the map, the alarms and an area’s series', async () => {
  const bearer = await token('analyste');
  await waitForRun(bearer);
  const { alerts } = await getJson<{ alerts: AlertRow[] }>('/api/v1/surveillance/alerts', bearer);
  // The map marks régions or départements: pick an indicator with an alarm at one of them.
  const marked =
    alerts.find((a) => a.alarm && a.level === 'region') ??
    alerts.find((a) => a.alarm && a.level === 'departement');
  assert.ok(marked, `an alarm at région or département level: ${JSON.stringify(alerts)}`);

  const context = await newContext(browser, demo);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await logIn(page, demo, 'analyste');
  await page.goto('/veille');
  const main = page.locator('main');
  await main.getByRole('heading', { level: 1, name: 'Veille sanitaire' }).waitFor();

  // Indicator, level and the latest week (the periods are listed newest first).
  await main.getByLabel('Indicateur', { exact: true }).selectOption(marked.indicator);
  await main
    .getByText(marked.level === 'region' ? 'Régions' : 'Départements', { exact: true })
    .click();
  const period = main.getByRole('combobox', { name: /^Période/ });
  // The periods come with the series (every area, every period: a few seconds).
  const options = period.locator('option[value^="20"]');
  await options.first().waitFor({ state: 'attached', timeout: 60_000 });
  const latest = await options.first().getAttribute('value');
  assert.equal(latest, marked.period, 'the alarm is on the latest week');
  await period.selectOption(marked.period);

  const map = main.locator('svg.analyst-map__svg');
  await map.waitFor();
  // One focusable, named shape per département (the enlarged copy of Paris is for the pointer).
  const shapes = map.locator('path.analyst-map__area[aria-label][tabindex="0"]');
  assert.equal(await shapes.count(), 101);
  for (const code of ['971', '972', '973', '974', '976', '2A', '2B', '75']) {
    const label = await map.locator(`path[data-code="${code}"]`).getAttribute('aria-label');
    assert.match(label ?? '', new RegExp(`\\(${code}\\)`), `département ${code} is labelled`);
  }
  assert.match(
    (await map.locator('path[data-code="971"]').getAttribute('aria-label')) ?? '',
    /Guadeloupe/,
  );
  // The area in alarm carries the warning symbol, named in words, and is listed.
  const marker = map.getByRole('img', { name: new RegExp(`Alerte : .*\\(${marked.area}\\)`) });
  await marker.waitFor();
  const alarmList = main.locator('.analyst-alarm-list');
  await alarmList.getByRole('link').first().waitFor();
  // Focusing a shape tells its name and value.
  await map.locator('path[data-code="67"]').focus();
  await main.locator('.analyst-map__panel', { hasText: 'Bas-Rhin' }).waitFor();
  // The table alternative lists every area of the level.
  const table = main.getByRole('table').filter({ hasText: 'Les valeurs de la carte' });
  const rows = table.locator('tbody tr');
  assert.equal(await rows.count(), marked.level === 'region' ? 18 : 101);
  await table.getByRole('row', { name: /Guadeloupe/ }).waitFor();
  await table
    .getByRole('row', { name: /oui, en alerte/ })
    .first()
    .waitFor();
  await screenshot(page, 'analyst-map');

  // The alert list: the run, the alarms, a link to the series.
  await main.getByRole('link', { name: /Voir toutes les alertes/ }).click();
  await main.getByRole('heading', { level: 1, name: 'Alertes de la veille sanitaire' }).waitFor();
  await main.getByText(/Dernière exécution : terminée/).waitFor();
  const alarmTable = main.getByRole('table');
  await alarmTable.waitFor();
  const alarmCount = alerts.filter((a) => a.alarm).length;
  assert.equal(await alarmTable.locator('tbody tr').count(), alarmCount);
  // Filtering by level keeps only that level's alarms.
  await main.getByLabel('Filtrer par découpage').selectOption(marked.level);
  assert.equal(
    await alarmTable.locator('tbody tr').count(),
    alerts.filter((a) => a.alarm && a.level === marked.level).length,
  );
  // Sorting by a column says so to assistive technologies.
  await alarmTable.getByRole('button', { name: /Algorithme/ }).click();
  assert.equal(
    await alarmTable.locator('th', { hasText: 'Algorithme' }).getAttribute('aria-sort'),
    'ascending',
  );
  await main.getByLabel('Filtrer par découpage').selectOption('');
  await screenshot(page, 'analyst-alerts');

  // A run while none is running completes; the button shows progress meanwhile.
  await main.getByRole('button', { name: 'Lancer la détection maintenant' }).click();
  await main.getByText(/Exécution terminée : \d+ alarmes/).waitFor({ timeout: 180_000 });

  // Follow an alarm to its series (the nation's when there is one: the fullest series): the alarm
  // is marked on the chart and listed.
  const national = alerts.some((a) => a.alarm && a.level === 'nation');
  await main
    .getByRole('table')
    .getByRole('link')
    .filter({ hasText: national ? 'France entière' : `(${marked.area})` })
    .first()
    .click();
  await page.waitForURL(/\/veille\/serie\//);
  await main.getByRole('heading', { level: 1 }).waitFor();
  await main.locator('.recharts-surface').first().waitFor();
  const triangles = main.locator('.analyst-alarm-points path.recharts-symbols');
  await triangles.first().waitFor();
  // Only the weeks in alarm carry the symbol (every week of an alarm is a week of the last run).
  const alarmWeeks = new Set(alerts.filter((a) => a.alarm).map((a) => a.period)).size;
  assert.ok((await triangles.count()) <= alarmWeeks, 'one triangle per week in alarm');
  await main
    .getByRole('heading', { name: /Alertes de la dernière exécution pour ce territoire/ })
    .waitFor();
  await main.locator('.analyst-alarm-list li').first().waitFor();
  assert.match(
    await main.locator('.analyst-alarm-list').innerText(),
    /semaine 52 de 2024|semaine \d+ de \d{4}/,
  );
  await page.mouse.move(0, 0);
  await screenshot(page, 'analyst-series');

  assert.deepEqual(errors, []);
  await context.close();
});

test('the map is for analysts: a researcher is told who the page is for', async () => {
  const context = await newContext(browser, demo);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await logIn(page, demo, 'chercheuse');
  await page.goto('/veille');
  await page.locator('main').getByText('Accès réservé').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
