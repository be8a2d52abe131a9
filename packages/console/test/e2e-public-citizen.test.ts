/**
 * The public pages and the citizen's space in a real browser against `hygie demo`: the project
 * directory lists the demo project and opens its page; the transparency page shows the latest
 * signed head (signature checked in the browser) and the latest entries; a citizen identifies,
 * sees their status, opts out (the opt-out reaches the public log), withdraws, and sees who used
 * their data with every inclusion proof verified in the browser; a wrong NIR is explained in
 * words; no page error.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  apiCall,
  launchBrowser,
  newContext,
  screenshot,
  startDemo,
  watchErrors,
} from './e2e-harness.js';
import type { Demo } from './e2e-harness.js';

let demo: Demo;
let browser: Browser;

interface Head {
  head: { treeSize: number; rootHash: string } | null;
}
interface Entries {
  entries: { index: number; entry: { action: string; decision: string } }[];
}
interface DirectoryEntry {
  projectId: string;
  title: string;
  permits: { permitId: string }[];
}

async function getJson<T>(path: string): Promise<T> {
  return apiCall<T>(demo, null, 'GET', path, undefined, 200);
}

async function treeSize(): Promise<number> {
  return (await getJson<Head>('/api/v1/transparency/head')).head?.treeSize ?? 0;
}

/** The console's own resource errors for refused calls (401) are expected where a test provokes them. */
function unexpected(errors: readonly string[]): string[] {
  return errors.filter((e) => !/status of 401/.test(e));
}

