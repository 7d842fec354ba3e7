// Client build: one entry per role so each loads only its own code; the association public keys that the
// resident pins are read from PINS_FILE (written by `npm run admin -- association add`) and inlined at build.
//
// Two builds into one folder, picked by CLIENT_TARGET (`npm run build` and server/client-build.ts run both):
// - `resident` (default, first: empties the folder): the phone page `/` (+ `/safety` when present), written
//   against the React API but bundled with preact/compat, which keeps the first load within its 60 KB gzip
//   budget (see bench/resident-budget.ts). RESIDENT_RUNTIME=react builds it with real React (budget baseline).
// - `console`: the counsellor console `/console` and the supervisor's page `/supervisor`, with real React
//   (desktop; libsodium-sumo dominates it).
// Aliases are global to a Vite build, hence two builds rather than two inputs of one.
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Alias, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = resolve(import.meta.dirname, 'client');
const pinsFile = resolve(process.env.PINS_FILE ?? resolve(import.meta.dirname, 'data/pins.json'));
const pins: Record<string, string> = existsSync(pinsFile) ? JSON.parse(readFileSync(pinsFile, 'utf8')) : {};
const exitUrl = process.env.EXIT_URL ?? 'https://it.wikipedia.org/wiki/Milano';
const outDir = resolve(process.env.CLIENT_OUT_DIR ?? resolve(import.meta.dirname, 'dist/client'));

const CLIENT_TARGETS = ['resident', 'console'] as const;
type ClientTarget = (typeof CLIENT_TARGETS)[number];
const target = (process.env.CLIENT_TARGET ?? 'resident') as ClientTarget;
if (!CLIENT_TARGETS.includes(target)) throw new Error(`vite.config: CLIENT_TARGET must be one of ${CLIENT_TARGETS.join(', ')}`);
const residentRuntime = process.env.RESIDENT_RUNTIME === 'react' ? 'react' : 'preact';

/** The quick-exit handlers, as their own tiny entry that runs before (and without waiting for) the app. */
const EXIT_ENTRY = resolve(root, 'resident/quick-exit.ts');

/** Where each build writes its Vite manifest (dot folder: express.static does not serve it). */
const MANIFESTS: Record<ClientTarget, string> = { resident: '.vite/manifest-resident.json', console: '.vite/manifest-console.json' };

/** React API, preact implementation: exact specifiers only, so `react-dom/client` does not become `preact/compat/client` by prefix. */
const PREACT_ALIASES: Alias[] = [
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
];

/** Puts the neutral exit address into the HTML so Exit works as a plain link before any script runs. */
function exitUrlInHtml(): Plugin {
  return {
    name: 'helpdesk-exit-url',
    transformIndexHtml: (html) => html.replaceAll('%EXIT_URL%', exitUrl.replaceAll('"', '&quot;')),
  };
}

/**
 * Vite merges every module script of a page into one entry, so the exit script is a separate input and its
 * tag is added here: `async` (runs as soon as it arrives: waits neither for the app bundle, nor the CSS, nor
 * the end of parsing) and first in the head, on every page that has the exit link. The app imports the same
 * chunk, so both share one module instance.
 */
function earlyExitScript(): Plugin {
  return {
    name: 'helpdesk-early-exit-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!html.includes('id="quick-exit"') || !ctx.bundle) return html;
        const chunk = Object.values(ctx.bundle).find((c) => c.type === 'chunk' && c.isEntry && c.facadeModuleId === EXIT_ENTRY);
        if (!chunk) throw new Error('vite.config: the quick-exit entry chunk is missing');
        const tag = `<script type="module" async fetchpriority="high" crossorigin src="/${chunk.fileName}"></script>`;
        // Right after the charset declaration, so the preload scanner requests it before anything else.
        return html.replace(/(<meta charset="utf-8"\s*\/?>)/i, `$1\n    ${tag}`);
      },
    },
  };
}

/**
 * Writes a gzip (level 9) copy next to every script and stylesheet, `x.js.gz`, for a server that answers
 * `Accept-Encoding: gzip` with it: on a slow phone the page then moves about a third of the bytes. Compressing
 * fixed build output reflects nothing from any request, so it discloses nothing (unlike compressing responses).
 */
function precompress(): Plugin {
  return {
    name: 'helpdesk-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? outDir;
      for (const file of Object.values(bundle)) {
        if (!/\.(?:js|css)$/.test(file.fileName)) continue;
        const body = file.type === 'chunk' ? file.code : file.source;
        writeFileSync(join(dir, `${file.fileName}.gz`), gzipSync(body, { level: 9 }));
      }
    },
  };
}

function inputs(): Record<string, string> {
  // The supervisor's page shares the console's React and libsodium-sumo chunks.
  if (target === 'console') return { console: resolve(root, 'console/index.html'), supervisor: resolve(root, 'supervisor/index.html') };
  const input: Record<string, string> = { resident: resolve(root, 'index.html'), exit: EXIT_ENTRY };
  const safety = resolve(root, 'safety.html');
  if (existsSync(safety)) input.safety = safety;
  return input;
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), exitUrlInHtml(), precompress(), ...(target === 'resident' ? [earlyExitScript()] : [])],
  resolve: { alias: target === 'resident' && residentRuntime === 'preact' ? PREACT_ALIASES : [] },
  define: {
    __PINNED_KEYS__: JSON.stringify(pins),
    __EXIT_URL__: JSON.stringify(exitUrl),
  },
  build: {
    outDir,
    // The resident build runs first and starts from an empty folder; the console build adds to it.
    emptyOutDir: target === 'resident',
    manifest: MANIFESTS[target],
    modulePreload: { polyfill: false },
    sourcemap: false,
    rolldownOptions: {
      input: inputs(),
      // The exit entry keeps its exports so the app imports the handlers from it instead of a third chunk.
      preserveEntrySignatures: 'allow-extension',
    },
  },
});
