import { expect, test } from './fixtures.ts';
import type { Page } from '@playwright/test';
import { startSession } from './classroom.ts';

/**
 * INC2: the instructor replays the seed's incident at 1,000 posts per side, watches the progress
 * bar, previews the three strategies and heals; the board shows counts, not 2,000 rows.
 */

/** Records whether a progress bar was ever on the page, however briefly (a 1K incident is quick). */
async function watchForProgress(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    const w = window as unknown as { sawProgress: boolean };
    w.sawProgress = document.querySelector('progress') !== null;
    new MutationObserver(() => {
      if (document.querySelector('progress')) w.sawProgress = true;
    }).observe(document.body, { subtree: true, childList: true });
  });
  return () => page.evaluate(() => (window as unknown as { sawProgress: boolean }).sawProgress);
}

const count = async (page: Page, testId: string) => Number((await page.getByTestId(testId).textContent())?.replace(/\D/g, '') ?? NaN);

test('[INC2] an instructor replays a 1K-per-side incident with a progress bar, previews and heals it; the board shows counts, not rows', async ({ browser }) => {
  test.setTimeout(180_000);
  const { instructor, code } = await startSession(browser);
  const board = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await board.goto(`/board/${code}`);
  await expect(board.getByTestId('count-posts-west')).toHaveText('1');
  const boardSaw = await watchForProgress(board);
  const adminSaw = await watchForProgress(instructor);

  const incident = instructor.getByTestId('section-incident');
  await incident.getByLabel('Posts per side').selectOption('1000');
  await incident.getByRole('button', { name: 'Replay the incident' }).click();

  // Counts, not rows: each side holds the shared posts and 1,000 new ones; the board draws a window.
  await expect.poll(() => count(board, 'count-posts-west'), { timeout: 60_000 }).toBeGreaterThan(1000);
  expect(await count(board, 'count-posts-east')).toBeGreaterThan(1000);
  expect(await count(board, 'count-held')).toBeGreaterThan(2000);
  await expect(board.getByTestId('incident-summary')).toContainText('West wrote');
  expect(await boardSaw()).toBe(true);
  expect(await adminSaw()).toBe(true);
  await expect(board.getByText('Link cut: split-brain').first()).toBeVisible();
  await expect(board.getByTestId('older-west')).toBeVisible();
  const rows = await board.getByTestId('post').count();
  expect(rows).toBeGreaterThan(0);
  expect(rows).toBeLessThan(400);

  // PRE1 on the incident: all three strategies, on the board once the instructor reveals them
  // (predict first, LES1), and on request on the admin page.
  await instructor.getByTestId('lesson-strip').getByRole('button', { name: 'Reveal the heal preview' }).click();
  await expect(board.getByTestId('heal-preview')).toBeVisible({ timeout: 30_000 });
  await instructor.getByRole('button', { name: 'Preview heal' }).click();
  await expect(instructor.getByTestId('heal-preview')).toBeVisible({ timeout: 30_000 });
  await expect(instructor.getByTestId('preview-lww')).toBeVisible();

  // The heal, with its own progress bar, then the heal's counts; nothing is held any more.
  await instructor.evaluate(() => ((window as unknown as { sawProgress: boolean }).sawProgress = false));
  await board.evaluate(() => ((window as unknown as { sawProgress: boolean }).sawProgress = false));
  await instructor.getByRole('group', { name: 'Link mode' }).getByRole('button', { name: /^Heal with / }).click();
  await instructor.getByTestId('mode-confirm').getByRole('button', { name: 'Confirm' }).click();
  await expect(board.getByTestId('heal-counts')).toContainText('Last heal (Last write wins)', { timeout: 60_000 });
  await expect(board.getByTestId('heal-counts')).toContainText(/[1-9]\d* writes lost/);
  await expect.poll(() => count(board, 'count-held')).toBe(0);
  expect(await boardSaw()).toBe(true);
  expect(await board.getByTestId('post').count()).toBeLessThan(400);
});
