import { expect, test } from './fixtures.ts';
import type { Page, TestInfo } from '@playwright/test';
import { STRATEGY_LABEL, type Strategy } from '../../server/protocol/index.ts';
import { joinAsStudent, startSession } from './classroom.ts';

/**
 * The seed's three attempts on one history (issue 13): an instructor heals a split with LWW,
 * rewinds, heals the same history with merge everything, rewinds, heals it with human choice;
 * the board shows the three attempts side by side. Then the board's timeline is scrubbed back to
 * the split, and the feeds show what each side held then.
 */

async function confirmed(admin: Page, button: string): Promise<void> {
  await admin.getByRole('button', { name: button, exact: true }).click();
  await admin.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(admin.getByRole('button', { name: 'Confirm', exact: true })).toHaveCount(0);
}

async function heal(admin: Page, strategy: Strategy): Promise<void> {
  const select = admin.getByLabel('Resolution strategy');
  await select.selectOption({ label: STRATEGY_LABEL[strategy] });
  await expect(select).toHaveValue(strategy);
  // The heal button says what it will do (LES2): "Heal with <strategy>".
  await admin.getByTestId('section-network').getByRole('button', { name: /^Heal with / }).click();
  await admin.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(admin.getByRole('button', { name: 'Confirm', exact: true })).toHaveCount(0);
  await expect(admin.getByTestId('link-mode').first()).toContainText('Link up');
}

async function rewind(admin: Page): Promise<void> {
  await confirmed(admin, 'Rewind to just before this heal');
  await expect(admin.getByTestId('link-mode').first()).toContainText('Link cut: split-brain');
}

async function editPinned(page: Page, text: string): Promise<void> {
  const card = page.locator('[data-testid="post"][data-post-id="pinned"]');
  await card.getByRole('button', { name: 'Edit', exact: true }).click();
  await card.getByLabel('Edit post').fill(text);
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(card.locator('.post-text').first()).toHaveText(text);
}

async function post(page: Page, text: string): Promise<void> {
  await page.getByLabel('Write a post').fill(text);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('post').filter({ hasText: text })).toBeVisible();
}

async function shot(testInfo: TestInfo, page: Page, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('[RWD2] one history healed three ways, side by side on the board; the board scrubs back to the split', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const { instructor: admin, code } = await startSession(browser);
  const wendy = await joinAsStudent(browser, code, 'Wendy');
  const ed = await joinAsStudent(browser, code, 'Ed');
  await expect(wendy.getByTestId('my-dc')).toHaveText('West');
  await expect(ed.getByTestId('my-dc')).toHaveText('East');
  const board = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await board.goto(`/board/${code}`);
  await expect(board.getByTestId('join-code')).toHaveText(code);

  await confirmed(admin, 'Split (full cut)');
  await expect(admin.getByTestId('link-mode').first()).toContainText('Link cut: split-brain');
  await post(wendy, 'Only West has this');
  await editPinned(wendy, 'Pinned, as West wrote it');
  await editPinned(ed, 'Pinned, as East wrote it');

  // Attempt 1: LWW, then a write after the heal.
  await heal(admin, 'lww');
  await post(ed, 'Written after the heal');
  await rewind(admin);
  // Students follow the rewind: the later write waits for the next heal.
  await expect(ed.getByTestId('post').filter({ hasText: 'Written after the heal' })).toHaveCount(0);
  await expect(admin.getByTestId('queued')).toContainText('1 write written after this heal; replayed after the new one');

  // Attempt 2: merge everything; the later write is replayed after it.
  await heal(admin, 'merge');
  await expect(ed.getByTestId('post').filter({ hasText: 'Written after the heal' })).toBeVisible();
  await rewind(admin);

  // Attempt 3: human choice.
  await heal(admin, 'human');

  const attempts = board.getByTestId('attempts');
  await expect(attempts.getByRole('heading')).toHaveText(['Attempt 1: LWW', 'Attempt 2: merge everything', 'Attempt 3: human choice']);
  await expect(board.getByTestId('attempt-1-lost')).toHaveText('1 write lost');
  await expect(board.getByTestId('attempt-2-duplicates')).toHaveText('1 post duplicated');
  await expect(board.getByTestId('attempt-3-conflicts')).toHaveText('1 question asked');
  await expect(board.getByTestId('attempt-2-replayed')).toContainText('1 write made after attempt 1 replayed after this heal');
  await shot(testInfo, board, 'board-three-attempts');
  await shot(testInfo, admin, 'admin-three-attempts');

  // Scrub back, one event at a time, to the split: West holds its post, East does not.
  const west = board.getByTestId('column-west');
  const east = board.getByTestId('column-east');
  const status = board.getByTestId('scrub-status');
  let found = false;
  for (let i = 0; i < 30 && !found; i += 1) {
    const before = await status.innerText();
    await board.getByRole('button', { name: '◀ Step back' }).click();
    await expect(status).not.toHaveText(before);
    found =
      (await west.getByText('Only West has this').count()) > 0 &&
      (await east.getByText('Only West has this').count()) === 0 &&
      (await east.getByText('Pinned, as East wrote it').count()) > 0 &&
      (await west.getByText('Pinned, as West wrote it').count()) > 0;
  }
  expect(found).toBe(true);
  await expect(status).toContainText(/^viewing \d\d:\d\d:\d\d — live is \d\d:\d\d:\d\d/);
  // SCR1: the Raft view at that moment, beside the feeds: the five nodes, their roles and terms, under the split.
  const raft = board.getByTestId('scrub-raft');
  await expect(raft.getByRole('heading')).toHaveText(/^Raft at \d\d:\d\d:\d\d$/);
  for (const node of ['A', 'B', 'C', 'D', 'E']) await expect(board.getByTestId(`scrub-raft-${node}`)).toContainText(/(leader|candidate|follower|crashed).*term \d+/);
  await expect(raft).toContainText('Cut: West (A, B) | East (C, D, E), both ways');
  await expect(board.getByTestId('scrub-raft-leaders')).toHaveText(/^Raft: no leader|^Raft leaders?: /);
  // The timeline's cursor stands at the scrubbed moment.
  const cursor = board.getByTestId('timeline-cursor');
  await expect(cursor).toBeVisible();
  await expect(cursor).toContainText(/^viewing \d\d:\d\d:\d\d$/);
  await shot(testInfo, board, 'board-scrubbed-to-the-split');
  await expect(east.getByText('Written after the heal')).toHaveCount(0);
  // The class keeps writing live meanwhile; "Live" returns to now.
  await post(wendy, 'Written while the board looks back');
  await expect(west.getByText('Written while the board looks back')).toHaveCount(0);
  await board.getByRole('button', { name: 'Live', exact: true }).click();
  await expect(status).toHaveText('Live');
  // Live: no cursor, no scrubbed Raft view.
  await expect(board.getByTestId('timeline-cursor')).toHaveCount(0);
  await expect(board.getByTestId('scrub-raft')).toHaveCount(0);
  await expect(west.getByText('Written while the board looks back')).toBeVisible();
});
