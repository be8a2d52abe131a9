/**
 * The access committee, the output checker and the administrators in a real browser against
 * `hygie demo`: two reviewers approve an application a researcher submitted (set up through the
 * API) and the page shows the permit issued, a second review by the same person is refused in
 * words; the output checker reads the disclosure report of a release request and approves it,
 * after which the researcher downloads the release; an administrator reads the ingestion
 * batches, a quarantine, the key status, and creates, lists and disables an account.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  apiCall,
  choose,
  expand,
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

before(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** Opens an API session for a demo account. */
async function tokenOf(login: string): Promise<string> {
  return apiToken(demo, login);
}

/** Calls the API as `token`, asserting the status, and returns the JSON answer. */
async function call<T>(
  token: string,
  method: string,
  path: string,
  body: unknown,
  status: number,
): Promise<T> {
  return apiCall<T>(demo, token, method, path, body, status);
}

/** Errors of a page, without the failed requests a refused action shows in the console. */
function pageErrors(errors: readonly string[], allowed: RegExp): string[] {
  return errors.filter((e) => !allowed.test(e));
}

/** The application the researcher submits (the demo's own, a shorter period). */
const APPLICATION = {
  data: [
    { table: 'person', variables: ['person_id', 'gender_concept_id', 'year_of_birth'] },
    {
      table: 'condition_occurrence',
      variables: ['person_id', 'condition_concept_id', 'condition_start_date'],
    },
  ],
  population: { ageRange: { min: 18, max: 130 } },
  period: { from: '2020-01-01', to: '2023-12-31' },
  durationMonths: 12,
  accessMode: 'aggregate_only',
  justification: 'Agrégats par sexe et année uniquement.',
  requestedEpsilon: 1,
};

let applicationId = '';

async function decide(page: Page, comment: string): Promise<void> {
  const main = page.locator('main');
  await choose(main.getByRole('radio', { name: /^Approuver/ }));
  await main.getByLabel(/Commentaire/).fill(comment);
  await main.getByRole('button', { name: 'Enregistrer mon avis' }).click();
}

test('the committee reviews an application; the deciding approval shows the permit', async () => {
  const researcher = await tokenOf('chercheuse');
  const project = await call<{ id: string }>(
    researcher,
    'POST',
    '/api/v1/projects',
    {
      title: 'Comorbidités des adultes (test de bout en bout)',
      purpose: 'Décrire la fréquence des comorbidités des adultes par sexe et par année.',
      legalBasis: 'RGPD art. 9(2)(j) ; MR-004',
      publicSummary: 'Des taux de comorbidités agrégés par sexe et par année.',
    },
    201,
  );
  const draft = await call<{ id: string }>(
    researcher,
    'POST',
    `/api/v1/projects/${project.id}/applications`,
    APPLICATION,
    201,
  );
  applicationId = draft.id;
  await call(
    researcher,
    'POST',
    `/api/v1/applications/${draft.id}/submit`,
    { reason: 'Complet' },
    200,
  );

  // The first reviewer: the queue, the application, opening the review, an approval.
  const context1 = await newContext(browser, demo);
  const page1 = await context1.newPage();
  const errors1 = watchErrors(page1);
  await logIn(page1, demo, 'relecteur-1');
  await page1.goto('/comite');
  await page1.getByRole('heading', { level: 1, name: /Comité d’accès/ }).waitFor();
  const link = page1.getByRole('link', { name: 'Comorbidités des adultes (test de bout en bout)' });
  await link.waitFor();
  await screenshot(page1, 'reviewer-queue');
  await link.click();
  await page1.getByRole('heading', { level: 1, name: /Comorbidités des adultes/ }).waitFor();
  await page1.getByRole('table', { name: 'Tables et variables demandées' }).first().waitFor();
  await page1.locator('main').getByRole('button', { name: 'Ouvrir l’examen' }).click();
  await page1.getByRole('heading', { name: 'Votre avis sur la version 1' }).waitFor();
  await decide(page1, 'Finalité claire, variables minimales.');
  await page1
    .getByText(/Avis enregistré \(Approuver\)\. Approbations : 1 sur 2 requises/)
    .waitFor();
  // Approving the same version twice is refused, and said in words.
  await page1.locator('main').getByRole('button', { name: 'Enregistrer mon avis' }).click();
  await page1.locator('main').getByRole('alert').first().waitFor();
  await page1.getByText(/chaque membre du comité ne se prononce qu’une fois par version/).waitFor();
  assert.deepEqual(pageErrors(errors1, /409/), []);
  await context1.close();

  // The second reviewer's approval decides: the permit is issued and shown.
  const context2 = await newContext(browser, demo);
  const page2 = await context2.newPage();
  const errors2 = watchErrors(page2);
  await logIn(page2, demo, 'relecteur-2');
  await page2.goto(`/comite/demandes/${draft.id}`);
  await page2
    .getByText('Approbations sur la version 1 : 1 donnée(s), 2 requise(s).', { exact: false })
    .waitFor();
  await decide(page2, 'Conforme à la MR-004.');
  await page2.getByRole('heading', { name: 'Autorisation délivrée' }).waitFor();
  assert.match(await page2.locator('main').innerText(), /budget ε de 1/);
  await page2
    .getByText(/approuvée/)
    .first()
    .waitFor();
  await screenshot(page2, 'reviewer-decision');
  assert.deepEqual(errors2, []);
  await context2.close();

  const approved = await call<{ status: string }>(
    researcher,
    'GET',
    `/api/v1/applications/${draft.id}`,
    undefined,
    200,
  );
  assert.equal(approved.status, 'approved');
});

