// The folder dependency rules and the absence of import cycles (scripts/check-deps.ts) hold for the tree.
import { describe, expect, it } from 'vitest';
import { checkDependencies } from '../../scripts/check-deps.ts';

describe('dependency rules', () => {
  it('crypto imports only libsodium, protocol only zod, and no folder imports one it may not; no cycles', () => {
    expect(checkDependencies()).toEqual([]);
  });
});
