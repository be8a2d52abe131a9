#!/usr/bin/env node
// Makes sure Debian's Chromium is installed for the console's end-to-end tests (playwright-core
// drives it; no browser is downloaded from outside). Idempotent: does nothing when it is there.
// As root it installs the `chromium` package with apt-get (updating the package lists once if the
// first attempt fails); otherwise it says what to run. HYGIE_CHROMIUM names another binary.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const candidates = [process.env.HYGIE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
if (candidates.some((p) => p && existsSync(p))) process.exit(0);

if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
  process.stderr.write(
    'The console end-to-end tests need Chromium: run `sudo apt-get install -y chromium` ' +
      '(or set HYGIE_CHROMIUM to a Chromium binary).\n',
  );
  process.exit(1);
}

const apt = (...args) =>
  spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status === 0;

process.stdout.write('Installing Debian’s chromium for the console end-to-end tests…\n');
if (!apt('install', '-y', '--no-install-recommends', 'chromium')) {
  if (!apt('update') || !apt('install', '-y', '--no-install-recommends', 'chromium')) {
    process.stderr.write('apt-get could not install chromium.\n');
    process.exit(1);
  }
}
if (!existsSync('/usr/bin/chromium')) {
  process.stderr.write('chromium was installed but /usr/bin/chromium is missing.\n');
  process.exit(1);
}
