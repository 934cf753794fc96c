import { createRequire } from 'node:module';
import { expect, test } from './fixtures.ts';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { joinAsStudent, startSession } from './classroom.ts';

/**
 * The default lesson, end to end (issue 12): an instructor drives it from the strip at the top of
 * the admin page, a projector board at 1920x1080 follows, and three students (Ana on a 390 px
 * phone) post, edit, like and answer a prediction before every heal. Every step is measured on
 * the board (smallest computed font), checked with axe-core on every page, and kept as a
 * screenshot artifact.
 */

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

type Violation = { id: string; impact: string | null; nodes: { target: string[] }[] };

/** axe-core's violations on the page as it is now (A11Y1). */
async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe.run;
    return (await run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** The smallest computed font size of any text the audience can see, and where it is. */
function smallestFont(page: Page): Promise<{ px: number; where: string }> {
  return page.evaluate(() => {
    let min = { px: Infinity, where: '' };
    const small = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim()) continue;
      const el = node.parentElement;
      if (!el || el.closest('[inert], [aria-hidden="true"], .visually-hidden, title')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rect = range.getBoundingClientRect();
      // Only text on the screen: off-screen (a feed's hidden overflow) is not read from the room.
      if (rect.width < 2 || rect.height < 2 || rect.bottom <= 0 || rect.top >= innerHeight || rect.right <= 0 || rect.left >= innerWidth) continue;
      const clip = el.closest('.board-feed, .board-insights-hero');
      if (clip) {
        const box = clip.getBoundingClientRect();
        if (rect.top >= box.bottom || rect.bottom <= box.top) continue;
      }
      const px = parseFloat(style.fontSize);
      if (px < 20) small.add(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${px}px`);
      if (px < min.px) min = { px, where: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${node.textContent.trim().slice(0, 30)}"` };
    }
    return { px: min.px, where: [min.where, ...[...small].slice(0, 12)].join('; ') };
  });
}

async function post(page: Page, text: string): Promise<void> {
  await page.getByLabel('Write a post').fill(text);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(page.getByTestId('post').filter({ hasText: text })).toBeVisible();
}

const pinned = (scope: Page | Locator) => scope.locator('[data-testid="post"][data-post-id="pinned"]');

async function editPinned(page: Page, text: string): Promise<void> {
  const card = pinned(page);
  await card.getByRole('button', { name: 'Edit', exact: true }).click();
  await card.getByLabel('Edit post').fill(text);
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(card.locator('.post-text').first()).toHaveText(text);
}

async function likePinned(page: Page): Promise<void> {
  const card = pinned(page);
  await card.getByRole('button', { name: 'Like', exact: true }).click();
  await expect(card.getByRole('button', { name: 'Unlike', exact: true })).toBeVisible();
}

