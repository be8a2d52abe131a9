/**
 * The whole journey of issue #8 in one real browser session per person, every step through the
 * console's pages against `hygie demo`:
 * a researcher applies; two reviewers approve; the researcher counts the population under the
 * demo's permit, a citizen opts out, and the same count under the new permit is one less (two
 * permits: under one, the differencing defence would withhold the second count); the researcher
 * runs a cohort query (type 2 diabetes, found by concept search) and requests its release; an
 * output checker approves it; the result downloads as CSV from the researcher's page; the
 * analyst sees an alert on the map.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { choose, launchBrowser, logIn, newContext, startDemo, watchErrors } from './e2e-harness.js';
import type { Demo } from './e2e-harness.js';

let demo: Demo;
let browser: Browser;

/** A signed-in page per person, kept for the whole journey. */
interface Person {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
}
const people = new Map<string, Person>();

async function as(login: string): Promise<Person> {
  const known = people.get(login);
  if (known !== undefined) return known;
  const context = await newContext(browser, demo);
  const page = await context.newPage();
  const errors = watchErrors(page);
  if (login !== 'citizen') await logIn(page, demo, login);
  const person = { context, page, errors };
  people.set(login, person);
  return person;
}

before(async () => {
  demo = await startDemo({ surveillance: true });
  browser = await launchBrowser();
});
after(async () => {
  for (const p of people.values()) await p.context.close();
  await browser?.close();
  await demo?.stop();
});

let projectId = '';
let applicationId = '';
let newPermitId = '';

test('a researcher applies for access through the form', async () => {
  const { page, errors } = await as('chercheuse');
  await page.goto('/recherche/projets/nouveau');
  await page.getByLabel('Titre').fill('Parcours complet : diabète de type 2');
  await page.getByLabel('Finalité').fill('Décrire la prévalence du diabète de type 2 par sexe.');
  await page.getByLabel('Base légale').fill('RGPD art. 6(1)(e) et 9(2)(j) ; MR-004');
  await page.getByLabel('Résumé public').fill('Combien de personnes vivent avec un diabète ?');
  await page.getByRole('button', { name: 'Créer le projet' }).click();
  await page.waitForURL(/\/recherche\/projets\/[0-9a-f-]{36}$/);
  projectId = /projets\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
  await page.getByRole('link', { name: 'Nouvelle demande d’accès' }).click();
  // The demo permit's scope: the same population (adults), period and tables, so that counts
  // under both permits compare.
  for (const table of [
    'person',
    'location',
    'observation_period',
    'condition_occurrence',
    'death',
  ]) {
    await page.getByLabel('Table à ajouter').selectOption(table);
    await page.getByRole('button', { name: 'Ajouter la table' }).click();
  }
  await page.getByLabel('Âge minimal (ans)').fill('18');
  await page.getByLabel('Âge maximal (ans)').fill('130');
  await page.getByLabel('Justification').fill('Agrégats par sexe uniquement.');
  await page.getByRole('button', { name: 'Enregistrer et soumettre au comité' }).click();
  await page.waitForURL(new RegExp(`/recherche/projets/${projectId}$`));
  await page
    .getByRole('table', { name: /Demandes d’accès du projet/ })
    .getByText('soumise')
    .waitFor();
  assert.deepEqual(errors, []);
});

