// `npm run budget` (also the last step of `npm run bench`): figures for the resident's phone page, not
// pass/fail. Needs a built client (`npm run build`; BUDGET_CLIENT_DIR picks another folder) and builds nothing
// of what it measures; only the bare-React baseline is built, into a temporary folder (BUDGET_BASELINE=0 skips).
// - Initial JS+CSS: everything the page loads before its first screen is interactive (module scripts,
//   modulepreloads and stylesheets of the built index.html, plus their static imports by Vite's manifest),
//   each file gzipped with zlib at level 9; budget 60 KB. The lazily loaded chunks (libsodium, Socket.IO) apart.
// - Time to an interactive exit control: Chromium as a slow 3G phone (400 kbit/s, 400 ms RTT, 4x CPU, 360x740),
//   navigation start to `data-exit-ready` on <html>, median of cold loads (new context each); budget 1.5 s.
// - Tap to blank: a tap on Exit to the page blanked (html.exiting / body hidden), measured inside the page on the
//   same 4x slower CPU; the neutral site is answered locally, so nothing leaves the machine.
// Everything runs on loopback with bounded counts and timeouts. KB = 1000 bytes, as Vite reports them.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildClient, PROJECT_ROOT } from '../server/client-build.ts';
import { startCluster, stopSharedRedis, type TestCluster } from '../test/support/cluster.ts';

const BUDGET_INITIAL_KB = 60;
const BUDGET_EXIT_READY_MS = 1_500;
const RUNS = Math.min(Math.max(Number(process.env.BUDGET_RUNS ?? 5) || 5, 1), 21);
const CLIENT_DIR = process.env.BUDGET_CLIENT_DIR ?? join(PROJECT_ROOT, 'dist/client');
const RESIDENT_MANIFEST = '.vite/manifest-resident.json';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
/** Slow 3G, in the units of CDP's Network.emulateNetworkConditions (bytes per second, ms). */
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8 };
const CPU_SLOWDOWN = 4;
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'it-IT' };
const LOAD_TIMEOUT_MS = 60_000;

const line = (s: string) => process.stdout.write(`${s}\n`);
const kb = (bytes: number) => bytes / 1000;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// ---------------------------------------------------------------------------------------------------------
// Sizes

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export interface FileSize {
  file: string;
  bytes: number;
  gzip: number;
}

export interface Sizes {
  initial: FileSize[];
  initialGzip: number;
  initialBytes: number;
  lazy: FileSize[];
  lazyGzip: number;
  htmlGzip: number;
}

