import { expect, test } from './fixtures.ts';
import type { Page } from '@playwright/test';
import { joinAsStudent, setLink, startSession } from './classroom.ts';

async function post(page: Page, text: string): Promise<void> {
  await page.getByLabel('Write a post').fill(text);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
}

test('[NET2][CAP1] the instructor splits the class: each side sees only its own posts, the board counts the divergence, strict mode refuses West, heal brings both together', async ({
  browser,
}, testInfo) => {
  const { instructor, code } = await startSession(browser);

  const wendy = await joinAsStudent(browser, code, 'Wendy');
  const ed = await joinAsStudent(browser, code, 'Ed');
  await expect(wendy.getByTestId('my-dc')).toHaveText(/West/);
  await expect(ed.getByTestId('my-dc')).toHaveText(/East/);

  const board = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await board.goto(`/board/${code}`);
  await expect(board.getByTestId('join-code')).toHaveText(code);
  await expect(board.getByTestId('link-mode')).toHaveText('Link up');

  // The split is confirmed before it happens, then every screen says so.
  await instructor.getByRole('button', { name: 'Split (full cut)', exact: true }).click();
  await expect(instructor.getByRole('button', { name: 'Confirm', exact: true })).toBeVisible();
  await expect(board.getByTestId('link-mode')).toHaveText('Link up');
  await instructor.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(instructor.getByTestId('link-mode')).toHaveText('Link cut: split-brain');
  await expect(board.getByTestId('link-mode')).toHaveText('Link cut: split-brain');

  await post(wendy, 'West during the split');
  await post(ed, 'East during the split');
  await expect(wendy.getByTestId('post').filter({ hasText: 'West during the split' })).toBeVisible();
  await expect(ed.getByTestId('post').filter({ hasText: 'East during the split' })).toBeVisible();

  // The board holds both sides: the columns differ and the meter counts one post on each side only.
  const west = board.getByTestId('column-west');
  const east = board.getByTestId('column-east');
  await expect(west.getByText('West during the split')).toBeVisible();
  await expect(east.getByText('East during the split')).toBeVisible();
  await expect(west.getByText('East during the split')).toHaveCount(0);
  await expect(east.getByText('West during the split')).toHaveCount(0);
  await expect(board.getByTestId('divergence-only-west')).toHaveText('1');
  await expect(board.getByTestId('divergence-only-east')).toHaveText('1');
  // Both posts wait at the cut on the timeline, and the board previews the three heals (PRE1).
  await expect(board.getByTestId('timeline')).toHaveAttribute('data-held', '2');
  await expect(board.getByTestId('timeline-band').first()).toHaveAttribute('data-mode', 'cut');
  await expect(board.getByTestId('heal-preview')).toHaveCount(0);
  await instructor.getByTestId('lesson-strip').getByRole('button', { name: 'Reveal the heal preview' }).click();
  await expect(board.getByTestId('heal-preview')).toBeVisible();

  // Each student sees only their own side's new post: the other is held on the link.
  await expect(wendy.getByText('East during the split')).toHaveCount(0);
  await expect(ed.getByText('West during the split')).toHaveCount(0);

  await testInfo.attach('board during the split (1920x1080)', { body: await board.screenshot(), contentType: 'image/png' });

  // Strict majority: West (A, B) cannot reach a write quorum of 3 and refuses (CAP1).
  await instructor.getByLabel('Consistency mode').selectOption({ label: 'Strict majority (W=3, R=3)' });
  await instructor.getByRole('button', { name: 'Apply consistency' }).click();
  await expect(board.getByTestId('quorum-write-west')).toHaveText(/no/);
  await expect(board.getByTestId('quorum-write-east')).toHaveText(/yes/);
  const refusal = 'West can reach 2 of 5 nodes; writes need 3.';
  // The student page says why before anyone tries; if it still lets West try, the refused ack says it.
  await expect(wendy.getByText(refusal, { exact: false }).first()).toBeVisible();
  const composer = wendy.getByLabel('Write a post');
  if (await composer.isEditable()) {
    await composer.fill('West tries again in strict mode');
    const postButton = wendy.getByRole('button', { name: 'Post', exact: true });
    if (await postButton.isEnabled()) {
      await postButton.click();
      await expect(wendy.getByTestId('alert')).toContainText(refusal);
    }
  }
  await testInfo.attach('West student refused in strict mode', { body: await wendy.screenshot({ fullPage: true }), contentType: 'image/png' });
  await testInfo.attach('admin during the split (1280x900)', { body: await instructor.screenshot({ fullPage: true }), contentType: 'image/png' });
  // Nothing was stored: the board still counts one West-only post.
  await expect(board.getByTestId('divergence-only-west')).toHaveText('1');

  // Heal: both students see both posts, the board's sides agree again.
  await setLink(instructor, 'Heal with last write wins');
  await expect(board.getByTestId('link-mode')).toHaveText('Link up');
  for (const page of [wendy, ed]) {
    await expect(page.getByTestId('post').filter({ hasText: 'West during the split' })).toBeVisible();
    await expect(page.getByTestId('post').filter({ hasText: 'East during the split' })).toBeVisible();
  }
  await expect(wendy.getByTestId('post').filter({ hasText: 'West tries again in strict mode' })).toHaveCount(0);
  await expect(board.getByTestId('divergence-only-west')).toHaveText('0');
  await expect(board.getByTestId('divergence-only-east')).toHaveText('0');
  await expect(board.getByTestId('heal-report')).toBeVisible();
  await testInfo.attach('board after the heal (1920x1080)', { body: await board.screenshot(), contentType: 'image/png' });
});

