/**
 * What a student's phone downloads to run `/s/<code>`: a real Chromium opens the page of a fresh
 * session on the production build, joins under a name, and every script response is summed as it
 * came over the wire (body as encoded, plus headers) and as decoded. Prints figures only: per
 * script its size, its headers, its encoding and what it is, then the totals.
 *
 * Chromium offers Brotli and zstd only to secure origins (https, and localhost as a special case):
 * a phone on the classroom LAN at http://<laptop-ip> is offered gzip and deflate alone. So the
 * bench measures twice when it starts the server: at the LAN address (what a phone gets) and at
 * 127.0.0.1 (what https behind a proxy gets). The LAN figure is the one that counts for phones.
 *
 * Usage: node --import tsx tests/bench/page-weight.ts
 * With BASE_URL=http://host:port it measures that running server only; without, it starts the
 * production server (`npx next build` first) on PORT (3102) with a throwaway SQLite file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
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
  headers: number;
  decoded: number;
  encoding: string;
  what: string;
}

/**
 * Turbopack's chunk names say nothing, so a chunk is named by strings only its modules carry
 * (first match wins; a chunk may hold several, then the biggest part is named).
 */
const KINDS: [string, RegExp][] = [
  ['react-dom', /DetermineComponentFrameRoot/],
  ['socket.io-client', /transport close/],
  ['our components', /data-testid/],
  ['react + next helpers', /forceUpdate/],
  ['next app router', /x-deployment-id|useRouterBFCache|HTTPAccessFallbackBoundary/],
  ['turbopack runtime', /TURBOPACK_ASSET_SUFFIX/],
];
const kindOf = (body: string) => KINDS.filter(([, marker]) => marker.test(body)).map(([name]) => name).join(', ') || '?';

/** The first LAN IPv4 address, the one a phone would be given on the QR code. */
function lanAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

const lan = process.env.BASE_URL ? null : lanAddress();
let server: ChildProcess | null = null;
const dir = mkdtempSync(path.join(tmpdir(), 'sbl-page-weight-'));
try {
  if (!process.env.BASE_URL) {
    server = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', PORT: port, HOST: lan ? '0.0.0.0' : '127.0.0.1', DATABASE_URL: `file:${path.join(dir, 'weight.db')}` },
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
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const bases = lan ? [`http://${lan}:${port}`, base] : [base];
  for (const at of bases) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const pending: Promise<Script>[] = [];
    page.on('response', (response: Response) => {
      if (response.request().resourceType() !== 'script') return;
      pending.push(
        (async () => {
          const sizes = await response.request().sizes();
          const body = await response.body();
          return {
            url: response.url(),
            transferred: sizes.responseBodySize + sizes.responseHeadersSize,
            headers: sizes.responseHeadersSize,
            decoded: body.length,
            encoding: (await response.headerValue('content-encoding')) ?? 'identity',
            what: kindOf(body.toString('utf8')),
          };
        })(),
      );
    });
    await page.goto(`${at}/s/${code}`, { waitUntil: 'load' });
    await page.getByLabel('Your name').fill('Wendy');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByTestId('my-dc').waitFor();
    await page.waitForLoadState('networkidle');
    const scripts = await Promise.all(pending);
    await context.close();

    console.log(`\n${at}/s/<code>${at === base && lan ? ' (a secure origin to Chromium, like https)' : ''}`);
    console.log('     wire  headers   decoded  encoding  what');
    for (const s of scripts.sort((a, b) => b.transferred - a.transferred)) {
      console.log(`${kb(s.transferred).padStart(9)} ${String(s.headers).padStart(6)} B ${kb(s.decoded).padStart(9)}  ${s.encoding.padEnd(8)}  ${s.what}  ${new URL(s.url).pathname}`);
    }
    const sum = (key: 'transferred' | 'decoded' | 'headers') => scripts.reduce((total, s) => total + s[key], 0);
    console.log(`/s/<code>: ${scripts.length} scripts, ${kb(sum('transferred'))} JS transferred (${kb(sum('headers'))} of it headers), ${kb(sum('decoded'))} decoded`);
  }
  await browser.close();
} finally {
  server?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