before(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

test('the directory lists the demo project, filters, and opens its page', async () => {
  const [project] = await getJson<DirectoryEntry[]>('/api/v1/directory/projects');
  assert.ok(project, 'the demo seeds one listed project');
  const context = await newContext(browser, demo);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/projets');
  await page.getByRole('heading', { level: 1, name: 'Projets de recherche' }).waitFor();
  const main = page.locator('main');
  const card = main.getByRole('link', { name: project.title });
  await card.waitFor();
  await main.getByRole('status').getByText('1 projet').waitFor();
  // Search and filters narrow the list, and the count says so.
  const search = main.getByRole('searchbox', { name: /Rechercher/ });
  await search.fill('introuvable-xyz');
  await main.getByRole('status').getByText('Aucun projet ne correspond.').waitFor();
  await search.fill('diabète');
  await card.waitFor();
  await main.getByLabel('Autorisation').selectOption('none');
  await main.getByRole('status').getByText('Aucun projet ne correspond.').waitFor();
  await main.getByLabel('Autorisation').selectOption('active');
  await card.waitFor();
  await screenshot(page, 'directory');
  await card.click();
  await page.waitForURL(`**/projets/${project.projectId}`);
  await page.getByRole('heading', { level: 1, name: project.title }).waitFor();
  const permits = main.getByRole('table', { name: /Autorisations délivrées/ });
  await permits.waitFor();
  assert.match(await permits.innerText(), new RegExp(project.permits[0]?.permitId ?? 'none'));
  assert.match(await permits.innerText(), /agrégats uniquement/);
  await main.getByRole('table', { name: /Tables et variables demandées/ }).waitFor();
  // What was done under the permit: its entries in the public log.
  await permits.getByRole('link', { name: 'Voir ses entrées dans le journal' }).first().click();
  await page.waitForURL(/\/transparence\?permis=/);
  const permitEntries = main.getByRole('table', { name: /concernant cette autorisation/ });
  await permitEntries.waitFor();
  assert.match(await permitEntries.innerText(), /application\.review/);
  // An unknown project is explained in words.
  await page.goto('/projets/00000000-0000-4000-8000-000000000000');
  await main
    .getByRole('alert')
    .getByText(/Élément introuvable/)
    .waitFor();
  assert.deepEqual(
    errors.filter((e) => !/status of 404/.test(e)),
    [],
  );
  await context.close();
});

test('the transparency page shows the signed head, verified, and the latest entries', async () => {
  const context = await newContext(browser, demo);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/transparence');
  await page.getByRole('heading', { level: 1, name: 'Journal de transparence' }).waitFor();
  const main = page.locator('main');
  await main.getByText('signature vérifiée').waitFor();
  const size = Number(
    (await main.locator('dt:has-text("Nombre d’entrées") + dd').innerText()).replace(/\D/g, ''),
  );
  assert.ok(size > 0, `tree size ${size}`);
  const table = main.getByRole('table', { name: /les plus récentes d’abord/ });
  await table.waitFor();
  assert.ok((await table.locator('tbody tr').count()) > 0);
  // The offline check is spelled out, with the files to download.
  await main.getByText('hygie audit verify --log log.jsonl --pubkey log-key.pem').first().waitFor();
  assert.equal(
    await main.getByRole('link', { name: /journal complet/ }).getAttribute('href'),
    '/api/v1/transparency/export',
  );
  assert.equal(
    await main.getByRole('link', { name: /clé publique/ }).getAttribute('href'),
    '/api/v1/transparency/public-key',
  );
  await screenshot(page, 'transparency');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a wrong NIR is explained in words', async () => {
  assert.ok(demo.citizen, 'the demo prints a citizen');
  const context = await newContext(browser, demo);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/mes-donnees');
  const main = page.locator('main');
  await main.getByText('Identification de démonstration').waitFor();
  await main
    .getByText(/FranceConnect/)
    .first()
    .waitFor();
  // A well-formed NIR that is nobody's (another key), with the citizen's birth date.
  const nir = demo.citizen.nir.slice(0, 13);
  await main.getByLabel(/Numéro de sécurité sociale/).fill(`${nir}00`);
  await main.getByLabel(/Date de naissance/).fill(demo.citizen.birthDate);
  await main.getByRole('button', { name: 'M’identifier' }).click();
  await main
    .getByRole('alert')
    .getByText(/Nous n’avons pas pu vous identifier/)
    .waitFor();
  assert.deepEqual(unexpected(errors), []);
  await context.close();
});

async function identify(page: Page): Promise<void> {
  const citizen = demo.citizen;
  assert.ok(citizen);
  const main = page.locator('main');
  await page.goto('/mes-donnees');
  await main.getByLabel(/Numéro de sécurité sociale/).fill(citizen.nir);
  await main.getByLabel(/Date de naissance/).fill(citizen.birthDate);
  await main.getByRole('button', { name: 'M’identifier' }).click();
  await main.getByRole('heading', { name: 'Mon opposition' }).waitFor();
}

test('the citizen identifies, sees who used their data with proofs verified, opts out and withdraws', async () => {
  const context = await newContext(browser, demo);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const main = page.locator('main');
  await identify(page);
  // The citizen session is kept under its own key, never as an account's session.
  const stored = await page.evaluate<(string | null)[]>(
    "[sessionStorage.getItem('hygie.citizen-session'), sessionStorage.getItem('hygie.session')]",
  );
  assert.match(stored[0] ?? '', /"token":"hyc_/);
  assert.equal(stored[1], null);
  await main.getByText('pas d’opposition').waitFor();
  await main.getByText(/Veille sanitaire : sur cette plateforme/).waitFor();

  // Who used my data: the demo permit's population (adults) includes the demo citizen.
  await main.getByRole('heading', { name: 'Qui a utilisé mes données ?' }).waitFor();
  const uses = main.locator('article');
  await uses.first().waitFor();
  assert.ok((await uses.count()) > 0);
  await main
    .getByText(/preuves? vérifiées? sur/)
    .first()
    .waitFor();
  const badges = main.getByText('preuve vérifiée', { exact: true });
  assert.ok((await badges.count()) > 0);
  assert.equal(await main.getByText('preuve invalide', { exact: true }).count(), 0);
  for (const summary of await main.getByText(/preuves? vérifiées? sur/).allInnerTexts()) {
    const m = /(\d+) preuves? vérifiées? sur (\d+)/.exec(summary);
    assert.ok(m && m[1] === m[2], `every proof verified: ${summary}`);
  }
  await main.getByText('signature vérifiée').waitFor();

  // Opt out, with confirmation.
  const before = await treeSize();
  await main.getByRole('button', { name: 'M’opposer à l’usage de mes données' }).click();
  await main.getByRole('heading', { name: 'Confirmer votre opposition ?' }).waitFor();
  await main.getByRole('button', { name: 'Oui, je m’oppose' }).click();
  await main.getByText('opposition enregistrée').waitFor();
  await main.getByText(/Vous vous êtes opposé·e/).waitFor();
  await main
    .getByText(/Votre opposition vous exclut des résultats de cette autorisation/)
    .waitFor();
  await main
    .getByRole('table', { name: /Vos oppositions/ })
    .getByText('toujours active')
    .waitFor();

  // The opt-out reaches the public log: more entries, one of them the opt-out.
  const after = await treeSize();
  assert.ok(after > before, `log grew: ${before} → ${after}`);
  const { entries } = await getJson<Entries>(
    `/api/v1/transparency/entries?start=${before}&end=${after}`,
  );
  assert.ok(
    entries.some((e) => e.entry.action === 'opt_out.create' && e.entry.decision === 'allow'),
    `opt_out.create among ${entries.map((e) => e.entry.action).join(', ')}`,
  );
  await page.goto('/transparence');
  await main
    .getByRole('table', { name: /les plus récentes d’abord/ })
    .getByText('opt_out.create')
    .first()
    .waitFor();

  // Back to my data: still identified in this tab; withdraw, with confirmation.
  await page.goto('/mes-donnees');
  await main.getByText('opposition enregistrée').waitFor();
  await main.getByRole('button', { name: 'Retirer mon opposition' }).click();
  await main.getByRole('button', { name: 'Oui, je retire mon opposition' }).click();
  await main.getByText('pas d’opposition').waitFor();
  await main.getByText(/Votre opposition est retirée/).waitFor();
  const history = main.getByRole('table', { name: /Vos oppositions/ });
  assert.equal(await history.getByText('toujours active').count(), 0);
  await main
    .getByText(/preuves? vérifiées? sur/)
    .first()
    .waitFor();
  assert.equal(await main.getByText('preuve invalide', { exact: true }).count(), 0);
  await screenshot(page, 'citizen');

  // Logging out forgets the token.
  await main.getByRole('button', { name: 'Me déconnecter' }).click();
  await main.getByRole('button', { name: 'M’identifier' }).waitFor();
  assert.equal(
    await page.evaluate<string | null>("sessionStorage.getItem('hygie.citizen-session')"),
    null,
  );
  assert.deepEqual(errors, []);
  await context.close();
});