test('[CLK1][FO1][PRE1] the instructor skews a clock, moves a student, locks switching and previews the heal', async ({ browser }, testInfo) => {
  const { instructor, code } = await startSession(browser);
  const wendy = await joinAsStudent(browser, code, 'Wendy');
  await joinAsStudent(browser, code, 'Ed');
  const board = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await board.goto(`/board/${code}`);

  // Skew: West's clock runs 2 s ahead, on the admin page and on the board.
  await instructor.getByLabel('West clock skew (s)').fill('2');
  await instructor.getByRole('button', { name: 'Apply skew' }).click();
  await expect(board.getByTestId('clock-west')).toContainText('2.0 s ahead');
  await expect(board.getByTestId('clock-east')).toContainText('on time');

  // Failover is confirmed before it moves anyone (FO1).
  const row = instructor.getByRole('row').filter({ hasText: 'Wendy' });
  await row.getByRole('button', { name: 'Move to East' }).click();
  await instructor.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(row.getByRole('button', { name: 'Move to West' })).toBeVisible();
  await expect(wendy.getByTestId('my-dc')).toHaveText(/East/);
  await expect(board.getByTestId('participants-east')).toContainText('Wendy');

  await instructor.getByLabel('Lock datacenter switching').check();
  await expect(instructor.getByLabel('Lock datacenter switching')).toBeChecked();

  // A one-way cut, then the preview of all three strategies on the admin page and on the board (PRE1).
  await instructor.getByLabel('Resolution strategy').selectOption('human');
  await expect(instructor.getByTestId('state-strategy')).toHaveText('Human choice');
  await instructor.getByRole('button', { name: 'Cut West → East', exact: true }).click();
  await instructor.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(board.getByTestId('link-mode')).toHaveText('One-way cut: West to East blocked');
  await expect(board.getByTestId('nodes')).toHaveAttribute('data-mode', 'cut-west-to-east');
  await instructor.getByRole('button', { name: 'Preview heal' }).click();
  // The board shows the preview only once the instructor reveals it (predict first, issue 12).
  await expect(board.getByTestId('preview-lww')).toHaveCount(0);
  await instructor.getByTestId('lesson-strip').getByRole('button', { name: 'Reveal the heal preview' }).click();
  for (const strategy of ['lww', 'merge', 'human']) {
    await expect(instructor.getByTestId(`preview-${strategy}`)).toBeVisible();
    await expect(board.getByTestId(`preview-${strategy}`)).toBeVisible();
  }
  await testInfo.attach('admin with the preview (1280x900)', { body: await instructor.screenshot({ fullPage: true }), contentType: 'image/png' });

  // A slow link is its own mode with its own latency (NET3).
  await instructor.getByLabel('Slow link latency (ms)').fill('4000');
  await instructor.getByRole('button', { name: 'Slow link', exact: true }).click();
  await instructor.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(board.getByTestId('link-mode')).toHaveText(/Slow link/);
  await expect(board.getByTestId('link-mode')).toContainText('4000 ms');
});
