// Client build: one entry per role so each loads only its own code; the association public keys that the
// resident pins are read from PINS_FILE (written by `npm run admin -- association add`) and inlined at build.
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = resolve(import.meta.dirname, 'client');
const pinsFile = resolve(process.env.PINS_FILE ?? resolve(import.meta.dirname, 'data/pins.json'));
const pins: Record<string, string> = existsSync(pinsFile) ? JSON.parse(readFileSync(pinsFile, 'utf8')) : {};
const exitUrl = process.env.EXIT_URL ?? 'https://it.wikipedia.org/wiki/Milano';

/** Puts the neutral exit address into the HTML so Exit works as a plain link before any script runs. */
function exitUrlInHtml(): Plugin {
  return {
    name: 'helpdesk-exit-url',
    transformIndexHtml: (html) => html.replaceAll('%EXIT_URL%', exitUrl.replaceAll('"', '&quot;')),
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), exitUrlInHtml()],
  define: {
    __PINNED_KEYS__: JSON.stringify(pins),
    __EXIT_URL__: JSON.stringify(exitUrl),
  },
  build: {
    outDir: resolve(process.env.CLIENT_OUT_DIR ?? resolve(import.meta.dirname, 'dist/client')),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    sourcemap: false,
    rollupOptions: {
      input: {
        resident: resolve(root, 'index.html'),
        console: resolve(root, 'console/index.html'),
      },
    },
  },
});
