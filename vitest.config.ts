import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Each file gets its own embedded database (or its own schema on a server); two workers fit two cores.
    maxWorkers: 2,
    env: { NODE_ENV: 'test' },
  },
});
