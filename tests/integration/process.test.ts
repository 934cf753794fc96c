/**
 * The server as a process, as `npm start` runs it (server/index.ts), on a temp SQLite file and
 * without the Next.js pages (SERVE_PAGES=off), so no build is needed: start-up failures (REL6),
 * signals through npm (REL7), one process per database file (REL8).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../server/env.ts';
import type { Ack, PostView } from '../../server/protocol/index.ts';
import { client, ok, opId, whenLoaded } from '../support/server.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sbl-process-'));
// Readable by the unprivileged user the read-only case runs as.
fs.chmodSync(dir, 0o755);
let files = 0;
const dbFile = () => path.join(dir, `p${++files}.db`);
afterAll(() => {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, entry), 0o755);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Each test starts one to three node processes that compile TypeScript on start: seconds each on 2 busy cores. */
const CHILD_TEST_MS = 90_000;

/** A deadline for a process to do what it must; the rule (REL7) gives 5 s. */
const WITHIN_MS = 5000;

interface Child {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the URL from the ready line. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];
/** Processes npm started: if npm leaves one behind, the test fails, and this ends it. */
const grandchildren: number[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of grandchildren.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

function run(command: string, args: string[], env: Record<string, string>, extra: { uid?: number; gid?: number } = {}): Child {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', SERVE_PAGES: 'off', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...extra,
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const url = /is ready on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    void exited.then(({ code }) => reject(new Error(`exited ${code} before it was ready: ${err}`)));
  });
  ready.catch(() => {});
  return { process: child, stdout: () => out, stderr: () => err, ready, exited };
}

/** `node --import tsx server/index.ts`: what `npm start` execs. */
const server = (env: Record<string, string>, extra: { uid?: number; gid?: number } = {}) =>
  run(process.execPath, ['--import', 'tsx', 'server/index.ts'], env, extra);

function deadline<T>(promise: Promise<T>, what: string, ms = WITHIN_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A start that must fail: exit 1 and exactly one line on stderr, which names `where`. */
async function expectRefusal(child: Child, ...mentions: string[]): Promise<string> {
  const { code } = await deadline(child.exited, 'refused start', 30_000);
  const lines = child.stderr().trim().split('\n');
  expect(code).toBe(1);
  expect(lines).toHaveLength(1);
  for (const text of mentions) expect(lines[0]).toContain(text);
  return lines[0]!;
}

const refusesConnections = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The children of a process, from Linux's /proc; remembered for the clean-up. */
function childrenOf(pid: number): number[] {
  const pids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  grandchildren.push(...pids);
  return pids;
}

async function waitUntil(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  await deadline(
    (async () => {
      while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
    })(),
    what,
  );
}

describe('[REL6] a start-up failure exits non-zero with one line naming what and where', { timeout: CHILD_TEST_MS }, () => {
  it('[REL6] a bad environment variable', async () => {
    await expectRefusal(server({ DATABASE_URL: `file:${dbFile()}`, PORT: 'eighty' }), 'Bad environment', 'PORT');
  });

  it('[REL6] CLUSTER=1 on SQLite (processes share sessions only through PostgreSQL)', async () => {
    await expectRefusal(server({ DATABASE_URL: `file:${dbFile()}`, CLUSTER: '1' }), 'CLUSTER=1', 'PostgreSQL');
  });

  it('[REL6] a database path that is a directory', async () => {
    const target = fs.mkdtempSync(path.join(dir, 'a-directory-'));
    await expectRefusal(server({ DATABASE_URL: `file:${target}` }), target, 'is a directory');
  });

  it('[REL6] a file that is not a SQLite database', async () => {
    const file = dbFile();
    fs.writeFileSync(file, 'these are not the bytes of a database. '.repeat(50));
    await expectRefusal(server({ DATABASE_URL: `file:${file}` }), file, 'not a SQLite database');
  });

  it('[REL6] a read-only directory', async () => {
    const readOnly = fs.mkdtempSync(path.join(dir, 'read-only-'));
    fs.chmodSync(readOnly, 0o555);
    const file = path.join(readOnly, 'lab.db');
    // Root writes anywhere: the server then runs as an unprivileged user, as it would be deployed.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    await expectRefusal(server({ DATABASE_URL: `file:${file}` }, asUser), file, 'read-only');
  });

  it('[REL6] a port that is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      await expectRefusal(server({ DATABASE_URL: `file:${dbFile()}`, PORT: String(port) }), `port ${port}`, 'EADDRINUSE');
    } finally {
      taken.close();
    }
  });
});

