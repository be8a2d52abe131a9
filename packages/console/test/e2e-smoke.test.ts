/**
 * The console in a real browser against `hygie demo`: the home page renders in French with the
 * design system, switches to English, deep links are served the app, an unknown API address
 * stays a JSON error, login works with a demo account and a wrong password is explained in
 * words; no page error, no CSP violation.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  expand,
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

before(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

test('home page in French, then English; the language choice is kept', async () => {
  const context = await newContext(browser, demo);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/');
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), /données de santé/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  // The design system's stylesheet is served locally and applied (Marianne font).
  const font = await page.evaluate<string>('getComputedStyle(document.body).fontFamily');
  assert.match(font, /Marianne/);
  await screenshot(page, 'home');
  await expand(page.locator('button[title="Sélectionner la langue"]:visible'));
  await page.locator('a:visible', { hasText: 'English' }).click();
  await page.getByRole('heading', { name: /Health data serving everyone/ }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.reload();
  await page.getByRole('heading', { name: /Health data serving everyone/ }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('deep links get the app; unknown API addresses stay JSON errors', async () => {
  const res = await fetch(`${demo.url}/veille`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  const api = await fetch(`${demo.url}/api/v1/nope`);
  assert.equal(api.status, 404);
  assert.equal(((await api.json()) as { code: string }).code, 'HYG_NOT_FOUND');
});

test('log in with a demo account; a wrong password is explained in words', async () => {
  const context = await newContext(browser, demo);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/connexion');
  await page.getByLabel('Identifiant').fill('analyste');
  await page.getByLabel('Mot de passe').fill('not the password');
  await page.getByRole('button', { name: 'Se connecter' }).last().click();
  await page
    .getByRole('alert')
    .getByText(/Identifiant ou mot de passe incorrect/)
    .waitFor();
  await logIn(page, demo, 'analyste');
  await page.getByRole('link', { name: 'Veille sanitaire' }).first().waitFor();
  // The browser console shows the refused login (401) as a resource error: nothing else.
  assert.deepEqual(
    errors.filter((e) => !/401/.test(e)),
    [],
  );
  await context.close();
});
