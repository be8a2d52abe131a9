/**
 * The web console's built assets, for the server: `hygie serve` serves the single-page app
 * built by Vite (`npm run build` runs `scripts/build-web.mjs`) from this package's `dist/web`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The directory of the built console (`index.html` and `assets/`); `HYGIE_CONSOLE_DIR` serves
 * another build (one made with `HYGIE_CONSOLE_OUT`).
 */
export function consoleAssetsDir(): string {
  return process.env['HYGIE_CONSOLE_DIR'] ?? fileURLToPath(new URL('../web/', import.meta.url));
}

/** Whether the console has been built (`index.html` exists). */
export function consoleIsBuilt(dir: string = consoleAssetsDir()): boolean {
  return existsSync(`${dir}/index.html`);
}
