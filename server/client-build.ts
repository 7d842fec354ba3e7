// Builds the client when it is missing or was built with other pinned keys or exit address, since the
// resident page pins the association keys at build time.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..');

export function buildStamp(pinsFile: string, exitUrl: string): string {
  const pins = existsSync(pinsFile) ? readFileSync(pinsFile, 'utf8') : '{}';
  return createHash('sha256').update(pins).update('\0').update(exitUrl).digest('hex');
}

/** Returns true if it built. Throws with vite's output when the build fails. */
export function ensureClientBuilt(outDir: string, pinsFile: string, exitUrl: string): boolean {
  const stampFile = join(outDir, '.build-stamp');
  const stamp = buildStamp(pinsFile, exitUrl);
  if (existsSync(join(outDir, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return false;
  const res = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PINS_FILE: pinsFile, EXIT_URL: exitUrl, CLIENT_OUT_DIR: outDir },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`client build failed:\n${res.stdout}\n${res.stderr}`);
  writeFileSync(stampFile, stamp);
  return true;
}
