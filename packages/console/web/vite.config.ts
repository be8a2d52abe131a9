import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));

// The console is served by the Hygie server from dist/web; in development, `npm run dev -w
// @hygie/console` proxies the API to a server on :8080.
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir:
      process.env['HYGIE_CONSOLE_OUT'] ?? fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