test('the output checker reads the disclosure report and approves; the release downloads', async () => {
  const researcher = await tokenOf('chercheuse');
  const permits = await call<{ id: string; projectId: string; applicationId: string }[]>(
    researcher,
    'GET',
    '/api/v1/permits',
    undefined,
    200,
  );
  const permit = permits.find((p) => p.applicationId !== applicationId);
  assert.ok(permit, 'the demo permit');
  const run = await call<{ runId: string }>(
    researcher,
    'POST',
    `/api/v1/projects/${permit.projectId}/queries`,
    {
      permitId: permit.id,
      query: {
        version: 1,
        period: { from: '2021-01-01', to: '2021-12-31' },
        measures: [{ kind: 'person_count', name: 'persons' }],
        stratify: ['departement'],
      },
    },
    201,
  );
  const request = await call<{ id: string }>(
    researcher,
    'POST',
    `/api/v1/queries/${run.runId}/release-requests`,
    { justification: 'Figure 1 de l’article : effectifs par département en 2021.' },
    201,
  );

  const context = await newContext(browser, demo);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await logIn(page, demo, 'controleur');
  await page.goto('/controle');
  await page.getByRole('heading', { level: 1, name: /Contrôle des sorties/ }).waitFor();
  await page.getByRole('link', { name: `Demande ${request.id.slice(0, 8)}` }).click();
  await page.getByRole('heading', { name: 'Rapport du contrôle du secret statistique' }).waitFor();
  await page.getByRole('table', { name: 'Contrôles effectués sur « persons »' }).waitFor();
  await screenshot(page, 'airlock');
  // The cells of a long result are folded below the checks.
  await expand(page.getByRole('button', { name: /Le résultat : \d+ cases/ }));
  const cells = page.getByRole('table', { name: /Cases du tableau « persons »/ });
  await cells.waitFor();
  const text = await page.locator('main').innerText();
  assert.match(text, /Effectif minimal par case \(k\)/);
  assert.match(text, /Figure 1 de l’article/);
  // Small départements are withheld, said in words, never shown as 0.
  assert.match(await cells.innerText(), /masqué \(petit effectif\)/);
  await choose(page.locator('main').getByRole('radio', { name: 'Approuver la publication' }));
  await page.locator('main').getByRole('button', { name: 'Enregistrer la décision' }).click();
  await page.getByText('Publication approuvée').waitFor();
  const released = await page.locator('main').innerText();
  const releaseId = /publication ([0-9a-f-]{36})/.exec(released)?.[1];
  assert.ok(releaseId, released);
  assert.deepEqual(errors, []);
  await context.close();

  const download = await fetch(`${demo.url}/api/v1/releases/${releaseId}/download?format=csv`, {
    headers: { authorization: `Bearer ${researcher}` },
  });
  assert.equal(download.status, 200);
  const csv = await download.text();
  assert.match(csv.split('\n')[0] ?? '', /^table,measure,departement,value,persons,suppressed/);
});

test('an administrator reads batches, a quarantine, the keys, and manages accounts', async () => {
  const context = await newContext(browser, demo);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await logIn(page, demo, 'admin');
  await page.goto('/admin');
  await page.getByRole('heading', { level: 1, name: 'Administration de la plateforme' }).waitFor();
  const batches = page.getByRole('table', { name: /Lots d’ingestion, du plus récent/ });
  await batches.waitFor();
  const listed = await batches.innerText();
  assert.match(listed, /snds/);
  assert.match(listed, /fhir-hospitals/);
  assert.match(listed, /publié/i);
  await screenshot(page, 'admin-batches');
  await expand(page.getByRole('button', { name: /Lot snds du/ }));
  await page.getByRole('table', { name: /Tables source du lot snds/ }).waitFor();
  assert.match(
    await page.getByRole('table', { name: /Tables source du lot snds/ }).innerText(),
    /IR_BEN_R/,
  );

  await page.getByRole('link', { name: 'Quarantaine du lot snds' }).click();
  await page.getByRole('heading', { level: 1, name: 'Quarantaine du lot snds' }).waitFor();
  await page
    .getByText(/Aucune ligne en quarantaine|lignes? en quarantaine\./)
    .first()
    .waitFor();

  await page.goto('/admin/cles');
  await page
    .getByText(/Les données de l’entrepôt sont pseudonymisées avec la clé en service/)
    .waitFor();

  await page.locator('main').getByRole('tab', { name: 'Comptes' }).click();
  await page.waitForURL(/\/admin\/comptes$/);
  const main = page.locator('main');
  await main.getByLabel('Identifiant').fill('nouvelle-chercheuse');
  await main.getByLabel('Nom affiché').fill('Léa Martin (recherche)');
  const create = main.getByRole('form', { name: 'Créer un compte' });
  await choose(create.getByLabel('recherche'));
  await main.getByLabel(/Mot de passe initial/).fill('un mot de passe assez long');
  await main.getByRole('button', { name: 'Créer le compte' }).click();
  await page.getByText('Compte nouvelle-chercheuse créé.').waitFor();
  const row = main.getByRole('row', { name: /nouvelle-chercheuse/ });
  await row.waitFor();
  assert.match(await row.innerText(), /recherche/);
  assert.match(await row.innerText(), /actif/i);
  await screenshot(page, 'admin-users');

  // Disabling asks first, then the account reads as disabled.
  await main.getByRole('button', { name: 'Désactiver nouvelle-chercheuse' }).click();
  await page.getByText('Désactiver le compte nouvelle-chercheuse ?').waitFor();
  await main.getByRole('button', { name: 'Confirmer la désactivation' }).click();
  await page.getByText('Compte nouvelle-chercheuse désactivé.').waitFor();
  await main.getByRole('row', { name: /nouvelle-chercheuse.*désactivé/i }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
