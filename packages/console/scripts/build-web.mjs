#!/usr/bin/env node
// Builds the web console (not run at run time): copies the French State design system's static
// assets (CSS, fonts, icons, favicons — no CDN: the platform runs air-gapped) into web/public/dsfr,
// type-checks the app, then bundles it with Vite into dist/web, which `hygie serve` serves.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
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
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const entry of ['dsfr.min.css', 'fonts', 'icons', 'favicon', 'utility/icons/icons.min.css']) {
  const from = join(dsfr, entry);
  if (!existsSync(from)) throw new Error(`@codegouvfr/react-dsfr: ${entry} not found in ${dsfr}`);
  cpSync(from, join(target, entry), { recursive: true, filter: (f) => !f.endsWith('.map') });
}

const tsc = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', join(root, 'web', 'tsconfig.json'), '--noEmit'],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
