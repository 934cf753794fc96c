import { expect, test } from './fixtures.ts';
import type { Locator, Page } from '@playwright/test';
import { setLink, startSession } from './classroom.ts';

interface ShownLeader {
  id: string;
  term: number;
  dc: string;
}

/** The leaders the board's header shows, read from their data attributes. */
function shownLeaders(board: Page): Promise<ShownLeader[]> {
  return board
    .getByTestId('raft-leader')
    .evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-node') ?? '', term: Number(e.getAttribute('data-term')), dc: e.getAttribute('data-dc') ?? '' })));
}

/** Everything the board displays about the cluster: the clock, both panels' words, and every message dot. */
function displayedState(board: Page): Promise<string> {
  return board.evaluate(() => {
    const text = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)?.innerText ?? '';
    const dots = [...document.querySelectorAll('[data-testid="raft-message"]')].map(
      (d) => `${d.getAttribute('data-kind')}/${d.getAttribute('data-blocked')}@${d.getAttribute('style')}`,
    );
    const roles = [...document.querySelectorAll('[data-testid^="raft-node-"]')].map((n) => `${n.getAttribute('data-testid')}:${n.getAttribute('data-role')}:${n.getAttribute('data-term')}`);
    return JSON.stringify([text('sim-time'), text('raft-leaders'), text('raft-panel'), text('naive-panel'), roles, dots]);
  });
}

/**
 * Where the instructor finds the consensus controls: on the admin page once it mounts them, else
 * on the consensus board opened in the instructor's own browser (it holds the secret, so the
 * board shows its playback row). Either way they are the same ConsensusControls buttons.
 */
async function consensusControls(admin: Page, code: string): Promise<Locator> {
  const onAdmin = admin.getByTestId('consensus-controls');
  if ((await onAdmin.count()) > 0) return onAdmin.first();
  const page = await admin.context().newPage();
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`/board/${code}/consensus`);
  const controls = page.getByTestId('consensus-controls');
  await expect(controls).toBeVisible();
  return controls;
}

test('[RAFT2][RAFT3][RAFT5] the consensus board: one Raft leader; a split elects only on East while naive failover makes two primaries; heal leaves one leader; step back shows the previous state', async ({
  browser,
}, testInfo) => {
  const { instructor, code } = await startSession(browser);
  // The admin page is live (and has kept the secret in this browser) once it shows the link.
  await expect(instructor.getByTestId('link-mode').first()).toHaveText('Link up');

  const board = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await board.goto(`/board/${code}/consensus`);
  await expect(board.getByTestId('consensus-cut')).toHaveAttribute('data-cut', 'none');
  await expect(board.getByRole('link', { name: 'Feeds board' })).toHaveAttribute('href', `/board/${code}`);

  const controls = await consensusControls(instructor, code);
  await controls.getByLabel('Simulation speed').selectOption('2');
  await expect(board.getByTestId('sim-status')).toHaveText(/Playing 2×/);

  // Exactly one leader, shown in words with its term.
  await expect(board.getByTestId('raft-leader')).toHaveCount(1);
  await expect(board.getByTestId('raft-leaders')).toHaveText(/^Raft leader: [A-E], term \d+$/);
  await expect(board.locator('[data-testid^="raft-node-"][data-role="leader"]')).toHaveCount(1);
  const [before] = await shownLeaders(board);
  if (!before) throw new Error('no leader shown');
  await expect(board.getByTestId('naive-primaries')).toHaveAttribute('data-count', '1');

  // The feeds' split is the consensus view's split.
  await setLink(instructor, 'Split (full cut)');
  await expect(board.getByTestId('consensus-cut')).toHaveAttribute('data-cut', 'full');
  await expect(board.getByTestId('consensus-cut')).toContainText('West (A, B) | East (C, D, E)');

  // [RAFT2] East (C, D, E) has a leader: a new one in a higher term if the old leader was in West.
  await expect
    .poll(async () => (await shownLeaders(board)).some((l) => l.dc === 'east' && (before.dc === 'west' ? l.term > before.term : l.term >= before.term)), {
      timeout: 20_000,
    })
    .toBe(true);
  // [RAFT5] Naive failover promotes a primary on each side.
  await expect(board.getByTestId('naive-primaries')).toHaveAttribute('data-count', '2');
  await expect(board.getByTestId('naive-primaries')).toContainText('2 primaries: split-brain');
  // The minority never elects: a stale West leader of the old term may remain, never a newer one.
  for (let i = 0; i < 8; i += 1) {
    const westNewer = (await shownLeaders(board)).filter((l) => l.dc === 'west' && l.term > before.term);
    expect(westNewer).toEqual([]);
    await board.waitForTimeout(250);
  }
  await testInfo.attach('consensus board during the split (1920x1080)', { body: await board.screenshot(), contentType: 'image/png' });

  // [RAFT3] Heal: any stale leader steps down on the higher term; one leader, of the newest term.
  await setLink(instructor, 'Heal with last write wins');
  await expect(board.getByTestId('consensus-cut')).toHaveAttribute('data-cut', 'none');
  await expect
    .poll(
      async () =>
        board.evaluate(() => {
          const nodes = [...document.querySelectorAll('[data-testid^="raft-node-"]')].map((n) => ({ role: n.getAttribute('data-role'), term: Number(n.getAttribute('data-term')) }));
          const leaders = nodes.filter((n) => n.role === 'leader');
          const shown = document.querySelectorAll('[data-testid="raft-leader"]').length;
          return shown === 1 && leaders.length === 1 && nodes.every((n) => n.term <= (leaders[0]?.term ?? -1));
        }),
      { timeout: 20_000 },
    )
    .toBe(true);
  // Naive failover has no terms: nothing tells either primary to step down, so the heal leaves two.
  await expect(board.getByTestId('naive-primaries')).toHaveAttribute('data-count', '2');

  // Pause, one step, one step back: the board shows exactly what it showed before the step.
  await controls.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(board.getByTestId('sim-status')).toHaveText(/Paused/);
  const paused = await displayedState(board);
  await controls.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => displayedState(board)).not.toBe(paused);
  await controls.getByRole('button', { name: 'Step back', exact: true }).click();
  await expect.poll(() => displayedState(board)).toBe(paused);
  await controls.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(board.getByTestId('sim-status')).toHaveText(/Playing/);
});

test('with prefers-reduced-motion the message dots jump instead of gliding', async ({ browser }) => {
  const { code } = await startSession(browser);

  const still = await (await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' })).newPage();
  const moving = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  // Read every dot at once, in the page: dots come and go ten times a second.
  const durations = (page: Page) =>
    page.evaluate(() => [...document.querySelectorAll('[data-testid="raft-message"]')].map((d) => getComputedStyle(d).transitionDuration).join(' '));
  for (const page of [still, moving]) await page.goto(`/board/${code}/consensus`);
  await expect.poll(() => durations(still), { timeout: 20_000 }).toMatch(/^0s( 0s)*$/);
  await expect.poll(() => durations(moving), { timeout: 20_000 }).toMatch(/^(0\.\d+s)( 0\.\d+s)*$/);
});
