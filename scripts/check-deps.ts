// Dependency rules of the codebase (STYLE.md "Shape"), checked by `npm run lint` and by a unit test:
// which folder may import what, and no import cycles.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

interface Rule {
  /** Top-level folders this folder may import from (besides itself). */
  folders: string[];
  /** Bare package specifiers allowed (prefix match); 'node:' allows Node built-ins. */
  packages: string[];
}

const RULES: Record<string, Rule> = {
  crypto: { folders: [], packages: ['libsodium-wrappers'] },
  protocol: { folders: [], packages: ['zod'] },
  store: { folders: ['protocol'], packages: ['zod', 'redis', 'node:'] },
  server: { folders: ['protocol', 'crypto', 'store', 'workers'], packages: ['*'] },
  workers: { folders: ['protocol', 'crypto', 'store'], packages: ['*'] },
  // qrcode-generator: the console's enrolment screen draws the authenticator QR code with it (no dependencies).
  client: {
    folders: ['protocol', 'crypto'],
    packages: ['react', 'react-dom', 'socket.io-client', 'libsodium-wrappers', 'qrcode-generator'],
  },
};

// server/main.ts is the process entry that composes a node with in-process workers; nothing else in server/
// may import workers/ (checked below).
const SERVER_MAY_IMPORT_WORKERS = new Set(['server/main.ts']);

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(IMPORT)) out.push((m[1] ?? m[2])!);
  return out;
}

export function checkDependencies(): string[] {
  const problems: string[] = [];
  const graph = new Map<string, string[]>();
  for (const top of Object.keys(RULES)) {
    for (const file of files(join(ROOT, top))) {
      const rel = relative(ROOT, file);
      const rule = RULES[top]!;
      const edges: string[] = [];
      for (const spec of importsOf(file)) {
        if (spec.startsWith('.')) {
          const target = relative(ROOT, resolve(dirname(file), spec));
          const targetTop = target.split('/')[0]!;
          if (targetTop !== top && !rule.folders.includes(targetTop))
            problems.push(`${rel}: ${top}/ may not import ${targetTop}/ (${spec})`);
          if (top === 'server' && targetTop === 'workers' && !SERVER_MAY_IMPORT_WORKERS.has(rel))
            problems.push(`${rel}: only server/main.ts may import workers/ (${spec})`);
          edges.push(target);
        } else {
          const ok =
            rule.packages.includes('*') ||
            rule.packages.some((p) => spec === p || spec.startsWith(p.endsWith(':') ? p : `${p}/`) || spec.startsWith(`${p}-`));
          if (!ok) problems.push(`${rel}: ${top}/ may not import the package ${spec}`);
          if (top === 'crypto' && spec.startsWith('libsodium-wrappers-sumo') && !rel.endsWith('keywrap.ts'))
            problems.push(`${rel}: only crypto/keywrap.ts may import the sumo build`);
        }
      }
      graph.set(rel, edges);
    }
  }
  // Cycles among project files (resolved without extension differences: specs carry .ts/.tsx).
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string, path: string[]) => {
    if (state.get(n) === 'done') return;
    if (state.get(n) === 'visiting') {
      problems.push(`import cycle: ${[...path.slice(path.indexOf(n)), n].join(' -> ')}`);
      return;
    }
    state.set(n, 'visiting');
    for (const m of graph.get(n) ?? []) if (graph.has(m)) visit(m, [...path, n]);
    state.set(n, 'done');
  };
  for (const n of graph.keys()) visit(n, []);
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const problems = checkDependencies();
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.stdout.write(problems.length ? `${problems.length} dependency rule violation(s)\n` : 'dependency rules: ok\n');
  process.exit(problems.length ? 1 : 0);
}