test('two reviewers approve it in the committee’s pages: a permit is issued', async () => {
  for (const [login, comment] of [
    ['relecteur-1', 'Finalité claire, variables minimales.'],
    ['relecteur-2', 'Conforme à la MR-004.'],
  ] as const) {
    const { page, errors } = await as(login);
    await page.goto('/comite');
    await page.getByRole('link', { name: 'Parcours complet : diabète de type 2' }).click();
    await page.waitForURL(/\/comite\/demandes\/[0-9a-f-]{36}$/);
    applicationId = /demandes\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    const main = page.locator('main');
    await main.getByRole('table', { name: 'Tables et variables demandées' }).first().waitFor();
    const open = main.getByRole('button', { name: 'Ouvrir l’examen' });
    if (await open.isVisible()) await open.click();
    await choose(main.getByRole('radio', { name: /^Approuver/ }));
    await main.getByLabel(/Commentaire/).fill(comment);
    await main.getByRole('button', { name: 'Enregistrer mon avis' }).click();
    if (login === 'relecteur-2') {
      await page.getByRole('heading', { name: 'Autorisation délivrée' }).waitFor();
    } else {
      await page.getByText(/Approbations : 1 sur 2 requises/).waitFor();
    }
    assert.deepEqual(errors, []);
  }
  const { page } = await as('chercheuse');
  await page.goto(`/recherche/projets/${projectId}`);
  const permits = page.getByRole('table', { name: 'Autorisations délivrées au projet' });
  await permits.getByText('active').waitFor();
  const href = await permits
    .getByRole('link', { name: 'Interroger les données' })
    .getAttribute('href');
  newPermitId = /permis\/([0-9a-f-]{36})/.exec(href ?? '')?.[1] ?? '';
  assert.ok(newPermitId, `a permit link: ${href}`);
  assert.ok(applicationId);
});

/**
 * Waits for a query's results, failing at once with the page's words when it shows an error
 * or a problem with the form instead.
 */
async function waitForResults(page: Page, heading: string): Promise<void> {
  const results = page.getByRole('heading', { name: heading });
  const problem = page.locator('main').locator('.fr-alert--error, .fr-error-text').first();
  await Promise.race([
    results.waitFor({ timeout: 120_000 }),
    problem.waitFor({ timeout: 120_000 }).then(async () => {
      throw new Error(`the query page shows a problem: ${await problem.innerText()}`);
    }),
  ]);
}

/** Runs "persons in the permit's population" (no cohort) on a permit's query page. */
async function countPopulation(page: Page, permitId: string): Promise<number> {
  await page.goto(`/recherche/permis/${permitId}/requete`);
  await page.getByRole('heading', { level: 1, name: 'Construire et lancer une requête' }).waitFor();
  const cohort = page.getByLabel(/Définir une cohorte/);
  if (await cohort.isChecked())
    await page.locator('label', { hasText: 'Définir une cohorte' }).click();
  await page.getByLabel('Début de la période d’analyse').fill('2019-01-01');
  await page.getByLabel('Fin de la période d’analyse').fill('2024-12-31');
  const sex = page.getByLabel('Sexe', { exact: true });
  if (await sex.isChecked()) await page.locator('label', { hasText: /^Sexe$/ }).click();
  await page.getByRole('button', { name: 'Lancer la requête' }).click();
  await waitForResults(page, 'Résultats contrôlés');
  const table = page.getByRole('table', { name: 'Résultat de la mesure persons, par strate' });
  // The first data row: the stratum label, then the value (digits grouped with spaces).
  const cells = await table.locator('tbody tr').first().locator('td').allInnerTexts();
  const n = (cells[1] ?? '').replace(/\D/g, '');
  assert.ok(n !== '', `a value in ${cells.join(' | ')}`);
  return Number(n);
}

test('a citizen opts out, and the count of the population drops by one', async () => {
  assert.ok(demo.citizen, 'the demo prints a citizen');
  const researcher = await as('chercheuse');
  await researcher.page.goto('/recherche');
  const links = researcher.page
    .locator('main')
    .getByRole('link', { name: 'Interroger les données' });
  await links.first().waitFor();
  const ids = (await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))).map(
    (h) => /permis\/([0-9a-f-]{36})/.exec(h)?.[1] ?? '',
  );
  const demoPermitId = ids.find((id) => id !== '' && id !== newPermitId) ?? '';
  assert.ok(demoPermitId, `the demo permit among ${ids.join(', ')}`);
  const before = await countPopulation(researcher.page, demoPermitId);

  const { page, errors } = await as('citizen');
  const main = page.locator('main');
  await page.goto('/mes-donnees');
  await main.getByLabel(/Numéro de sécurité sociale/).fill(demo.citizen.nir);
  await main.getByLabel(/Date de naissance/).fill(demo.citizen.birthDate);
  await main.getByRole('button', { name: 'M’identifier' }).click();
  await main.getByRole('button', { name: 'M’opposer à l’usage de mes données' }).click();
  await main.getByRole('button', { name: 'Oui, je m’oppose' }).click();
  await main.getByText('opposition enregistrée').waitFor();
  assert.deepEqual(errors, []);

  const afterOptOut = await countPopulation(researcher.page, newPermitId);
  assert.equal(afterOptOut, before - 1, `${before} before, ${afterOptOut} after the opt-out`);
  assert.deepEqual(researcher.errors, []);
});

