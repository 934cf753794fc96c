import { defineConfig } from 'vitest/config';

// Unit and integration tests only: tests/e2e belongs to Playwright.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
  },
});
