/**
 * The consensus board's frame rate while it animates: a real Chromium opens
 * /board/<code>/consensus at 1920x1080 on a running production server, the session is split (so
 * West's candidates keep asking and the cut drops their messages), and for 10 s the page counts
 * its requestAnimationFrame callbacks and their spacing, long tasks, and the server frames it drew.
 * Figures only, no assertions.
 *
 * Usage: BASE_URL=http://127.0.0.1:3200 node --import tsx tests/bench/consensus-fps.ts [seconds=10] [speed=0.25]
 * BASE_URL defaults to http://127.0.0.1:3100, a server started with
 * `npx next build && NODE_ENV=production PORT=3100 node --import tsx server/index.ts`.
 */
import { chromium } from '@playwright/test';
import { client, ok } from '../support/server.ts';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3100';
const seconds = Number(process.argv[2] ?? 10);
const speed = Number(process.argv[3] ?? 0.25);

interface Measured {
  callbacks: number;
  elapsedMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  over50Ms: number;
  longTasks: number;
  longTaskMs: number;
  framesDrawn: number;
  meanDots: number;
}

/**
 * Runs in the page. Kept as source text: tsx names the functions it compiles with a helper the
 * page does not have, so a compiled closure would not run there.
 */
const MEASURE = `async (ms) => {
  const deltas = [];
  let longTasks = 0;
  let longTaskMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      longTasks += 1;
      longTaskMs += entry.duration;
    }
  });
  observer.observe({ type: 'longtask', buffered: false });
  // One mutation callback per React commit that changed the Raft panel: a server frame drawn.
  let framesDrawn = 0;
  const mutations = new MutationObserver(() => { framesDrawn += 1; });
  const panel = document.querySelector('[data-testid="raft-panel"]');
  if (panel) mutations.observe(panel, { characterData: true, childList: true, attributes: true, subtree: true });
  let dots = 0;
  let callbacks = 0;
  const start = performance.now();
  let last = start;
  await new Promise((resolve) => {
    requestAnimationFrame(function tick(now) {
      callbacks += 1;
      deltas.push(now - last);
      last = now;
      dots += document.querySelectorAll('[data-testid="raft-message"]').length;
      if (now - start < ms) requestAnimationFrame(tick);
      else resolve();
    });
  });
  observer.disconnect();
  mutations.disconnect();
  const sorted = deltas.slice(1).sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    callbacks,
    elapsedMs: last - start,
    medianMs: at(0.5),
    p95Ms: at(0.95),
    maxMs: sorted[sorted.length - 1] ?? NaN,
    over50Ms: sorted.filter((d) => d > 50).length,
    longTasks,
    longTaskMs,
    framesDrawn,
    meanDots: callbacks ? dots / callbacks : 0,
  };
}`;

const admin = await client(BASE_URL);
const { code, secret } = ok(await admin.emitWithAck('session:create', {}));
ok(await admin.emitWithAck('admin:watch', { code, secret }));
ok(await admin.emitWithAck('consensus:watch', {}));
ok(await admin.emitWithAck('admin:consensus', { action: 'speed', speed }));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await page.goto(`${BASE_URL}/board/${code}/consensus`);
  await page.getByTestId('raft-leader').first().waitFor({ timeout: 30_000 });
  ok(await admin.emitWithAck('admin:partition', { mode: 'cut' }));
  await page.locator('[data-testid="consensus-cut"][data-cut="full"]').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(1000);

  const m = await page.evaluate<Measured>(`(${MEASURE})(${seconds * 1000})`);

  const fps = (m.callbacks / m.elapsedMs) * 1000;
  console.log(`consensus board at 1920x1080 on ${BASE_URL}, split, sim speed ${speed}x, ${(m.elapsedMs / 1000).toFixed(1)} s:`);
  console.log(`  requestAnimationFrame callbacks: ${m.callbacks} = ${fps.toFixed(1)} fps`);
  console.log(`  frame time: median ${m.medianMs.toFixed(1)} ms, p95 ${m.p95Ms.toFixed(1)} ms, max ${m.maxMs.toFixed(1)} ms, ${m.over50Ms} frames over 50 ms`);
  console.log(`  long tasks: ${m.longTasks} (${m.longTaskMs.toFixed(0)} ms in all)`);
  console.log(`  server frames drawn: ${m.framesDrawn} (${(m.framesDrawn / (m.elapsedMs / 1000)).toFixed(1)} per s), message dots on screen: ${m.meanDots.toFixed(1)} on average`);
} finally {
  await browser.close();
  admin.disconnect();
}