test('a cohort query, its release approved by the checker, and the download', async () => {
  const { page, errors } = await as('chercheuse');
  await page.goto(`/recherche/permis/${newPermitId}/requete`);
  const cohort = page.getByLabel(/Définir une cohorte/);
  if (!(await cohort.isChecked())) {
    await page.locator('label', { hasText: 'Définir une cohorte' }).click();
  }
  await page.getByRole('combobox', { name: /Rechercher un code ou un libellé/ }).fill('E11');
  await page.getByRole('option', { name: /^E11 — Diabète sucré de type 2/ }).click();
  await page.getByRole('button', { name: 'Lancer la requête' }).click();
  await page
    .getByRole('heading', { name: 'Attrition de la cohorte' })
    .waitFor({ timeout: 120_000 });
  await page.getByLabel('Justification').fill('Article : diabète de type 2 par sexe.');
  await page.getByRole('button', { name: 'Demander la sortie' }).click();
  const list = page.getByRole('table', { name: 'Demandes de sortie et leur état' });
  await list.getByText('en attente').waitFor();

  const checker = await as('controleur');
  await checker.page.goto('/controle');
  await checker.page
    .getByRole('link', { name: /^Demande / })
    .first()
    .click();
  await checker.page
    .getByRole('heading', { name: 'Rapport du contrôle du secret statistique' })
    .waitFor();
  const cmain = checker.page.locator('main');
  await cmain
    .getByRole('table', { name: /Contrôles effectués sur/ })
    .first()
    .waitFor();
  await choose(cmain.getByRole('radio', { name: 'Approuver la publication' }));
  await cmain.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await checker.page.getByText('Publication approuvée').waitFor();
  assert.deepEqual(checker.errors, []);

  // Back on the researcher's page: the request is approved and its result downloads.
  await page.reload();
  await list.getByText('approuvée').waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    list.getByRole('button', { name: 'Télécharger (CSV)' }).first().click(),
  ]);
  const path = await download.path();
  const csv = readFileSync(path, 'utf8');
  assert.match(csv.split(/\r?\n/)[0] ?? '', /^table,measure,/);
  assert.deepEqual(errors, []);
});

test('the analyst sees an alert on the map', async () => {
  const { page, errors } = await as('analyste');
  const main = page.locator('main');
  // The alert list of the run the server started at its first start (wait for it to end).
  await page.goto('/veille/alertes');
  const alarms = main.getByRole('table', { name: /Alarmes/ });
  await alarms.waitFor({ timeout: 180_000 });
  // An alarm in a région (the 5,000-person demo has one in Grand Est): shown on the map.
  await page.goto('/veille');
  await main.getByLabel('Indicateur', { exact: true }).selectOption('gastroenteritis');
  await main.getByText('Régions', { exact: true }).click();
  const period = main.getByRole('combobox', { name: /^Période/ });
  await period
    .locator('option[value^="20"]')
    .first()
    .waitFor({ state: 'attached', timeout: 60_000 });
  const map = main.locator('svg.analyst-map__svg');
  await map.getByRole('img', { name: /Alerte : .*\(44\)/ }).waitFor();
  assert.deepEqual(errors, []);
});
