/** Starts the real server (Socket.IO, no pages) on port 0 and connects real socket.io-client students. */
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach } from 'vitest';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app.ts';
import { createMemoryStore } from '../../server/persistence/memory-store.ts';
import type { Store } from '../../server/persistence/store.ts';
import {
  DC_IDS,
  HEAL_LISTS,
  PROTOCOL_VERSION,
  type Ack,
  type ClassSnapshot,
  type HealReportView,
  type ClientToServerEvents,
  type JoinResult,
  type ServerToClientEvents,
} from '../../server/protocol/index.ts';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Every socket the helpers opened, closed after each test by `serverPerTest`. */
const opened: Client[] = [];

/** How serverPerTest opens each test's store: in memory, unless a file runs a suite on another engine. */
let openStore: () => Promise<Store> = () => Promise.resolve(createMemoryStore());

/** Runs the suites of this file on stores from `open` (pg-realtime runs realtime's on PostgreSQL). */
export function storePerTest(open: () => Promise<Store>): void {
  openStore = open;
}

/** A fresh server (memory store) for each test of the file, closed after it with every socket the helpers opened. */
export function serverPerTest(options: Parameters<typeof startTestServer>[1] = {}): { readonly current: RunningServer } {
  const live = {} as { current: RunningServer };
  beforeEach(async () => {
    live.current = await startTestServer(await openStore(), options);
  });
  afterEach(async () => {
    for (const socket of opened.splice(0)) socket.disconnect();
    await live.current.close();
  });
  return live;
}

/**
 * The real server without pages on a free port; benchmarks pass `rateLimit: null` to post at full
 * speed, durability tests a clock, an idle limit or a log to read.
 */
export async function startTestServer(
  store: Store = createMemoryStore(),
  options: Partial<Pick<ServerOptions, 'rateLimit' | 'clock' | 'idleMs' | 'log' | 'awaitRestore' | 'snapshotEvery'>> = {},
): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', store, log: () => {}, ...options });
}

/** A real socket.io-client connected to a test server, or to any running server's URL (the browser benches). */
export async function client(server: RunningServer | string, auth: Record<string, unknown> = { protocol: PROTOCOL_VERSION }): Promise<Client> {
  const socket: Client = connect(typeof server === 'string' ? server : server.url, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
  opened.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Unwraps an ok Ack or fails the test with the server's message. */
export function ok<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

export interface Classroom {
  code: string;
  secret: string;
  admin: Client;
  adminView: ClassSnapshot;
}

export async function createClassroom(server: RunningServer): Promise<Classroom> {
  const admin = await client(server);
  const { code, secret } = ok(await admin.emitWithAck('session:create', {}));
  const adminView = ok(await admin.emitWithAck('admin:watch', { code, secret }));
  return { code, secret, admin, adminView };
}

export async function joinAs(server: RunningServer, code: string, name: string): Promise<{ socket: Client; joined: JoinResult }> {
  const socket = await client(server);
  const joined = ok(await socket.emitWithAck('session:join', { code, name }));
  return { socket, joined };
}

/** Resolves with the first event that passes `match`, or rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: Client,
  event: E,
  match: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  ms = 5000,
): Promise<Parameters<ServerToClientEvents[E]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const listener = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(args);
    };
    socket.on(event, listener as never);
  });
}

let counter = 0;
export function opId(): string {
  counter += 1;
  return `test-op-${Date.now()}-${counter}`;
}

/** A class view with every post: pages through `feed:more` until each side's window reaches the start. */
export async function wholeClassView(socket: Client, snapshot: ClassSnapshot): Promise<ClassSnapshot> {
  const posts = { ...snapshot.posts };
  const windows = { ...snapshot.windows };
  for (const dc of DC_IDS) {
    while (windows[dc].before !== null) {
      const page = ok(await socket.emitWithAck('feed:more', { dc, before: windows[dc].before }));
      posts[dc] = [...posts[dc], ...page.posts.filter((p) => !posts[dc].some((q) => q.id === p.id))];
      windows[dc] = page.window;
    }
  }
  return { ...snapshot, posts, windows };
}

/** The whole report of the last heal: pages through each list its sample cut short. Null if a later heal came first. */
export async function wholeReport(socket: Client, report: HealReportView): Promise<HealReportView | null> {
  const whole = { ...report };
  for (const list of HEAL_LISTS) {
    const items: unknown[] = [];
    while (items.length < report.totals[list] && report[list].length < report.totals[list]) {
      const page = ok(await socket.emitWithAck('heal:report-page', { list, offset: items.length }));
      if (page.at !== report.at) return null;
      items.push(...page.items);
    }
    if (items.length > 0) (whole[list] as unknown[]) = items;
  }
  return whole;
}

/**
 * Asks until the server has the session loaded: right after a start, a stored session answers
 * `loading` while it is rebuilt (REL1), and a page asks again, as this does.
 */
export async function whenLoaded<T>(ask: () => Promise<Ack<T>>, tries = 100): Promise<Ack<T>> {
  for (let i = 1; ; i += 1) {
    const answer = await ask();
    if (answer.ok || answer.error.code !== 'loading' || i >= tries) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
