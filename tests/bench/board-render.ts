/**
 * The board at 1,000 ops: a class posts across a split on the real production server, then a
 * real Chromium opens the projector view. Prints the median (of 5 page loads) time until the
 * board has rendered both feeds and the timeline, and the time a burst of 100 more posts (each
 * a handful of incremental broadcasts: post, timeline, divergence, in-flight) takes to show.
 * Figures only, no assertions.
 *
 * Usage: flock /tmp/sbl-e2e.lock node --import tsx tests/bench/board-render.ts [ops=1000] [runs=5]
 * With BASE_URL=http://host:port it uses that running server; without, it starts the production
 * server (`npm run build` first) on port 3199 with a throwaway SQLite file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { client, ok, opId, type Client } from '../support/server.ts';
import { median } from './stats.ts';
import { waitForServer } from './wait-for-server.ts';

const ops = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 5);
const BURST = 100;
const ROOT = path.resolve(import.meta.dirname, '../..');

let server: ChildProcess | null = null;
const dir = mkdtempSync(path.join(tmpdir(), 'sbl-board-bench-'));
const base = process.env.BASE_URL ?? 'http://127.0.0.1:3199';
try {
  if (!process.env.BASE_URL) {
    server = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', PORT: '3199', HOST: '127.0.0.1', DATABASE_URL: `file:${path.join(dir, 'bench.db')}`, WRITE_RATE_LIMIT: 'off' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  await waitForServer(`${base}/`, 180_000);

  // A class of two across a split: a tenth of the posts before the cut, the rest on both sides during it.
  const admin = await client(base);
  const { code, secret } = ok(await admin.emitWithAck('session:create', {}));
  ok(await admin.emitWithAck('admin:watch', { code, secret }));
  const west = await client(base);
  const east = await client(base);
  ok(await west.emitWithAck('session:join', { code, name: 'Wendy' }));
  ok(await east.emitWithAck('session:join', { code, name: 'Ed' }));
  const post = (socket: Client, text: string) => socket.emitWithAck('post:create', { opId: opId(), text, parentId: null }).then(ok);
  const t0 = performance.now();
  const before = Math.round(ops / 10);
  for (let i = 0; i < ops; i += 25) {
    if (i === before) ok(await admin.emitWithAck('admin:partition', { mode: 'cut' }));
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(ops, i + 25); j += 1) batch.push(post(j % 2 === 0 ? west : east, `Post ${j} from ${j % 2 === 0 ? 'West' : 'East'}`));
    await Promise.all(batch);
  }
  console.log(`drove ${ops} posts (${before} before the split, ${ops - before} during it) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const renders: number[] = [];
  const bursts: number[] = [];
  const longTasks: number[] = [];
  const pageLoads: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const snapshot = ok(await admin.emitWithAck('admin:watch', { code, secret }));
    const live = (posts: typeof snapshot.posts.west) => posts.filter((p) => !p.pinned && !p.deleted).length;
    const expected = { west: live(snapshot.posts.west), east: live(snapshot.posts.east) };
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(`${base}/board/${code}`, { waitUntil: 'commit' });
    // Milliseconds since navigation start, taken in the page on the first frame that has it all.
    const rendered = await page.waitForFunction(
      // No named inner functions here: tsx would wrap them in a helper the page does not have.
      (want) => {
        const timeline = document.querySelector('[data-testid="timeline"]');
        // Both halves counted every post and drew their newest threads, and the diagram has dots.
        const west = parseInt(document.querySelector('[data-testid="post-count-west"]')?.textContent ?? '', 10);
        const east = parseInt(document.querySelector('[data-testid="post-count-east"]')?.textContent ?? '', 10);
        const drawn = document.querySelectorAll('[data-testid="post"]').length;
        return timeline && Number(timeline.getAttribute('data-shown')) > 0 && west >= want.west && east >= want.east && drawn > 2 ? performance.now() : false;
      },
      expected,
      { polling: 'raf', timeout: 120_000 },
    );
    renders.push(Number(await rendered.jsonValue()));
    const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    // How much of it is loading the page itself (HTML, scripts) rather than the class's data.
    const loaded = await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? NaN);
    pageLoads.push(loaded);

    await page.evaluate(() => {
      const w = window as unknown as { longTaskMs: number };
      w.longTaskMs = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTaskMs += entry.duration;
      }).observe({ type: 'longtask' });
    });
    const start = await page.evaluate(() => performance.now());
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < BURST; i += 1) sends.push(post(i % 2 === 0 ? west : east, `Burst ${run}-${i} from ${i % 2 === 0 ? 'West' : 'East'}`));
    const acked = Promise.all(sends).then(() => performance.now());
    const sentAt = performance.now();
    const shown = await page.waitForFunction(
      (last) => {
        const west = [...document.querySelectorAll('[data-testid="column-west"] [data-testid="post"]')].some((el) => el.textContent?.includes(last.west));
        const east = [...document.querySelectorAll('[data-testid="column-east"] [data-testid="post"]')].some((el) => el.textContent?.includes(last.east));
        return west && east ? performance.now() : false;
      },
      { west: `Burst ${run}-${BURST - 2} from West`, east: `Burst ${run}-${BURST - 1} from East` },
      { polling: 'raf', timeout: 120_000 },
    );
    bursts.push(Number(await shown.jsonValue()) - start);
    longTasks.push(await page.evaluate(() => (window as unknown as { longTaskMs: number }).longTaskMs));
    console.log(
      `run ${run + 1}: rendered the board over ${expected.west}+${expected.east} posts and the timeline in ${renders.at(-1)?.toFixed(0)} ms (page loaded at ${loaded.toFixed(0)} ms; ${domNodes} DOM nodes); ` +
        `burst of ${BURST} posts shown after ${bursts.at(-1)?.toFixed(0)} ms (server acked all after ${((await acked) - sentAt).toFixed(0)} ms; long tasks ${longTasks.at(-1)?.toFixed(0)} ms)`,
    );
    await context.close();
  }
  console.log(
    `board render at ${ops} ops, median of ${runs}: ${median(renders).toFixed(0)} ms from navigation to both feeds and the timeline drawn (page itself loaded at ${median(pageLoads).toFixed(0)} ms)`,
  );
  console.log(`burst of ${BURST} posts, median of ${runs}: ${median(bursts).toFixed(0)} ms until the last is on the board (main-thread long tasks ${median(longTasks).toFixed(0)} ms)`);
  await browser.close();
  for (const socket of [admin, west, east]) socket.disconnect();
} finally {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
