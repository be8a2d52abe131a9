/**
 * The researcher's pages in a real browser against `hygie demo`, as `chercheuse`: the catalogue
 * and a table's statistics; a new project and an access application through the form (its
 * validation in words, then submitted); the two reviewers' approvals through the API (their
 * pages are not this area's) so a permit is issued and shows on the project page; a cohort query
 * under that permit built with the concept search (type 2 diabetes, E11), run, its attrition and
 * result table shown, its release requested and listed as pending. No page error anywhere.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  apiCall,
  apiToken,
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
let context: BrowserContext;
let page: Page;
let errors: string[];
/** The project the application test creates, used by the following tests. */
let projectId = '';

before(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
  context = await newContext(browser, demo);
  page = await context.newPage();
  errors = watchErrors(page);
  await logIn(page, demo, 'chercheuse');
});
after(async () => {
  await context?.close();
  await browser?.close();
  await demo?.stop();
});

/** Logs in through the API and returns a session token. */
async function token(login: string): Promise<string> {
  return apiToken(demo, login);
}

async function call(tok: string, method: string, path: string, body?: unknown): Promise<unknown> {
  return apiCall(demo, tok, method, path, body);
}

test('the catalogue and the statistics of a table', async () => {
  await page.goto('/recherche');
  await page.getByRole('heading', { level: 1, name: 'Espace recherche' }).waitFor();
  // The demo's seeded project and permit are listed.
  await page
    .locator('main')
    .getByRole('link', { name: /Diabète de type 2/ })
    .first()
    .waitFor();
  await page.locator('main').getByRole('link', { name: 'Catalogue des données' }).click();
  await page.getByRole('heading', { level: 1, name: 'Catalogue des données' }).waitFor();
  await expand(page.getByRole('button', { name: /^condition_occurrence — / }));
  await page
    .getByRole('table', { name: 'Variables de la table condition_occurrence' })
    .getByText('condition_concept_id')
    .waitFor();
  await page
    .getByRole('link', { name: 'Statistiques descriptives de condition_occurrence' })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Table condition_occurrence' }).waitFor();
  const stats = page.getByRole('table', {
    name: 'Statistiques par variable de la table condition_occurrence',
  });
  await stats.waitFor({ timeout: 60_000 });
  // Top values of a concept column are named with their code.
  await stats
    .getByText(/CIM10 [A-Z]\d/)
    .first()
    .waitFor();
  const rows = await page.getByText('Nombre de lignes').locator('..').innerText();
  assert.match(rows, /\d/);
  await screenshot(page, 'researcher-catalogue');
  assert.deepEqual(errors, []);
});

test('a new project and an access application, submitted', async () => {
  await page.goto('/recherche/projets/nouveau');
  await page.getByRole('heading', { level: 1, name: 'Créer un projet de recherche' }).waitFor();
  // An empty form is explained field by field.
  await page.getByRole('button', { name: 'Créer le projet' }).click();
  await page.getByText('Ce champ est obligatoire.').first().waitFor();
  await page.getByLabel('Titre').fill('Diabète de type 2 et hospitalisations (e2e)');
  await page.getByLabel('Finalité').fill('Décrire les hospitalisations des personnes diabétiques.');
  await page.getByLabel('Base légale').fill('RGPD art. 6(1)(e) et 9(2)(j) ; MR-004');
  await page.getByLabel('Résumé public').fill('Combien de personnes diabétiques, et où ?');
  await page.getByRole('button', { name: 'Créer le projet' }).click();
  await page.waitForURL(/\/recherche\/projets\/[0-9a-f-]{36}$/);
  projectId = /projets\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
  await page.getByRole('heading', { level: 1, name: /hospitalisations \(e2e\)/ }).waitFor();
  await page.getByText('Aucune demande d’accès pour ce projet.').waitFor();

  await page.getByRole('link', { name: 'Nouvelle demande d’accès' }).click();
  await page.getByRole('heading', { level: 1, name: 'Demande d’accès aux données' }).waitFor();
  // Submitting without data is refused in words, before the server is asked.
  await page.getByRole('button', { name: 'Enregistrer et soumettre au comité' }).click();
  await page.getByText('Ajoutez au moins une table.').waitFor();
  for (const table of [
    'person',
    'location',
    'observation_period',
    'condition_occurrence',
    'death',
  ]) {
    await page.getByLabel('Table à ajouter').selectOption(table);
    await page.getByRole('button', { name: 'Ajouter la table' }).click();
    await page.getByRole('group', { name: `Variables demandées de la table ${table}` }).waitFor();
  }
  await page.getByLabel('Âge minimal (ans)').fill('18');
  await page.getByLabel('Âge maximal (ans)').fill('130');
  await page.getByLabel('Départements').fill('99');
  await page.getByRole('button', { name: 'Enregistrer et soumettre au comité' }).click();
  await page.getByText(/Un code de département est invalide/).waitFor();
  await page.getByLabel('Départements').fill('');
  await page
    .getByLabel('Justification')
    .fill('Agrégats par sexe et classe d’âge uniquement ; aucun export individuel.');
  await screenshot(page, 'researcher-application');
  await page.getByRole('button', { name: 'Enregistrer et soumettre au comité' }).click();
  await page.waitForURL(new RegExp(`/recherche/projets/${projectId}$`));
  const applications = page.getByRole('table', { name: /Demandes d’accès du projet/ });
  await applications.getByText('soumise').waitFor();
  assert.deepEqual(errors, []);
});

