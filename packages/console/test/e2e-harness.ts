/**
 * End-to-end harness: the real platform (`hygie demo` — a synthetic population generated,
 * ingested and served, with one account per role) and a real browser (Debian's Chromium driven
 * by playwright-core). Tests log in with the demo's printed accounts, as a newcomer would.
 *
 * One demo serves a whole test file: about 15 s to build at 5,000 persons, in a fresh temporary
 * directory (tests change the platform's state: applications, opt-outs) removed at the end.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(REPO, 'packages', 'cli', 'bin', 'hygie.js');

/** Where the screenshots of the key pages go when `HYGIE_SCREENSHOTS` names a directory. */
export const SCREENSHOT_DIR = process.env['HYGIE_SCREENSHOTS'];

/** Chromium's binary: Debian's package (see `scripts/ensure-chromium.mjs`). */
export function chromiumPath(): string {
  for (const p of [
    process.env['HYGIE_CHROMIUM'],
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ]) {
    if (p !== undefined && existsSync(p)) return p;
  }
  throw new Error(
    'Chromium not found: run `node scripts/ensure-chromium.mjs` (installs Debian’s chromium) or set HYGIE_CHROMIUM',
  );
}

/** A demo account as `hygie demo` prints it. */
export interface DemoAccount {
  readonly login: string;
  readonly password: string;
  readonly roles: readonly string[];
}

/** A running demo platform. */
export interface Demo {
  readonly url: string;
  readonly dir: string;
  readonly accounts: ReadonlyMap<string, DemoAccount>;
  /** A synthetic citizen: NIR and birth date (`YYYY-MM-DD`). */
  readonly citizen: { readonly nir: string; readonly birthDate: string } | null;
  /** Everything the server printed. */
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts `hygie demo` on a free port and waits until it serves. The surveillance computation the
 * server runs at its first start (about 25 s of both cores at 5,000 persons) is switched off
 * unless a test needs its alerts (`surveillance: true`): the other tests run beside it.
 */
export async function startDemo(
  options: { persons?: number; surveillance?: boolean } = {},
): Promise<Demo> {
  const persons = options.persons ?? 5000;
  const dir = mkdtempSync(join(tmpdir(), 'hygie-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      BIN,
      'demo',
      '--dir',
      dir,
      '--persons',
      String(persons),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '-q',
    ],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...(options.surveillance === true ? {} : { HYGIE_SURVEILLANCE_INTERVAL_HOURS: '0' }),
      },
    },
  );
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`demo did not start in 240 s:\n${out}`)),
      240_000,
    );
    const check = (): void => {
      const m = /Hygie is running at (http:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${out}`));
    });
  });
  const accounts = new Map<string, DemoAccount>();
  for (const m of out.matchAll(/^ {5}(\S+)\s+(\S+)\s+([a-z_, ]+) — /gm)) {
    const [, login, password, roles] = m;
    if (login && password && roles) {
      accounts.set(login, { login, password, roles: roles.split(',').map((r) => r.trim()) });
    }
  }
  const c = /NIR (\d{13,15}), born (\d{4}-\d{2}-\d{2})/.exec(out);
  return {
    url,
    dir,
    accounts,
    citizen: c?.[1] && c[2] ? { nir: c[1], birthDate: c[2] } : null,
    output: () => out,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches Debian's Chromium headless, with the flags a sandbox-less CI machine needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser context (its own storage) on the demo, in French unless asked otherwise. */
export async function newContext(
  browser: Browser,
  demo: Demo,
  locale = 'fr-FR',
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: demo.url,
    locale,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
}

/**
 * Collects what would make a page broken for its user: uncaught exceptions, console errors and
 * CSP violations. Tests assert it stays empty.
 */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** Logs in through the login page with a demo account. */
export async function logIn(page: Page, demo: Demo, login: string): Promise<void> {
  const account = demo.accounts.get(login);
  if (account === undefined)
    throw new Error(`no demo account ${login}: ${[...demo.accounts.keys()].join(', ')}`);
  await page.goto('/connexion');
  await page.getByLabel(/Identifiant|Login/).fill(account.login);
  await page.getByLabel(/Mot de passe|Password/).fill(account.password);
  await page
    .getByRole('button', { name: /Se connecter|Log in/ })
    .last()
    .click();
  await page.waitForURL((u) => !u.pathname.startsWith('/connexion'));
}

/** Saves a full-page screenshot as `<name>.png` when `HYGIE_SCREENSHOTS` is set. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOT_DIR === undefined || SCREENSHOT_DIR === '') return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Opens an API session for a demo account (to set up what another area's pages own). */
export async function apiToken(demo: Demo, login: string): Promise<string> {
  const account = demo.accounts.get(login);
  if (account === undefined) throw new Error(`no demo account ${login}`);
  const res = await fetch(`${demo.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: account.login, password: account.password }),
  });
  if (res.status !== 200) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * Calls the demo's API (as `token`, or anonymously with null) and returns its JSON answer; fails
 * unless the status is `status` (default: any 2xx).
 */
export async function apiCall<T>(
  demo: Demo,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  status?: number,
): Promise<T> {
  const res = await fetch(`${demo.url}${path}`, {
    method,
    headers: {
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const ok = status === undefined ? res.ok : res.status === status;
  if (!ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

/**
 * Checks a radio button or checkbox of the design system. Its input is drawn by its label (the
 * input itself is transparent), and a click by coordinates can miss it when the page is still
 * laying out (a report loading above it); the click event is dispatched on the input instead,
 * as a keyboard or assistive technology activates it, and the state is then awaited.
 */
export async function choose(input: Locator): Promise<void> {
  await input.waitFor({ state: 'attached' });
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await input.isChecked()) return;
    await input.dispatchEvent('click');
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the input could not be checked');
}

/**
 * Opens a design-system accordion (or any disclosure button) and waits until it says it is open
 * (`aria-expanded`): a click landing before the design system's script is ready is repeated.
 */
export async function expand(button: Locator): Promise<void> {
  await button.waitFor();
  for (let attempt = 0; attempt < 20; attempt++) {
    if ((await button.getAttribute('aria-expanded')) === 'true') return;
    await button.click();
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the accordion did not open');
}
