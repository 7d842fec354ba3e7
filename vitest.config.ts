// Test runner configuration: unit, integration (real redis-server, real servers on port 0) and browser tests
// (Debian Chromium through playwright-core) all run in `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Generous: browser tests share 2 cores with the integration tests running beside them.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
    reporters: ['default'],
    allowOnly: false,
  },
});
