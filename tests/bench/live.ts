/**
 * `npm run bench:live`: a lecture hall against the app, side by side with a bare Socket.IO server.
 * N socket.io-client students (default 300) in one session post R posts/s in total (default 30)
 * for S seconds (default 60); we time each post from send to its last delivery on the other
 * students' sockets. The same clients and rate run against a raw Socket.IO 4.8 server that only
 * rebroadcasts, and the app's figures are given as ratios to it. The app runs twice: an empty
 * session, and one with 50K posts already in its log. Then each server is pushed at rising rates
 * to find the highest it sustains before p99 passes 250 ms. Servers are child processes, so their
 * RSS, heap and CPU are their own. Prints a table, and one JSON object as the last line.
 *
 * `--topology sqlite,pg,cluster` measures the app, in the same run, on SQLite (one process, the
 * default), on PostgreSQL (one process, a throwaway durable PostgreSQL 15 from Debian's packages) and
 * as two cluster processes on that PostgreSQL behind the http-proxy front (scripts/cluster-proxy.ts:
 * the session is owned by one, half the students' posts are forwarded to it from the other; the
 * proxy runs in this bench process). A cluster run's RSS, heap and CPU are both members' together.
 *
 * Usage: npm run bench:live [-- --clients 300 --rate 30 --seconds 60 --lived 50000 --ramp 6 --topology sqlite,pg,cluster]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import { startProxy } from '../../scripts/cluster-proxy.ts';
import { PROTOCOL_VERSION } from '../../server/protocol/index.ts';
import { startPostgres, type TempPostgres } from '../support/postgres.ts';
import type { FromBench, ToBench } from './live-server.ts';
import { median, percentile } from './stats.ts';

type StatsMessage = Extract<ToBench, { type: 'stats' }>;

export interface LiveOptions {
  clients: number;
  rate: number;
  seconds: number;
  /** Posts already stored in the session for the "lived" run; 0 skips that run. */
  lived: number;
  /** Seconds per step of the saturation search; 0 skips it. */
  rampSeconds: number;
  rampRates: readonly number[];
  /** Where the app runs: SQLite (one process), PostgreSQL (one process), two cluster processes behind the proxy. */
  topologies?: readonly Topology[];
  log: (line: string) => void;
}

