/**
 * The specs' `test`: Playwright's, plus one automatic fixture that closes every browser context a
 * test opened with `browser.newContext()` (a classroom is several people, so most tests open
 * several). Playwright closes only the contexts it made itself; left open, each spec's pages kept
 * polling and animating for the rest of the run and slowed every later spec (33 pages were open by
 * the last one). Failure screenshots are still taken: Playwright takes them as a context closes.
 */
import { test as base } from '@playwright/test';

export const test = base.extend<{ closeOpenedContexts: void }>({
  closeOpenedContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use();
      await Promise.all(browser.contexts().filter((context) => !before.has(context)).map((context) => context.close()));
    },
    { auto: true },
  ],
});

export { expect } from '@playwright/test';
