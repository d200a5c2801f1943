import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real HTTP servers on OS-chosen ports; keep them isolated per file.
    pool: 'forks',
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
