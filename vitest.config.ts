import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds. Node loads the CJS
    // one for everybody, @apollo/subgraph included; Vite would pick the ESM
    // one for our files and break graphql's instanceof checks. Match Node.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-secret-scan.ts'],
    // Tests start real HTTP servers on OS-chosen ports; keep them isolated per file.
    pool: 'forks',
    testTimeout: 15_000,
    hookTimeout: 15_000,
  },
});
