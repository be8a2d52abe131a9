/** @hygie/cli — the `hygie` command. */
export { buildProgram, main } from './main.js';