export const TOPOLOGIES = ['sqlite', 'pg', 'cluster'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

export interface WindowFigures {
  posts: number;
  p50: number;
  p95: number;
  p99: number;
  /** Deliveries that arrived over deliveries owed (each post to every other student). */
  delivered: number;
  /** Server CPU time over the window, as a share of one core. */
  cpu: number;
}

export interface RunFigures extends WindowFigures {
  label: string;
  joinP50: number;
  joinMax: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  heapPerClientKb: number;
  sustained: number | null;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const P99_LIMIT_MS = 250;

/** One server child process and the IPC to read its figures. */
class ServerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly ready: Extract<ToBench, { type: 'ready' }>,
  ) {}

  static async start(env: Record<string, string>): Promise<ServerProcess> {
    const child = fork(path.join(HERE, 'live-server.ts'), [], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
      env: { ...process.env, NODE_ENV: 'production', WRITE_RATE_LIMIT: 'off', ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<Extract<ToBench, { type: 'ready' }>>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`bench server exited with ${String(code)}`)));
      child.on('message', (m: ToBench) => {
        if (m.type === 'ready') resolve(m);
      });
    });
    return new ServerProcess(child, ready);
  }

  stats(): Promise<StatsMessage> {
    return new Promise((resolve) => {
      const listener = (m: ToBench) => {
        if (m.type !== 'stats') return;
        this.child.off('message', listener);
        resolve(m);
      };
      this.child.on('message', listener);
      this.child.send({ type: 'stats' } satisfies FromBench);
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** The server(s) a run measures: one process, or cluster members behind the proxy (their figures summed). */
interface Servers {
  url: string;
  session?: { code: string; secret: string };
  stats(): Promise<StatsMessage>;
  stop(): Promise<void>;
}

const one = (server: ServerProcess): Servers => ({ ...server.ready, stats: () => server.stats(), stop: () => server.stop() });

/** Two cluster members on one PostgreSQL database, and the proxy in front of them. */
async function clusterOf(env: Record<string, string>): Promise<Servers> {
  const proxy = await startProxy(0, '127.0.0.1');
  const front = `http://127.0.0.1:${proxy.port}`;
  const members = await Promise.all([0, 1].map(() => ServerProcess.start({ ...env, LIVE_CLUSTER: '1', LIVE_ALLOWED: front })));
  proxy.targets.push(...members.map((m) => m.ready.url));
  return {
    url: front,
    async stats() {
      const all = await Promise.all(members.map((m) => m.stats()));
      return { type: 'stats', rss: all.reduce((n, s) => n + s.rss, 0), heapUsed: all.reduce((n, s) => n + s.heapUsed, 0), cpuMs: all.reduce((n, s) => n + s.cpuMs, 0) };
    },
    async stop() {
      await Promise.all(members.map((m) => m.stop()));
      await proxy.close();
    },
  };
}

/** What a run needs from a server: a way to seat a student and to post as them. */
interface Seat {
  post(id: string): Promise<void>;
  /** Called with the post id of every post this student's screen receives. */
  onArrive(listener: (id: string) => void): void;
  close(): void;
}

type AnySocket = Socket;

function open(url: string, auth: Record<string, unknown>): Promise<AnySocket> {
  const socket = connect(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

type Ack = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

function expectOk(ack: Ack, what: string): unknown {
  if (!ack.ok) throw new Error(`${what}: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

async function rawSeat(url: string): Promise<Seat> {
  const socket = await open(url, {});
  await socket.emitWithAck('join', 'hall');
  return {
    async post(id) {
      await socket.emitWithAck('post', { room: 'hall', id, text: id });
    },
    onArrive(listener) {
      socket.on('posted', (p: { id: string }) => listener(p.id));
    },
    close: () => socket.disconnect(),
  };
}

async function appSeat(url: string, code: string, name: string): Promise<Seat> {
  const socket = await open(url, { protocol: PROTOCOL_VERSION });
  expectOk((await socket.emitWithAck('session:join', { code, name })) as Ack, 'join');
  return {
    async post(id) {
      expectOk((await socket.emitWithAck('post:create', { opId: id, text: id, parentId: null })) as Ack, 'post');
    },
    onArrive(listener) {
      socket.on('post:changed', (change: { post: { text: string } }) => listener(change.post.text));
    },
    close: () => socket.disconnect(),
  };
}

/** Posts at `rate` per second for `seconds`, round-robin over the seats, and times each to its last delivery. */
async function postWindow(server: Pick<Servers, 'stats'>, seats: readonly Seat[], rate: number, seconds: number, tag: string): Promise<WindowFigures> {
  const owed = seats.length - 1;
  const pending = new Map<string, { t0: number; from: number; seen: Set<number>; last: number }>();
  const done: number[] = [];
  let deliveries = 0;
  const arrivals = seats.map((_, i) => (id: string) => {
    const p = pending.get(id);
    if (!p || i === p.from || p.seen.has(i)) return;
    p.seen.add(i);
    deliveries += 1;
    p.last = performance.now();
    if (p.seen.size === owed) done.push(p.last - p.t0);
  });
  seats.forEach((seat, i) => seat.onArrive(arrivals[i] ?? (() => {})));
  const cpuBefore = (await server.stats()).cpuMs;
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let n = 0; n < total; n += 1) {
    const due = started + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const id = `${tag.replace(/[^\w-]/g, "_")}-${n}`;
    const from = n % seats.length;
    pending.set(id, { t0: performance.now(), from, seen: new Set(), last: 0 });
    sends.push(seats[from]?.post(id) ?? Promise.resolve());
  }
  await Promise.all(sends);
  // Let the tail drain: everything should arrive well within 10 s.
  const drainUntil = performance.now() + 10_000;
  while (done.length < total && performance.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 50));
  const elapsed = performance.now() - started;
  const cpuAfter = (await server.stats()).cpuMs;
  // A post that never reached everyone counts at the time of its last arrival (or the window's end).
  const times = [...pending.values()].map((p) => (p.seen.size === owed ? p.last - p.t0 : Infinity));
  return {
    posts: total,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    delivered: deliveries / (total * owed),
    cpu: (cpuAfter - cpuBefore) / elapsed,
  };
}

const mb = (bytes: number) => bytes / 1024 / 1024;

async function seatAll(count: number, seat: (i: number) => Promise<Seat>): Promise<{ seats: Seat[]; joinTimes: number[] }> {
  const seats: Seat[] = [];
  const joinTimes: number[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, async (_, k) => {
        const t0 = performance.now();
        const s = await seat(i + k);
        joinTimes.push(performance.now() - t0);
        return s;
      }),
    );
    seats.push(...batch);
  }
  return { seats, joinTimes };
}

/** One server under the class's load, then (optionally) the saturation search on fresh seats' posts. */
async function measure(label: string, options: LiveOptions, env: Record<string, string>, kind: 'app' | 'raw', cluster = false): Promise<RunFigures> {
  const server = cluster ? await clusterOf(env) : one(await ServerProcess.start(env));
  try {
    const { url } = server;
    let code = server.session?.code;
    let adminSocket: AnySocket | null = null;
    if (kind === 'app') {
      adminSocket = await open(url, { protocol: PROTOCOL_VERSION });
      const session = server.session ?? (expectOk((await adminSocket.emitWithAck('session:create', {})) as Ack, 'create') as { code: string; secret: string });
      code = session.code;
      // The simulated link's latency is the lesson's, not the server's: measure the server with it at 0.
      expectOk((await adminSocket.emitWithAck('admin:watch', session)) as Ack, 'watch');
      expectOk((await adminSocket.emitWithAck('admin:link', { latencyMs: 0, jitterMs: 0 })) as Ack, 'link');
    }
    const before = await server.stats();
    const sessionCode = code ?? '';
    const { seats, joinTimes } = await seatAll(options.clients, (i) => (kind === 'app' ? appSeat(url, sessionCode, `Student ${i + 1}`) : rawSeat(url)));
    const seated = await server.stats();
    const window = await postWindow(server, seats, options.rate, options.seconds, `${label}-main`);
    let sustained: number | null = null;
    if (options.rampSeconds > 0) {
      for (const rate of options.rampRates) {
        const step = await postWindow(server, seats, rate, options.rampSeconds, `${label}-ramp-${rate}`);
        options.log(`  ${label}: ${rate} posts/s -> p99 ${step.p99.toFixed(1)} ms, delivered ${(step.delivered * 100).toFixed(2)} %`);
        if (step.p99 > P99_LIMIT_MS || step.delivered < 1) break;
        sustained = rate;
      }
    }
    const after = await server.stats();
    for (const seat of seats) seat.close();
    adminSocket?.disconnect();
    return {
      label,
      ...window,
      joinP50: median(joinTimes),
      joinMax: Math.max(...joinTimes),
      rssBeforeMb: mb(before.rss),
      rssAfterMb: mb(after.rss),
      heapBeforeMb: mb(before.heapUsed),
      heapAfterMb: mb(after.heapUsed),
      heapPerClientKb: (seated.heapUsed - before.heapUsed) / 1024 / options.clients,
      sustained,
    };
  } finally {
    await server.stop();
  }
}

/**
 * Runs the raw baseline and the app (empty on SQLite, then lived), then the app on each other
 * topology asked for, and returns every figure.
 */
export async function runLive(options: LiveOptions): Promise<{ raw: RunFigures; app: RunFigures; lived: RunFigures | null; topologies: RunFigures[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sbl-live-'));
  let postgres: TempPostgres | null = null;
  try {
    options.log(`${options.clients} students, ${options.rate} posts/s for ${options.seconds} s`);
    const raw = await measure('raw', options, { LIVE_MODE: 'raw' }, 'raw');
    const app = await measure('app', options, { LIVE_MODE: 'app', LIVE_DB: path.join(dir, 'empty.db') }, 'app');
    const lived =
      options.lived > 0
        ? await measure(`app+${options.lived}`, options, { LIVE_MODE: 'app', LIVE_DB: path.join(dir, 'lived.db'), LIVE_SEED_POSTS: String(options.lived) }, 'app')
        : null;
    const topologies: RunFigures[] = [];
    for (const topology of options.topologies ?? []) {
      if (topology === 'sqlite') continue;
      // Durable, as SQLite is (synchronous = FULL): PostgreSQL's defaults.
      postgres ??= await startPostgres({ mode: 'durable' });
      const db = await postgres.createDatabase(`live_${topology}`);
      topologies.push(await measure(topology === 'pg' ? 'app-pg' : 'app-2proc', options, { LIVE_MODE: 'app', LIVE_DB: db }, 'app', topology === 'cluster'));
    }
    return { raw, app, lived, topologies };
  } finally {
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(runs: readonly RunFigures[], raw: RunFigures): string {
  const rows = [
    ['run', 'p50 ms', 'p95 ms', 'p99 ms', 'p95/raw', 'delivered', 'cpu', 'join p50', 'rss MB', 'heap MB', 'heap/student', 'sustained/s'],
    ...runs.map((r) => [
      r.label,
      r.p50.toFixed(1),
      r.p95.toFixed(1),
      r.p99.toFixed(1),
      (r.p95 / raw.p95).toFixed(2),
      `${(r.delivered * 100).toFixed(2)} %`,
      `${(r.cpu * 100).toFixed(0)} %`,
      `${r.joinP50.toFixed(1)} ms`,
      `${r.rssBeforeMb.toFixed(0)}->${r.rssAfterMb.toFixed(0)}`,
      `${r.heapBeforeMb.toFixed(0)}->${r.heapAfterMb.toFixed(0)}`,
      `${r.heapPerClientKb.toFixed(1)} KB`,
      r.sustained === null ? '-' : String(r.sustained),
    ]),
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, c) => cell.padStart(widths[c] ?? 0)).join(' | ')).join('\n');
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

function topologiesFlag(): Topology[] {
  const i = process.argv.indexOf('--topology');
  const asked = i >= 0 ? (process.argv[i + 1] ?? '').split(',') : ['sqlite'];
  const unknown = asked.filter((t) => !(TOPOLOGIES as readonly string[]).includes(t));
  if (unknown.length > 0) throw new Error(`--topology takes ${TOPOLOGIES.join(',')}, not ${unknown.join(',')}`);
  return asked as Topology[];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options: LiveOptions = {
    clients: flag('clients', 300),
    rate: flag('rate', 30),
    seconds: flag('seconds', 60),
    lived: flag('lived', 50_000),
    rampSeconds: flag('ramp', 6),
    rampRates: [100, 200, 300, 400, 600, 800, 1200, 1600],
    topologies: topologiesFlag(),
    log: (line) => console.log(line),
  };
  const { raw, app, lived, topologies } = await runLive(options);
  const runs = [raw, app, ...(lived ? [lived] : []), ...topologies];
  console.log(table(runs, raw));
  const ratio = (r: RunFigures) => ({ p50: r.p50 / raw.p50, p95: r.p95 / raw.p95, p99: r.p99 / raw.p99, cpu: r.cpu / raw.cpu });
  console.log(JSON.stringify({ bench: 'live', options: { ...options, log: undefined }, raw, app, lived, appVsRaw: ratio(app), livedVsRaw: lived ? ratio(lived) : null, livedVsApp: lived ? { p95: lived.p95 / app.p95, p99: lived.p99 / app.p99 } : null, topologies, topologiesVsApp: topologies.map((r) => ({ label: r.label, p50: r.p50 / app.p50, p95: r.p95 / app.p95, p99: r.p99 / app.p99 })) }));
}