function fileSize(dir: string, file: string): FileSize {
  const body = readFileSync(join(dir, file));
  return { file, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
}

/** Resources the built HTML loads up front: module scripts, modulepreloads and stylesheets (site-absolute paths). */
function htmlResources(html: string): string[] {
  const out: string[] = [];
  for (const tag of html.match(/<(?:script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag)?.[1];
    const isScript = /^<script/i.test(tag);
    const rel = attr('rel')?.toLowerCase();
    const url = isScript
      ? attr('type') === 'module'
        ? attr('src')
        : undefined
      : rel === 'modulepreload' || rel === 'stylesheet'
        ? attr('href')
        : undefined;
    if (url && url.startsWith('/') && !url.startsWith('//')) out.push(url.slice(1));
  }
  return out;
}

/** The initial and the lazily loaded files of the resident page built in `dir`. */
export function residentSizes(dir: string): Sizes {
  const manifest = JSON.parse(readFileSync(join(dir, RESIDENT_MANIFEST), 'utf8')) as Record<string, ManifestChunk>;
  const byFile = new Map(Object.values(manifest).map((c) => [c.file, c]));
  const html = readFileSync(join(dir, 'index.html'), 'utf8');

  // Static closure: a chunk, its static imports and their CSS.
  const closure = (roots: string[], into: Set<string>) => {
    const stack = [...roots];
    while (stack.length > 0) {
      const file = stack.pop()!;
      if (into.has(file)) continue;
      into.add(file);
      const chunk = byFile.get(file);
      if (!chunk) continue;
      for (const css of chunk.css ?? []) into.add(css);
      for (const key of chunk.imports ?? []) if (manifest[key]) stack.push(manifest[key].file);
    }
    return into;
  };
  const initial = closure(htmlResources(html), new Set());
  const lazyRoots = [...initial]
    .flatMap((f) => byFile.get(f)?.dynamicImports ?? [])
    .map((k) => manifest[k]?.file)
    .filter((f): f is string => !!f);
  // Lazy chunks and everything they pull in that is not already loaded (bounded by the manifest's size).
  const reachable = new Set<string>();
  for (let frontier = lazyRoots, round = 0; frontier.length > 0 && round <= byFile.size; round++) {
    const before = new Set(reachable);
    closure(frontier, reachable);
    frontier = [...reachable]
      .filter((f) => !before.has(f))
      .flatMap((f) => byFile.get(f)?.dynamicImports ?? [])
      .map((k) => manifest[k]?.file)
      .filter((f): f is string => !!f && !reachable.has(f));
  }
  const lazy = [...reachable].filter((f) => !initial.has(f));
  const sizes = (files: Iterable<string>) => [...files].map((f) => fileSize(dir, f)).sort((a, b) => b.gzip - a.gzip);
  const initialSizes = sizes(initial);
  const lazySizes = sizes(lazy);
  const sum = (xs: FileSize[]) => xs.reduce((s, f) => s + f.gzip, 0);
  return {
    initial: initialSizes,
    initialGzip: sum(initialSizes),
    initialBytes: initialSizes.reduce((n, f) => n + f.bytes, 0),
    lazy: lazySizes,
    lazyGzip: sum(lazySizes),
    htmlGzip: fileSize(dir, 'index.html').gzip,
  };
}

/** The same page bundled with real React instead of preact/compat: the size it would have without the alias. */
function reactBaseline(): Sizes | null {
  if (process.env.BUDGET_BASELINE === '0') return null;
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-budget-'));
  try {
    const exitUrl = readExitUrl(CLIENT_DIR);
    buildClient(join(dir, 'client'), join(dir, 'no-pins.json'), exitUrl, { targets: ['resident'], env: { RESIDENT_RUNTIME: 'react' } });
    return residentSizes(join(dir, 'client'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The neutral site the built page leaves for: the exit link's address in the HTML. */
function readExitUrl(dir: string): string {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const href = /<a\b[^>]*id="quick-exit"[^>]*>/i.exec(html)?.[0].match(/\shref="([^"]+)"/i)?.[1];
  if (!href) throw new Error('resident-budget: no quick-exit link in the built index.html');
  return href.replaceAll('&quot;', '"').replaceAll('&amp;', '&');
}

// ---------------------------------------------------------------------------------------------------------
// Timings in Chromium

type Marks = Record<string, number>;

/**
 * A fresh phone context: only the app's origin is reachable (the neutral site is answered locally, anything
 * else aborted and counted), and the page reports its marks through a binding, so nothing polls inside it.
 */
async function phone(browser: Browser, origin: string, exitUrl: string, foreign: string[]) {
  const context: BrowserContext = await browser.newContext(PHONE);
  const marks: Marks = {};
  const waiters: { names: string[]; resolve: () => void }[] = [];
  const waitMarks = (names: string[], timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      if (names.every((n) => n in marks)) return resolve();
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `resident-budget: no ${names.filter((n) => !(n in marks)).join(', ')} within ${timeoutMs} ms (marks: ${JSON.stringify(marks)})`,
            ),
          ),
        timeoutMs,
      );
      waiters.push({ names, resolve: () => (clearTimeout(timer), resolve()) });
    });
  await context.exposeFunction('__budgetMark', (name: string, t: number) => {
    marks[name] ??= t;
    for (const w of waiters.splice(0)) {
      if (w.names.every((n) => n in marks)) w.resolve();
      else waiters.push(w);
    }
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue();
    if (url === exitUrl) {
      // The blanked page lives on until the neutral site answers: hold the answer until its marks have
      // arrived here (the page's reports would be lost with it), but no longer than a few seconds.
      await waitMarks(['blank', 'frame'], 3_000).catch(() => undefined);
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Milano</title><p>neutral</p>' });
    }
    foreign.push(url);
    return route.abort();
  });
  const page: Page = await context.newPage();
  return { context, page, marks, waitMarks };
}

async function throttle(context: BrowserContext, page: Page, network: boolean): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (network) await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
}

// The in-page code is plain JavaScript text: functions serialised from here would carry the TypeScript
// loader's helpers (`__name`), which do not exist in the page.

/** Before any page script: marks the exit becoming interactive and the first screen appearing (ms since navigation start). */
const WATCH_LOAD = `(() => {
  const marked = new Set();
  const mark = (name) => { if (!marked.has(name)) { marked.add(name); window.__budgetMark(name, performance.now()); } };
  const obs = new MutationObserver(() => {
    if (document.documentElement.dataset.exitReady === '1') mark('exitReady');
    const root = document.getElementById('root');
    if (root && root.firstElementChild) mark('firstScreen');
    if (marked.size === 2) obs.disconnect();
  });
  // The document, not <html>: this runs before the parser has created any element.
  obs.observe(document, { attributes: true, attributeFilter: ['data-exit-ready'], childList: true, subtree: true });
})();`;

