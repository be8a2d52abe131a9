#!/usr/bin/env node
// Builds the web console (not run at run time): copies the French State design system's static
// assets (CSS, fonts, icons, favicons — no CDN: the platform runs air-gapped) into web/public/dsfr,
// type-checks the app, then bundles it with Vite into dist/web, which `hygie serve` serves.
// HYGIE_CONSOLE_OUT builds elsewhere (several builds at once; serve it with HYGIE_CONSOLE_DIR).
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dsfr = join(dirname(require.resolve('@codegouvfr/react-dsfr/package.json')), 'dsfr');
const target = join(root, 'web', 'public', 'dsfr');

// Only what the pages load: the minified CSS, the icon classes and the files they reference.
// Copied once per design-system version, into a fresh directory renamed into place, so that
// concurrent builds never see a half-copied one.
const version = JSON.parse(readFileSync(join(dirname(dsfr), 'package.json'), 'utf8')).version;
const stamp = join(target, '.version');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== version) {
  const fresh = `${target}.${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh, { recursive: true });
  for (const entry of [
    'dsfr.min.css',
    'fonts',
    'icons',
    'favicon',
    'utility/icons/icons.min.css',
  ]) {
    const from = join(dsfr, entry);
    if (!existsSync(from)) throw new Error(`@codegouvfr/react-dsfr: ${entry} not found in ${dsfr}`);
    cpSync(from, join(fresh, entry), { recursive: true, filter: (f) => !f.endsWith('.map') });
  }
  writeFileSync(join(fresh, '.version'), version);
  rmSync(target, { recursive: true, force: true });
  renameSync(fresh, target);
}

const tsc = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', join(root, 'web', 'tsconfig.json'), '--noEmit'],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
