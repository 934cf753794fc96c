import { defineConfig } from 'vitest/config';

// Unit and integration tests only: tests/e2e belongs to Playwright.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Real servers, real SQLite and PostgreSQL on a shared 2-core machine: a timeout here only
    // catches a hang, it asserts no speed (benchmarks print figures instead).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