/** Cold load on the slow phone: ms from navigation start to the exit control being interactive, and to the first screen. */
async function coldLoad(browser: Browser, url: string, exitUrl: string, foreign: string[]) {
  const { context, page, marks, waitMarks } = await phone(browser, new URL(url).origin, exitUrl, foreign);
  try {
    await context.addInitScript({ content: WATCH_LOAD });
    await throttle(context, page, true);
    await page.goto(url, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
    await waitMarks(['exitReady', 'firstScreen'], LOAD_TIMEOUT_MS);
    return { exitReadyMs: marks.exitReady!, firstScreenMs: marks.firstScreen! };
  } finally {
    await context.close();
  }
}

/** Arms the page: the tap's pointerdown and click, then the moment the page is blanked and the next frame. */
const WATCH_TAP = `(() => {
  const mark = (name, t) => { window.__budgetMark(name, t); };
  window.addEventListener('pointerdown', (e) => mark('pointerdown', e.timeStamp), { capture: true, once: true });
  window.addEventListener('click', (e) => { mark('click', e.timeStamp); mark('clickHandled', performance.now()); }, { capture: true, once: true });
  const obs = new MutationObserver(() => {
    if (!document.documentElement.classList.contains('exiting') && !document.body.hidden) return;
    obs.disconnect();
    mark('blank', performance.now());
    requestAnimationFrame(() => mark('frame', performance.now()));
  });
  obs.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'hidden'], subtree: true });
})()`;

/** Tap on Exit once the start screen is up and the page idle (4x CPU; no network throttling: none is involved). */
async function tapToBlank(browser: Browser, url: string, exitUrl: string, foreign: string[]) {
  const { context, page, marks, waitMarks } = await phone(browser, new URL(url).origin, exitUrl, foreign);
  try {
    await throttle(context, page, false);
    await page.goto(url, { waitUntil: 'networkidle', timeout: LOAD_TIMEOUT_MS });
    await page.waitForFunction(
      "document.documentElement.dataset.exitReady === '1' && !!document.getElementById('root')?.firstElementChild",
      undefined,
      { timeout: LOAD_TIMEOUT_MS },
    );
    await page.evaluate(WATCH_TAP);
    await page.getByTestId('quick-exit').tap({ timeout: LOAD_TIMEOUT_MS });
    await waitMarks(['pointerdown', 'click', 'clickHandled', 'blank'], 10_000);
    await page.waitForURL(exitUrl, { timeout: 10_000 });
    return {
      fromPointerdownMs: marks.blank! - marks.pointerdown!,
      fromClickMs: marks.blank! - marks.click!,
      handlerMs: marks.blank! - marks.clickHandled!,
      frameFromPointerdownMs: marks.frame === undefined ? null : marks.frame - marks.pointerdown!,
    };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------------------

export interface BudgetReport {
  initialKB: number;
  /** What the server sends for those files today: `gzip` or null (uncompressed), and the bytes on the wire. */
  served: { encoding: string | null; initialKB: number };
  budgetKB: number;
  initialFiles: { file: string; kb: number }[];
  lazyKB: number;
  lazyFiles: { file: string; kb: number }[];
  htmlKB: number;
  reactBaselineKB: number | null;
  exitReadyMs: { median: number; runs: number[] };
  firstScreenMs: { median: number; runs: number[] };
  budgetExitReadyMs: number;
  tapToBlankMs: { median: number; runs: number[]; fromClickMedian: number; handlerMedian: number; frameMedian: number | null };
  foreignRequests: string[];
}

/** Prints the figures; returns null (and says why) when there is no built client to measure. */
export async function residentBudget(): Promise<BudgetReport | null> {
  if (!existsSync(join(CLIENT_DIR, 'index.html')) || !existsSync(join(CLIENT_DIR, RESIDENT_MANIFEST))) {
    line(`resident budget: skipped, no built client with a manifest in ${CLIENT_DIR}; run \`npm run build\` first`);
    return null;
  }
  const sizes = residentSizes(CLIENT_DIR);
  const baseline = reactBaseline();
  const exitUrl = readExitUrl(CLIENT_DIR);

  let cluster: TestCluster | null = null;
  let encoding: string | null;
  let browser: Browser | null = null;
  const loads: { exitReadyMs: number; firstScreenMs: number }[] = [];
  const taps: { fromPointerdownMs: number; fromClickMs: number; handlerMs: number; frameFromPointerdownMs: number | null }[] = [];
  const foreign: string[] = [];
  try {
    cluster = await startCluster({ nodes: 1, workers: false, clientDir: CLIENT_DIR });
    const url = `${cluster.urls[0]!}/`;
    const probe = await fetch(new URL(sizes.initial[0]!.file, url), { headers: { 'accept-encoding': 'gzip' } });
    encoding = probe.headers.get('content-encoding');
    await probe.arrayBuffer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    for (let i = 0; i < RUNS; i++) loads.push(await coldLoad(browser, url, exitUrl, foreign));
    for (let i = 0; i < RUNS; i++) taps.push(await tapToBlank(browser, url, exitUrl, foreign));
  } finally {
    await browser?.close();
    await cluster?.close();
    await stopSharedRedis();
  }

  const round = (x: number, d = 1) => Number(x.toFixed(d));
  const frames = taps.map((t) => t.frameFromPointerdownMs).filter((t): t is number => t !== null);
  const report: BudgetReport = {
    initialKB: round(kb(sizes.initialGzip), 2),
    served: { encoding, initialKB: round(kb(encoding === 'gzip' ? sizes.initialGzip : sizes.initialBytes), 2) },
    budgetKB: BUDGET_INITIAL_KB,
    initialFiles: sizes.initial.map((f) => ({ file: f.file, kb: round(kb(f.gzip), 2) })),
    lazyKB: round(kb(sizes.lazyGzip), 2),
    lazyFiles: sizes.lazy.map((f) => ({ file: f.file, kb: round(kb(f.gzip), 2) })),
    htmlKB: round(kb(sizes.htmlGzip), 2),
    reactBaselineKB: baseline ? round(kb(baseline.initialGzip), 2) : null,
    exitReadyMs: { median: round(median(loads.map((l) => l.exitReadyMs))), runs: loads.map((l) => round(l.exitReadyMs)) },
    firstScreenMs: { median: round(median(loads.map((l) => l.firstScreenMs))), runs: loads.map((l) => round(l.firstScreenMs)) },
    budgetExitReadyMs: BUDGET_EXIT_READY_MS,
    tapToBlankMs: {
      median: round(median(taps.map((t) => t.fromPointerdownMs))),
      runs: taps.map((t) => round(t.fromPointerdownMs)),
      fromClickMedian: round(median(taps.map((t) => t.fromClickMs))),
      handlerMedian: round(median(taps.map((t) => t.handlerMs))),
      frameMedian: frames.length > 0 ? round(median(frames)) : null,
    },
    foreignRequests: foreign,
  };

  const tap = report.tapToBlankMs;
  const files = (xs: { file: string; kb: number }[]) => xs.map((f) => `${f.file.replace(/^assets\//, '')} ${f.kb.toFixed(1)}`).join(', ');
  const versus =
    report.reactBaselineKB === null
      ? ''
      : ` | same page on React ${report.reactBaselineKB.toFixed(1)} KB (preact/compat build is ${(report.initialKB / report.reactBaselineKB).toFixed(2)}x)`;
  line(
    `# resident page budget (${RUNS} runs each; slow 3G = 400 kbit/s, 400 ms RTT, ${CPU_SLOWDOWN}x CPU; 360x740; KB = 1000 bytes gzip -9)`,
  );
  line(
    `initial JS+CSS    ${report.initialKB.toFixed(1)} KB gzip, budget ${BUDGET_INITIAL_KB} KB (${((100 * report.initialKB) / BUDGET_INITIAL_KB).toFixed(0)}% of it)${versus} [${files(report.initialFiles)}; html ${report.htmlKB.toFixed(1)}]`,
  );
  line(
    `on the wire       ${report.served.encoding === null ? `${report.served.initialKB.toFixed(1)} KB: the server sends these files uncompressed (the build writes .gz copies next to them)` : `${report.served.encoding}, ${report.served.initialKB.toFixed(1)} KB`}`,
  );
  line(`lazily loaded     ${report.lazyKB.toFixed(1)} KB gzip after the first screen [${files(report.lazyFiles)}]`);
  line(
    `exit interactive  median ${report.exitReadyMs.median.toFixed(0)} ms from navigation start, budget ${BUDGET_EXIT_READY_MS} ms (${(report.exitReadyMs.median / BUDGET_EXIT_READY_MS).toFixed(2)}x) [${report.exitReadyMs.runs.join(', ')}]; first screen median ${report.firstScreenMs.median.toFixed(0)} ms`,
  );
  line(
    `tap to blank      median ${tap.median.toFixed(1)} ms from pointerdown to html.exiting/body hidden, of which ${tap.handlerMedian.toFixed(1)} ms in the exit handler` +
      `${tap.frameMedian === null ? '' : `; next frame ${tap.frameMedian.toFixed(1)} ms`} (${CPU_SLOWDOWN}x CPU, start screen idle) [${tap.runs.join(', ')}]`,
  );
  if (foreign.length > 0) line(`foreign requests  ${foreign.length} blocked: ${[...new Set(foreign)].join(', ')}`);
  process.stdout.write(`${JSON.stringify({ residentBudget: report })}\n`);
  return report;
}

if (import.meta.filename === process.argv[1]) {
  const report = await residentBudget();
  process.exit(report ? 0 : 1);
}