test('two reviewers approve (API): the project page shows the permit', async () => {
  assert.ok(projectId, 'the previous test created a project');
  const researcher = await token('chercheuse');
  const apps = (await call(researcher, 'GET', `/api/v1/projects/${projectId}/applications`)) as {
    id: string;
    status: string;
  }[];
  const app = apps[0];
  assert.ok(app);
  assert.equal(app.status, 'submitted');
  const r1 = await token('relecteur-1');
  const r2 = await token('relecteur-2');
  await call(r1, 'POST', `/api/v1/applications/${app.id}/start-review`, {});
  await call(r1, 'POST', `/api/v1/applications/${app.id}/reviews`, { decision: 'approve' });
  const outcome = (await call(r2, 'POST', `/api/v1/applications/${app.id}/reviews`, {
    decision: 'approve',
    comment: 'Périmètre proportionné.',
  })) as { permit: { id: string } | null };
  assert.ok(outcome.permit, 'the second approval issues the permit');

  await page.reload();
  const permits = page.getByRole('table', { name: 'Autorisations délivrées au projet' });
  await permits.getByText(outcome.permit.id.slice(0, 8)).waitFor();
  await permits.getByText('active').waitFor();
  await page
    .getByRole('table', { name: /Demandes d’accès du projet/ })
    .getByText('approuvée')
    .waitFor();
  assert.deepEqual(errors, []);
});

test('a cohort query with the concept search, its results, and a release request', async () => {
  await page
    .getByRole('table', { name: 'Autorisations délivrées au projet' })
    .getByRole('link', { name: 'Interroger les données' })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Construire et lancer une requête' }).waitFor();
  const search = page.getByRole('combobox', { name: /Rechercher un code ou un libellé/ });
  await search.fill('E11');
  const option = page.getByRole('option', { name: /^E11 — Diabète sucré de type 2/ });
  await option.click();
  await page.getByRole('table', { name: 'Codes du jeu' }).getByText('CIM10 E11').waitFor();
  // DSFR draws its own box over the native checkbox: click the label, as a user does.
  await page.locator('label', { hasText: 'Prévalence sur la période' }).click();
  assert.ok(await page.getByLabel('Prévalence sur la période').isChecked());
  // Nothing computed before the permit's checks pass: the run shows progress, then results.
  await page.getByRole('button', { name: 'Lancer la requête' }).click();
  await page.getByRole('heading', { name: 'Résultats contrôlés' }).waitFor({ timeout: 120_000 });
  await page.getByRole('heading', { name: 'Attrition de la cohorte' }).waitFor();
  assert.ok(
    (await page.getByTestId('attrition-chart').locator('.recharts-bar-rectangle').count()) > 0,
    'the attrition chart draws bars',
  );
  const attrition = page.getByRole('table', {
    name: 'Personnes restantes à chaque étape de la cohorte',
  });
  assert.match(await attrition.innerText(), /1\. entry events\s+\d/);
  const persons = page.getByRole('table', { name: 'Résultat de la mesure persons, par strate' });
  await persons.getByText('Femmes').waitFor();
  await persons.getByText('Hommes').waitFor();
  await page
    .getByRole('table', { name: /Ce que le contrôle du secret statistique a publié/ })
    .waitFor();
  await screenshot(page, 'researcher-query');

  await page.getByLabel('Justification').fill('Publication : prévalence du diabète par sexe.');
  await page.getByRole('button', { name: 'Demander la sortie' }).click();
  await page.getByText('Demande de sortie envoyée : elle est en attente d’examen.').waitFor();
  const list = page.getByRole('table', { name: 'Demandes de sortie et leur état' });
  await list.getByText('en attente').waitFor();
  await list.getByText('Publication : prévalence du diabète par sexe.').waitFor();
  assert.deepEqual(errors, []);
});

test('the researcher pages in English; a pending release request can be withdrawn', async () => {
  await page.getByRole('button', { name: 'Retirer la demande' }).click();
  await page
    .getByRole('table', { name: 'Demandes de sortie et leur état' })
    .getByText('retirée')
    .waitFor();
  await page.evaluate("localStorage.setItem('hygie.language', 'en')");
  await page.goto('/recherche');
  await page.getByRole('heading', { level: 1, name: 'Research' }).waitFor();
  await page.getByRole('table', { name: 'Permits issued to your projects' }).waitFor();
  await page.goto('/recherche/catalogue');
  await page.getByRole('heading', { level: 1, name: 'Data catalogue' }).waitFor();
  await page.evaluate("localStorage.setItem('hygie.language', 'fr')");
  assert.deepEqual(errors, []);
});
