// The crypto folder must stay runtime-neutral and keep the sumo build out of the resident bundle.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../../crypto');
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
const importsOf = (file: string): string[] =>
  [
    ...readFileSync(join(DIR, file), 'utf8').matchAll(
      /(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? '');

describe('crypto/ dependency rules', () => {
  it('imports only libsodium and sibling files; the sumo build only from keywrap.ts', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      for (const spec of importsOf(file)) {
        const allowed =
          spec === 'libsodium-wrappers' || (spec === 'libsodium-wrappers-sumo' && file === 'keywrap.ts') || /^\.\/[\w-]+\.ts$/.test(spec);
        expect(allowed, `${file} imports ${spec}`).toBe(true);
      }
    }
  });

  it('the barrel does not re-export keywrap.ts', () => {
    expect(importsOf('index.ts')).not.toContain('./keywrap.ts');
    for (const file of files.filter((f) => f !== 'keywrap.ts')) {
      expect(importsOf(file), file).not.toContain('./keywrap.ts');
    }
  });

  it('uses no Node or DOM globals that would tie it to one runtime', () => {
    for (const file of files) {
      const src = readFileSync(join(DIR, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      expect(src, file).not.toMatch(/\b(Buffer|process|window|document|require|self|navigator|localStorage)\b/);
    }
  });
});
