// Builds the client when it is missing or was built with other pinned keys, exit address or build config,
// since the resident page pins the association keys at build time. Two Vite builds into one folder (see
// vite.config.ts): the resident page with preact/compat first (it empties the folder), then the console.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..');

/** In build order: the first one empties the output folder. */
export const CLIENT_TARGETS = ['resident', 'console'] as const;

export function buildStamp(pinsFile: string, exitUrl: string): string {
  const pins = existsSync(pinsFile) ? readFileSync(pinsFile, 'utf8') : '{}';
  const config = readFileSync(join(PROJECT_ROOT, 'vite.config.ts'), 'utf8');
  return createHash('sha256').update(pins).update('\0').update(exitUrl).update('\0').update(config).digest('hex');
}

export interface BuildOptions {
  /** Defaults to all, in order; the first one built empties outDir. */
  targets?: readonly (typeof CLIENT_TARGETS)[number][];
  /** Extra environment for vite.config.ts (e.g. RESIDENT_RUNTIME=react for the budget's baseline). */
  env?: Record<string, string>;
}

/** Runs the Vite builds into outDir. Throws with Vite's output when one fails. */
export function buildClient(outDir: string, pinsFile: string, exitUrl: string, opts: BuildOptions = {}): void {
  for (const target of opts.targets ?? CLIENT_TARGETS) {
    const res = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PINS_FILE: pinsFile, EXIT_URL: exitUrl, CLIENT_OUT_DIR: outDir, CLIENT_TARGET: target, ...opts.env },
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(`client build (${target}) failed:\n${res.stdout}\n${res.stderr}`);
  }
}

/** Returns true if it built. Throws with vite's output when the build fails. */
export function ensureClientBuilt(outDir: string, pinsFile: string, exitUrl: string): boolean {
  const stampFile = join(outDir, '.build-stamp');
  const stamp = buildStamp(pinsFile, exitUrl);
  const complete = existsSync(join(outDir, 'index.html')) && existsSync(join(outDir, 'console/index.html'));
  if (complete && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return false;
  buildClient(outDir, pinsFile, exitUrl);
  writeFileSync(stampFile, stamp);
  return true;
}
