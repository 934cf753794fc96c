/**
 * What a student's phone downloads to run `/s/<code>`: a real Chromium opens the page of a fresh
 * session on the production build, joins under a name, and every script response is summed as it
 * came over the wire (body as encoded, plus headers) and as decoded. Prints figures only.
 *
 * Usage: node --import tsx tests/bench/page-weight.ts
 * With BASE_URL=http://host:port it uses that running server; without, it starts the production
 * server (`npx next build` first) on PORT (3102) with a throwaway SQLite file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Response } from '@playwright/test';
import { findChromium } from '../e2e/chromium.ts';
import { client, ok } from '../support/server.ts';
import { waitForServer } from './wait-for-server.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const port = process.env.PORT ?? '3102';
const base = process.env.BASE_URL ?? `http://127.0.0.1:${port}`;

interface Script {
  url: string;
  transferred: number;
  decoded: number;
}

let server: ChildProcess | null = null;
const dir = mkdtempSync(path.join(tmpdir(), 'sbl-page-weight-'));
try {
  if (!process.env.BASE_URL) {
    server = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', PORT: port, HOST: '127.0.0.1', DATABASE_URL: `file:${path.join(dir, 'weight.db')}` },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  await waitForServer(`${base}/`, 180_000);
  const admin = await client(base);
  const { code } = ok(await admin.emitWithAck('session:create', {}));
  admin.close();

  const browser = await chromium.launch({
    executablePath: findChromium() ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const pending: Promise<Script>[] = [];
  page.on('response', (response: Response) => {
    if (response.request().resourceType() !== 'script') return;
    pending.push(
      (async () => {
        const sizes = await response.request().sizes();
        const body = await response.body();
        return { url: response.url(), transferred: sizes.responseBodySize + sizes.responseHeadersSize, decoded: body.length };
      })(),
    );
  });
  await page.goto(`${base}/s/${code}`, { waitUntil: 'load' });
  await page.getByLabel('Your name').fill('Wendy');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByTestId('my-dc').waitFor();
  await page.waitForLoadState('networkidle');
  const scripts = await Promise.all(pending);
  await browser.close();

  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  for (const s of scripts.sort((a, b) => b.transferred - a.transferred)) {
    console.log(`${kb(s.transferred).padStart(9)} over the wire ${kb(s.decoded).padStart(9)} decoded  ${new URL(s.url).pathname}`);
  }
  const sum = (key: 'transferred' | 'decoded') => scripts.reduce((total, s) => total + s[key], 0);
  console.log(`/s/<code>: ${scripts.length} scripts, ${kb(sum('transferred'))} JS transferred, ${kb(sum('decoded'))} decoded`);
} finally {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