describe('[REL8] one server process per database file', { timeout: CHILD_TEST_MS }, () => {
  it('[REL8] a second server on the same file refuses to start; once the first is killed with SIGKILL, the next one starts', async () => {
    const file = dbFile();
    const first = server({ DATABASE_URL: `file:${file}` });
    await deadline(first.ready, 'first server ready', 30_000);
    await expectRefusal(server({ DATABASE_URL: `file:${file}` }), file, 'in use by another');

    first.process.kill('SIGKILL');
    await first.exited;
    const third = server({ DATABASE_URL: `file:${file}` });
    await deadline(third.ready, 'third server ready', 30_000);
    third.process.kill('SIGTERM');
    expect(await deadline(third.exited, 'third server stops')).toEqual({ code: 0, signal: null });
  });
});

describe('[REL7] SIGTERM or SIGINT to the process `npm start` started stops the server gracefully', { timeout: CHILD_TEST_MS }, () => {
  it('[REL7] SIGTERM to npm: the port closes, every process exits within 5 s, and every acknowledged write is stored', async () => {
    const file = dbFile();
    const npm = run('npm', ['start', '--silent'], { DATABASE_URL: `file:${file}` });
    const url = await deadline(npm.ready, 'npm start ready', 30_000);
    const children = childrenOf(npm.process.pid!);
    expect(children.length).toBeGreaterThan(0);

    const admin = await client(url);
    const { code, secret } = ok(await admin.emitWithAck('session:create', {}));
    const student = await client(url);
    ok(await student.emitWithAck('session:join', { code, name: 'Wendy' }));
    // Writes in flight when the signal comes: each is either acknowledged (then stored) or not answered.
    const writes = Array.from({ length: 20 }, (_, i) => ({ opId: opId(), text: `write ${i}`, parentId: null }));
    const acks = writes.map((w) => (student.timeout(WITHIN_MS).emitWithAck('post:create', w) as Promise<Ack<PostView>>).catch(() => null));
    npm.process.kill('SIGTERM');

    const { code: exitCode } = await deadline(npm.exited, 'npm exits');
    expect(exitCode).toBe(0);
    await waitUntil(() => children.every((pid) => !alive(pid)), 'the server process exits');
    expect(await refusesConnections(url)).toBe(true);
    expect(npm.stdout()).toContain('Split-Brain Lab stopped.');

    const acknowledged = (await Promise.all(acks)).flatMap((ack, i) => (ack?.ok ? [writes[i]!.text] : []));
    const again = server({ DATABASE_URL: `file:${file}` });
    const watcher = await client(await deadline(again.ready, 'restart ready', 30_000));
    const view = ok(await whenLoaded(() => watcher.emitWithAck('admin:watch', { code, secret })));
    const stored = new Set(view.posts.west.map((p) => p.text));
    expect(acknowledged.filter((text) => !stored.has(text))).toEqual([]);
    again.process.kill('SIGTERM');
    await deadline(again.exited, 'restarted server stops');
  });

  it('[REL7] SIGINT to npm: the port closes and every process exits within 5 s', async () => {
    const npm = run('npm', ['start', '--silent'], { DATABASE_URL: `file:${dbFile()}` });
    const url = await deadline(npm.ready, 'npm start ready', 30_000);
    const children = childrenOf(npm.process.pid!);
    npm.process.kill('SIGINT');
    await deadline(npm.exited, 'npm exits');
    await waitUntil(() => children.every((pid) => !alive(pid)), 'the server process exits');
    expect(await refusesConnections(url)).toBe(true);
  });
});
