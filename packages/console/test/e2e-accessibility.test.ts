/**
 * Accessibility of the key pages, checked by axe-core (the WCAG 2.1 A and AA rules it can test
 * automatically — labels, names, contrast, landmarks, ARIA, lists, tables) in Chromium against
 * `hygie demo`: no serious or critical violation on any page, in French and in English.
 * Automated rules cover part of RGAA/WCAG only; the rest needs a human audit.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logIn, newContext, startDemo } from './e2e-harness.js';
import type { Demo } from './e2e-harness.js';

// Evaluated through the DevTools protocol: the console's CSP rightly refuses an injected script.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let demo: Demo;
let browser: Browser;

before(async () => {
  demo = await startDemo({ surveillance: true });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await demo?.stop();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** The serious and critical WCAG A/AA violations of the page as it stands. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const found = await page.evaluate<Violation[]>(`
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target.map(String) })) })))`);
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/** Pages to check, and what shows each is loaded. */
const PAGES: readonly { login: string | null; path: string; ready: string }[] = [
  { login: null, path: '/', ready: 'main h1' },
  { login: null, path: '/projets', ready: 'main h2, main .fr-card' },
  { login: null, path: '/transparence', ready: 'main table' },
  { login: null, path: '/mes-donnees', ready: 'main form' },
  { login: null, path: '/connexion', ready: 'main form' },
  { login: 'chercheuse', path: '/recherche', ready: 'main table' },
  { login: 'chercheuse', path: '/recherche/catalogue', ready: 'main .fr-accordion' },
  { login: 'chercheuse', path: '/recherche/projets/nouveau', ready: 'main form' },
  { login: 'relecteur-1', path: '/comite', ready: 'main h1' },
  { login: 'controleur', path: '/controle', ready: 'main h1' },
  { login: 'analyste', path: '/veille', ready: 'main svg' },
  { login: 'analyste', path: '/veille/alertes', ready: 'main h1' },
  { login: 'admin', path: '/admin', ready: 'main table' },
  { login: 'admin', path: '/admin/comptes', ready: 'main table' },
];

for (const locale of ['fr-FR', 'en-GB'] as const) {
  test(`no serious or critical WCAG violation on the key pages (${locale})`, async () => {
    const problems: string[] = [];
    for (const login of [...new Set(PAGES.map((p) => p.login))]) {
      const context = await newContext(browser, demo, locale);
      const page = await context.newPage();
      if (locale === 'en-GB') {
        await page.goto('/');
        await page.evaluate("localStorage.setItem('hygie.language', 'en')");
      }
      if (login !== null) await logIn(page, demo, login);
      for (const p of PAGES.filter((x) => x.login === login)) {
        await page.goto(p.path);
        await page.locator(p.ready).first().waitFor({ timeout: 60_000 });
        for (const v of await violations(page)) problems.push(`${p.path}: ${v}`);
      }
      await context.close();
    }
    assert.deepEqual(problems, []);
  });
}
