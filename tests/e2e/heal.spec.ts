import { expect, test } from './fixtures.ts';
import type { Browser, Locator, Page, TestInfo } from '@playwright/test';
import { joinAsStudent, startSession } from './classroom.ts';
import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type Strategy,
  STRATEGY_LABEL,
} from '../../server/protocol/index.ts';

/**
 * Healing a split, lived by a classroom (issue 5): an instructor, a board and three students.
 * Both sides edit the pinned post and one student's own post (she roams with "Switch
 * datacenter"), like it on both sides, and one side deletes a post the other side replies to.
 * The link heals under each strategy in turn, with a reset between.
 */

type AdminSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The instructor's commands, sent over the admin socket with the secret from the admin URL. */
class Instructor {
  private constructor(private readonly socket: AdminSocket) {}

  static async connect(baseURL: string, code: string, secret: string): Promise<Instructor> {
    const socket: AdminSocket = io(baseURL, { auth: { protocol: PROTOCOL_VERSION }, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const admin = new Instructor(socket);
    admin.ok(await socket.emitWithAck('admin:watch', { code, secret }));
    return admin;
  }

  private ok<T>(ack: Ack<T>): T {
    if (!ack.ok) throw new Error(`admin command refused: ${ack.error.code}: ${ack.error.message}`);
    return ack.data;
  }

  async cut(): Promise<void> {
    this.ok(await this.socket.emitWithAck('admin:partition', { mode: 'cut' }));
  }

  async heal(): Promise<void> {
    this.ok(await this.socket.emitWithAck('admin:partition', { mode: 'up' }));
  }

  async strategy(strategy: Strategy): Promise<void> {
    this.ok(await this.socket.emitWithAck('admin:strategy', { strategy }));
  }

  async skew(dc: 'west' | 'east', skewMs: number): Promise<void> {
    this.ok(await this.socket.emitWithAck('admin:skew', { dc, skewMs }));
  }

  async quorum(w: number, r: number): Promise<void> {
    this.ok(await this.socket.emitWithAck('admin:consistency', { w, r }));
  }

  async lockSwitch(locked: boolean): Promise<void> {
    this.ok(await this.socket.emitWithAck('admin:lockSwitch', { locked }));
  }

  close(): void {
    this.socket.close();
  }
}

/** The instructor's controls on the admin page: each disruptive one asks "Confirm" first. */
class AdminPage {
  constructor(readonly page: Page) {}

  private async confirmed(button: string): Promise<void> {
    await this.page.getByRole('button', { name: button, exact: true }).click();
    await this.page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect(this.page.getByRole('button', { name: 'Confirm', exact: true })).toHaveCount(0);
  }

  async cut(): Promise<void> {
    await this.confirmed('Split (full cut)');
    await expect(this.page.getByTestId('link-mode').first()).toContainText('Link cut: split-brain');
  }

  async heal(): Promise<void> {
    // The heal button says what it will do: "Heal with <strategy>".
    await this.page.getByTestId('section-network').getByRole('button', { name: /^Heal with / }).click();
    await this.page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect(this.page.getByRole('button', { name: 'Confirm', exact: true })).toHaveCount(0);
    await expect(this.page.getByTestId('link-mode').first()).toContainText('Link up');
  }

  async strategy(strategy: Strategy): Promise<void> {
    const select = this.page.getByLabel('Resolution strategy');
    await select.selectOption({ label: STRATEGY_LABEL[strategy] });
    await expect(select).toHaveValue(strategy);
  }

  async skew(dc: 'west' | 'east', seconds: number): Promise<void> {
    await this.page.getByLabel(`${dc === 'west' ? 'West' : 'East'} clock skew (s)`).fill(String(seconds));
    await this.page.getByRole('button', { name: 'Apply skew' }).click();
  }

  /** The two-step reset: the first click asks, the second erases every post. */
  async reset(): Promise<void> {
    await this.page.getByRole('button', { name: 'Reset session' }).click();
    await this.page.getByRole('button', { name: 'Reset session' }).click();
  }
}

/** The instructor starts a session on the home page; their commands go over a socket with the secret from the admin URL. */
async function startClass(browser: Browser, baseURL: string | undefined): Promise<{ instructorPage: Page; code: string; admin: Instructor }> {
  const { instructor: instructorPage, code, secret } = await startSession(browser);
  const admin = await Instructor.connect(baseURL ?? '', code, secret);
  return { instructorPage, code, admin };
}

const byId = (scope: Page | Locator, id: string) => scope.locator(`[data-testid="post"][data-post-id="${id}"]`);

async function post(page: Page, text: string): Promise<string> {
  await page.getByLabel('Write a post').fill(text);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const card = page.getByTestId('post').filter({ hasText: text });
  await expect(card).toBeVisible();
  return (await card.getAttribute('data-post-id')) ?? '';
}

async function edit(page: Page, id: string, text: string): Promise<void> {
  const card = byId(page, id);
  await card.getByRole('button', { name: 'Edit', exact: true }).click();
  await card.getByLabel('Edit post').fill(text);
  await card.getByRole('button', { name: 'Save' }).click();
  await expect(card.locator('.post-text').first()).toHaveText(text);
}

async function like(page: Page, id: string): Promise<void> {
  const card = byId(page, id);
  await card.getByRole('button', { name: 'Like', exact: true }).click();
  await expect(card.getByRole('button', { name: 'Unlike', exact: true })).toBeVisible();
}

async function reply(page: Page, id: string, text: string): Promise<void> {
  const card = byId(page, id);
  await card.getByRole('button', { name: 'Reply', exact: true }).first().click();
  await card.getByLabel('Write a reply').fill(text);
  await card.getByRole('button', { name: 'Post reply' }).click();
  await expect(card.getByTestId('post').filter({ hasText: text })).toBeVisible();
}

async function remove(page: Page, id: string): Promise<void> {
  const card = byId(page, id);
  await card.getByRole('button', { name: 'Delete', exact: true }).click();
  await card.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(card).toHaveCount(0);
}

async function switchDc(page: Page): Promise<string> {
  const before = await page.getByTestId('my-dc').innerText();
  await page.getByRole('button', { name: 'Switch datacenter' }).click();
  await expect(page.getByTestId('my-dc')).not.toHaveText(before);
  return page.getByTestId('my-dc').innerText();
}

async function shot(testInfo: TestInfo, page: Page, name: string, fullPage = true): Promise<void> {
  const path = testInfo.outputPath(`${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
  await page.screenshot({ path, fullPage });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

interface Round {
  /** Wendy's own post, edited on both sides; Ed's question, deleted in East and answered from West. */
  plan: string;
  question: string;
  /** Where Wendy wrote her two edits, in order. */
  firstDc: string;
  secondDc: string;
}

test('[LWW3][MRG1][MRG3][HUM2] a split heals under each strategy: ledger, duplicates and broken threads, conflict banners', async ({ browser, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const { instructorPage, code, admin: adminSocket } = await startClass(browser, baseURL);
  adminSocket.close();
  const admin = new AdminPage(instructorPage);

  // Balanced placement: Wendy West, Ed East, Will West.
  const wendy = await joinAsStudent(browser, code, 'Wendy');
  const ed = await joinAsStudent(browser, code, 'Ed');
  const will = await joinAsStudent(browser, code, 'Will');
  await expect(wendy.getByTestId('my-dc')).toHaveText('West');
  await expect(ed.getByTestId('my-dc')).toHaveText('East');
  await expect(will.getByTestId('my-dc')).toHaveText('West');
  const students = [wendy, ed, will];

  const board = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await board.goto(`/board/${code}`);
  await expect(board.getByTestId('join-code')).toHaveText(code);

  // East's clock runs 6 s behind, so under LWW a later edit made in East loses (LWW1, LWW3).
  await admin.skew('east', -6);
  await expect(ed.getByTestId('dc-clock')).toContainText('East clock, 6.0 s behind');
  await expect(wendy.getByTestId('dc-clock')).toContainText('West clock, on time');

  /** The scenario, redone after each reset. Wendy writes in her current datacenter, roams, and writes again. */
  const playSplit = async (n: number, screenshots: boolean): Promise<Round> => {
    const plan = await post(wendy, `R${n} Wendy's plan`);
    const question = await post(ed, `R${n} Ed's question`);
    // Both have crossed the link before the cut.
    await expect(byId(ed, plan)).toBeVisible();
    await expect(byId(will, question)).toBeVisible();
    await expect(byId(wendy, question)).toBeVisible();

    await admin.cut();
    for (const page of students) await expect(page.getByTestId('partition-banner')).toContainText('Link cut: split-brain');
    await expect(wendy.getByTestId('partition-banner')).toContainText(/for \d+ s/);

    // The pinned class post, edited on both sides (West first).
    await edit(will, 'pinned', `R${n} notes from West`);
    await edit(ed, 'pinned', `R${n} notes from East`);
    await expect(byId(will, 'pinned')).toContainText(`R${n} notes from West`);
    // Likes on both sides.
    await like(will, plan);
    await like(ed, plan);
    // A delete on one side, a reply on the other.
    await reply(will, question, `R${n} reply from West`);
    await remove(ed, question);
    // Wendy edits her own post here, then roams and edits it on the other side.
    const firstDc = await wendy.getByTestId('my-dc').innerText();
    await edit(wendy, plan, `R${n} plan from ${firstDc}`);
    await expect(byId(wendy, plan).getByTestId('pending')).toHaveText(/held, will replicate on heal/);
    if (screenshots) await shot(testInfo, wendy, `student ${firstDc} during the split (390 px)`, false);
    const secondDc = await switchDc(wendy);
    // The other side never saw her first edit.
    await expect(byId(wendy, plan)).toContainText(`R${n} Wendy's plan`);
    await edit(wendy, plan, `R${n} plan from ${secondDc}`);
    return { plan, question, firstDc, secondDc };
  };

  const healUnder = async (strategy: Strategy) => {
    await admin.heal();
    for (const page of students) await expect(page.getByTestId('partition-banner')).toHaveCount(0);
    return strategy;
  };

  const reset = async () => {
    await admin.reset();
    for (const page of students) await expect(page.getByTestId('post')).toHaveCount(1); // the pinned post only
  };

  // ---- 1. Last write wins: Wendy's later East edit loses to her West edit; the ledger says why.
  await admin.strategy('lww');
  const r1 = await playSplit(1, true);
  expect([r1.firstDc, r1.secondDc]).toEqual(['West', 'East']);
  await healUnder('lww');
  const ledger = wendy.getByTestId('ledger');
  await expect(ledger).toBeVisible();
  await expect(ledger.getByTestId('ledger-item').filter({ hasText: 'R1 plan from East' })).toContainText('Your edit of your post');
  await expect(ledger.getByTestId('ledger-skew')).toContainText('Your clock (East) was 6.0 s behind');
  await expect(wendy.getByRole('link', { name: /What I lost \(\d+\)/ })).toBeVisible();
  await expect(ledger).toContainText('Likes on your posts that were lost');
  // Both replicas hold the West version.
  await expect(byId(wendy, r1.plan)).toContainText('R1 plan from West');
  await expect(byId(board.getByTestId('column-east'), r1.plan)).toContainText('R1 plan from West');
  // Ed lost his pinned edit and his like.
  await expect(ed.getByTestId('ledger').getByTestId('ledger-item').filter({ hasText: 'R1 notes from East' })).toContainText('Your edit of the class post');
  await expect(ed.getByTestId('ledger').getByTestId('ledger-item').filter({ hasText: 'Your like on' })).toBeVisible();
  await wendy.getByRole('link', { name: /What I lost/ }).click();
  await shot(testInfo, wendy, 'LWW: what I lost (student East, 390 px)');
  // The posts the heal touched are marked, in words, on the board's feeds and on every student's.
  for (const dc of ['west', 'east'] as const) {
    await expect(byId(board.getByTestId(`column-${dc}`), r1.plan).getByTestId('mark-lost')).toContainText("lost to West's version (last write wins)");
    await expect(byId(board.getByTestId(`column-${dc}`), 'pinned').getByTestId('mark-lost')).toContainText("Ed's edit");
  }
  await expect(byId(will, 'pinned').getByTestId('mark-lost')).toContainText('Lost');
  await expect(byId(ed, 'pinned').getByTestId('mark-lost')).toContainText("Your edit lost to West's version");
  // Driven by hand, the report is the hero too: sentences >= 28 px, numbers >= 48 px (LES2's sizes).
  const hero = await board.locator('.board-insights-hero').evaluate((el) => {
    const px = (sel: string) => parseFloat(getComputedStyle(el.querySelector(sel) ?? el).fontSize);
    return { sentence: px('.board-heal-panel-title'), item: px('.board-heal-item'), number: px('.board-heal-stat-value') };
  });
  expect(Math.min(hero.sentence, hero.item)).toBeGreaterThanOrEqual(28);
  expect(hero.number).toBeGreaterThanOrEqual(48);
  await shot(testInfo, board, 'Board after the LWW heal: marked posts (1920x1080)', false);

  // ---- 2. Merge everything: both versions survive as duplicates; the reply outlives the deleted question.
  await reset();
  await admin.strategy('merge');
  const r2 = await playSplit(2, false);
  // The next split began: the last heal's marks are gone from every feed.
  await expect(board.locator('.post-mark')).toHaveCount(0);
  for (const page of students) await expect(page.locator('.post-mark')).toHaveCount(0);
  await healUnder('merge');
  expect(new Set([r2.firstDc, r2.secondDc])).toEqual(new Set(['West', 'East']));
  for (const page of [ed, will]) {
    // West's version stays on the post; East's survives as a post of its own, marked (MRG1).
    const duplicate = page.getByTestId('post').filter({ has: page.getByTestId('duplicate-of') }).filter({ hasText: 'R2 plan from East' });
    await expect(duplicate).toBeVisible();
    await expect(duplicate.getByRole('link', { name: 'another version' })).toHaveAttribute('href', new RegExp(`${r2.plan}$`));
    await expect(byId(page, r2.plan)).toContainText('R2 plan from West');
    const broken = byId(page, r2.question);
    await expect(broken).toContainText('[deleted post]');
    await expect(broken.getByTestId('broken-thread')).toBeVisible();
    await expect(broken.getByTestId('post').filter({ hasText: 'R2 reply from West' })).toBeVisible();
  }
  await expect(wendy.getByTestId('heal-summary')).toContainText('duplicate');
  await shot(testInfo, ed, 'Merge everything: duplicate and broken thread (student East, 390 px)');

  // ---- 3. Human choice: the banner on every screen, Wendy chooses, the banner goes everywhere.
  await reset();
  await admin.strategy('human');
  const r3 = await playSplit(3, false);
  await healUnder('human');
  const screens: Locator[] = [
    ...students.map((page) => byId(page, r3.plan)),
    byId(board.getByTestId('column-west'), r3.plan),
    byId(board.getByTestId('column-east'), r3.plan),
  ];
  for (const card of screens) {
    const banner = card.getByTestId('conflict-banner');
    await expect(banner).toBeVisible();
    await expect(banner.getByTestId('conflict-version-west')).toContainText(`R3 plan from West`);
    await expect(banner.getByTestId('conflict-version-east')).toContainText(`R3 plan from East`);
  }
  // Only the author chooses her post; anyone may choose for the class post.
  await expect(byId(ed, r3.plan).getByTestId('conflict-waiting')).toHaveText('Waiting for Wendy to choose');
  await expect(byId(ed, 'pinned').getByRole('button', { name: 'Keep West version' })).toBeVisible();
  await expect(board.getByTestId('column-west').getByTestId('conflict-banner').first().getByRole('button')).toHaveCount(0);
  await expect(wendy.getByTestId('conflicts-to-choose')).toContainText('You have 2 conflicts to choose');
  const wendyBanner = byId(wendy, r3.plan).getByTestId('conflict-banner');
  await wendyBanner.scrollIntoViewIfNeeded();
  await testInfo.attach('Human choice: conflict banner (student, 390 px)', { body: await wendyBanner.screenshot(), contentType: 'image/png' });
  await shot(testInfo, wendy, 'Human choice: student page with conflicts (390 px)');

  await wendyBanner.getByRole('button', { name: 'Keep East version' }).click();
  for (const card of screens) await expect(card.getByTestId('conflict-banner')).toHaveCount(0);
  for (const dc of ['west', 'east'] as const) {
    await expect(byId(board.getByTestId(`column-${dc}`), r3.plan).locator('.post-text').first()).toHaveText('R3 plan from East');
    await expect(byId(board.getByTestId(`column-${dc}`), r3.plan).getByTestId('mark-chosen')).toContainText('A person chose the version that stays');
  }
  await expect(wendy.getByTestId('conflicts-to-choose')).toContainText('You have 1 conflict to choose');
  await shot(testInfo, board, 'Board after the choice (1920x1080)', false);
});

test('[CAP1][CAP3] a refusing side says why, disables writing, freezes a refused read, and locks roaming', async ({ browser, baseURL }) => {
  const { code, admin } = await startClass(browser, baseURL);
  const wendy = await joinAsStudent(browser, code, 'Wendy');
  const ed = await joinAsStudent(browser, code, 'Ed');
  const will = await joinAsStudent(browser, code, 'Will');
  await post(wendy, 'Before the cut');
  await expect(ed.getByText('Before the cut')).toBeVisible();

  // Strict majority: West (A, B) cannot reach 3 nodes and refuses; East (C, D, E) carries on (CAP1).
  await admin.quorum(3, 3);
  await admin.cut();
  await expect(wendy.getByTestId('refusal-banner')).toContainText('Writes refused: West can reach 2 of 5 nodes; writes need 3.');
  await expect(wendy.getByLabel('Write a post')).toBeDisabled();
  await expect(wendy.getByTestId('composer-blocked')).toContainText('West can reach 2 of 5 nodes; writes need 3.');
  await expect(ed.getByTestId('refusal-banner')).toHaveCount(0);
  await post(ed, 'East still writes');

  // W = 1, R = 5: both sides write, neither reads; West's feed stays as last seen, greyed (CAP3).
  await admin.quorum(1, 5);
  await expect(wendy.getByTestId('refusal-banner')).toContainText('Reads refused: West can reach 2 of 5 nodes; reads need 5.');
  await expect(wendy.getByTestId('feed')).toHaveAttribute('data-frozen', 'true');
  await expect(will.getByTestId('feed')).toHaveAttribute('data-frozen', 'true');
  await will.getByLabel('Write a post').fill('Written while reads are refused');
  await will.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(will.getByTestId('refusal-banner')).toContainText('Your write was accepted');
  await expect(will.getByText('Written while reads are refused')).toHaveCount(0);
  await expect(wendy.getByText('Written while reads are refused')).toHaveCount(0);

  // Roaming locked by the instructor: the button says so.
  await admin.lockSwitch(true);
  await expect(wendy.getByRole('button', { name: 'Switch datacenter' })).toBeDisabled();
  await expect(wendy.getByText('Locked by the instructor: you stay in West.')).toBeVisible();

  // Heal: reads come back, the page re-joins and shows what it missed.
  await admin.heal();
  await expect(wendy.getByTestId('feed')).not.toHaveAttribute('data-frozen');
  for (const page of [wendy, will, ed]) {
    await expect(page.getByText('Written while reads are refused')).toBeVisible();
    await expect(page.getByText('East still writes')).toBeVisible();
  }
  admin.close();
});