test('[LES2] [A11Y1] the default lesson runs end to end: lobby, nine steps, a prediction at each heal', async ({ browser }, testInfo: TestInfo) => {
  test.setTimeout(420_000);
  const started = Date.now();
  const { instructor: admin, code } = await startSession(browser);
  const board = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await board.goto(`/board/${code}`);

  const figures: { step: string; font: number; where: string }[] = [];
  const axeFound: Record<string, string[]> = {};
  const shots: string[] = [];
  const heroFigures: string[] = [];
  const checkPages = async (label: string, pages: Record<string, Page>) => {
    for (const [name, page] of Object.entries(pages)) {
      const found = await axe(page);
      if (found.length > 0) axeFound[`${label} / ${name}`] = found;
    }
  };
  const measure = async (label: string) => {
    await board.waitForTimeout(300);
    const font = await smallestFont(board);
    figures.push({ step: label, font: font.px, where: font.where });
    const path = testInfo.outputPath(`${String(figures.length).padStart(2, '0')}-${label}.png`);
    await board.screenshot({ path });
    shots.push(path);
    expect.soft(font.px, `smallest board font in ${label}: ${font.where}`).toBeGreaterThanOrEqual(20);
  };

  // The lobby: a big code, a big QR, the address; names arrive live.
  await expect(board.getByTestId('lobby-code')).toHaveText(code);
  const codeSize = await board.getByTestId('lobby-code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(codeSize).toBeGreaterThanOrEqual(150);
  const qr = await board.getByTestId('lobby-qr').locator('svg').boundingBox();
  expect(qr?.width ?? 0).toBeGreaterThanOrEqual(400);
  await expect(board.getByTestId('lobby-url')).toContainText(`/s/${code}`);

  const ana = await joinAsStudent(browser, code, 'Ana', 390);
  const ben = await joinAsStudent(browser, code, 'Ben', 1280);
  const cy = await joinAsStudent(browser, code, 'Cy', 1280);
  const students = { ana, ben, cy };
  await expect(board.getByTestId('lobby-count')).toContainText('3 people here');
  await expect(board.getByTestId('lobby')).toContainText('Cy');
  await measure('lobby');
  await checkPages('lobby', { board, admin, ...students });

  // Everything runs from the strip at the top of the admin page: no scrolling.
  const strip = admin.getByTestId('lesson-strip');
  const stripBox = await strip.boundingBox();
  expect((stripBox?.y ?? 0) + (stripBox?.height ?? 0)).toBeLessThanOrEqual(900);
  const dcOf = async (page: Page) => ((await page.getByTestId('my-dc').textContent()) ?? '').includes('West') ? 'west' : 'east';
  const sides = { ana: await dcOf(ana), ben: await dcOf(ben), cy: await dcOf(cy) };
  const westie = Object.entries(students).find(([n]) => sides[n as keyof typeof sides] === 'west')![1];
  const eastie = Object.entries(students).find(([n]) => sides[n as keyof typeof sides] === 'east')![1];

  const goTo = async (button: string | RegExp, title: string) => {
    await strip.getByRole('button', { name: button }).click();
    await expect(board.getByTestId('step-title')).toHaveText(title);
    // The step's own button in the strip ("4 Heal: ..."), not the "Next: ..." button that names it too.
    await expect(strip.getByRole('button', { name: new RegExp(`^\\d+ ${title.replace(/[[\]|():,]/g, '.')}$`) })).toHaveAttribute('aria-current', 'step');
  };
  /** Ask, let everyone answer, reveal the preview, heal with the step's strategy. */
  const predictAndHeal = async (label: string, answers: Record<string, string>, heal: string) => {
    await strip.getByRole('button', { name: /^Ask: / }).click();
    for (const [name, option] of Object.entries(answers)) {
      const card = students[name as keyof typeof students].getByTestId('prediction-card');
      await card.getByRole('button', { name: option }).click();
      await expect(card.getByRole('button', { name: option })).toHaveAttribute('aria-pressed', 'true');
    }
    await expect(board.getByTestId('prediction')).toContainText('3 answered');
    await expect(board.getByTestId('heal-preview')).toHaveCount(0);
    await measure(`${label}-asked`);
    await checkPages(`${label} asked`, { board, admin, ...students });
    await strip.getByRole('button', { name: 'Close answers and reveal' }).click();
    await expect(board.getByTestId('heal-preview')).toBeVisible();
    await measure(`${label}-revealed`);
    await strip.getByRole('button', { name: heal }).click();
    await expect(board.getByTestId('heal-report')).toBeVisible();
    await expect(board.getByTestId('prediction-verdict')).toBeVisible();
    for (const page of Object.values(students)) await expect(page.getByTestId('heal-notice')).toContainText(heal.replace('Heal with', 'Healed with'));
    // The report is the hero: its sentences >= 28 px, its numbers >= 48 px, and the question's
    // panel folds to a band beside it instead of squeezing it.
    const hero = await board.locator('.board-insights-hero').evaluate((el) => {
      const sizes = (sel: string) => [...el.querySelectorAll(sel)].filter((e) => e.textContent?.trim()).map((e) => parseFloat(getComputedStyle(e).fontSize));
      const question = document.querySelector('[data-testid="prediction"]')?.getBoundingClientRect().height ?? 0;
      return {
        sentence: Math.min(...sizes('.board-heal-panel-title, .board-heal-item, .board-heal-nothing, .board-heal-waiting, .board-heal-people-list li, .board-heal-stat-label')),
        number: Math.min(...sizes('.board-heal-stat-value')),
        height: el.getBoundingClientRect().height,
        question,
      };
    });
    heroFigures.push(`${label}: sentences ${hero.sentence}px, numbers ${hero.number}px, report ${Math.round(hero.height)}px tall, question ${Math.round(hero.question)}px`);
    expect(hero.sentence).toBeGreaterThanOrEqual(28);
    expect(hero.number).toBeGreaterThanOrEqual(48);
    expect(hero.height).toBeGreaterThan(hero.question * 2);
    await measure(`${label}-healed`);
    await checkPages(`${label} healed`, { board, admin, ...students });
  };

  // 1. Warm-up.
  await goTo('Start the lesson', 'Warm-up');
  await expect(board.getByTestId('lobby')).toHaveCount(0);
  for (const [name, page] of Object.entries(students)) await post(page, `Hello from ${name}`);
  await measure('warm-up');
  await checkPages('warm-up', { board, admin, ...students });

  // 2. Out of order, out of sync.
  await goTo(/^Next: Out of order/, 'Out of order, out of sync');
  await expect(board.getByTestId('timeline')).toBeVisible();
  await post(ben, 'First of two');
  await post(ben, 'Second of two');
  await measure('clocks');

  // 3. Split-brain (AP): both sides write; the pinned post is edited on both.
  await goTo(/^Next: Split-brain/, 'Split-brain');
  await expect(board.getByTestId('link-mode')).toHaveText('Link cut: split-brain');
  await editPinned(westie, 'West: meet at 10');
  await editPinned(eastie, 'East: meet at 11');
  await measure('split-ap');
  await checkPages('split-ap', { board, admin, ...students });

  // 4. Heal with last write wins.
  await goTo(/^Next: Heal: last write wins/, 'Heal: last write wins');
  await predictAndHeal('heal-lww', { ana: 'Yes, all of them', ben: 'No, some will be lost', cy: 'No, some will be lost' }, 'Heal with last write wins');
  // The class post lost a version: marked on both board feeds and on every student's feed.
  for (const dc of ['west', 'east']) await expect(pinned(board.getByTestId(`column-${dc}`)).getByTestId('mark-lost')).toBeVisible();
  for (const page of Object.values(students)) await expect(pinned(page).getByTestId('mark-lost')).toBeVisible();

  // 5. Split again, merge everything: likes on both sides.
  await goTo(/^Next: Split again, merge/, 'Split again, merge everything');
  await likePinned(westie);
  await likePinned(eastie);
  await predictAndHeal('heal-merge', { ana: 'Both sides’ likes together', ben: 'West’s count', cy: 'Both sides’ likes together' }, 'Heal with merge everything');

  // 6. Split again, human choice.
  await goTo(/^Next: Split again, you choose/, 'Split again, you choose');
  await editPinned(westie, 'West: room 4');
  await editPinned(eastie, 'East: room 5');
  await predictAndHeal('heal-human', { ana: 'Its author chooses', ben: 'One version wins', cy: 'Its author chooses' }, 'Heal with human choice');
  await expect(board.getByTestId('conflicts-remaining')).toBeVisible();

  // 7. CP: West refuses, and says why at the top of the page, even scrolled down.
  await goTo(/^Next: Consistency first/, 'Consistency first: [A,B] | [C,D,E]');
  await expect(board.getByTestId('quorum-write-west')).toBeVisible();
  await expect(westie.getByTestId('status-write')).toHaveText('Writes refused');
  await expect(westie.getByTestId('status-reason')).toContainText('writes need 3');
  await measure('cp');
  await checkPages('cp', { board, admin, ...students });

  // 8. Raft vs naive failover: a fresh cluster paused, a prediction, then the cut and Play.
  await goTo(/^Next: Raft/, 'Raft vs naive failover');
  await expect(board.getByTestId('sim-status')).toContainText('Paused');
  await expect(board.getByTestId('raft-leader')).toHaveAttribute('data-term', '1');
  await strip.getByRole('button', { name: /^Ask: / }).click();
  for (const [name, option] of [['ana', 'East (C, D, E)'], ['ben', 'Both sides'], ['cy', 'East (C, D, E)']] as const) {
    await students[name].getByTestId('prediction-card').getByRole('button', { name: option }).click();
  }
  await expect(board.getByTestId('prediction')).toContainText('3 answered');
  await measure('raft-asked');
  await checkPages('raft asked', { board, admin, ...students });
  await strip.getByRole('button', { name: 'Close answers and reveal' }).click();
  await expect(board.getByTestId('prediction-verdict')).toContainText('2 predicted right');
  await strip.getByRole('button', { name: 'Cut the link and play' }).click();
  await expect(board.getByTestId('sim-status')).toContainText('Playing');
  await measure('raft-cut');

  // 9. Wrap-up.
  await goTo(/^Next: Truth is negotiated/, 'Truth is negotiated');
  await measure('wrap-up');
  await checkPages('wrap-up', { board, admin, ...students });

  // The phone: no horizontal scroll, and the status strip stays in view when scrolled down.
  expect(await ana.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await ana.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect(ana.getByTestId('status-strip')).toBeInViewport();

  // Reset offers posts, settings or both; focus returns to the control that asked.
  const resetPosts = strip.getByRole('button', { name: 'Posts', exact: true });
  await resetPosts.click();
  await admin.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(resetPosts).toBeFocused();

  const seconds = (Date.now() - started) / 1000;
  const summary = [`lesson took ${seconds.toFixed(1)} s`, ...figures.map((f) => `${f.step}: smallest board font ${f.font}px (${f.where})`), ...heroFigures, `screenshots: ${shots.join(', ')}`];
  console.log(summary.join('\n'));
  console.log(`axe: ${JSON.stringify(axeFound, null, 1)}`);
  await testInfo.attach('lesson figures', { body: summary.join('\n'), contentType: 'text/plain' });
  expect(axeFound).toEqual({});
});
