/**
 * Adapts Socket.IO to the core: validate -> core -> persist -> ack -> broadcast.
 * Nothing throws across the socket: bad input gets an error ack, a frame without an ack
 * callback is dropped with a log line, and the server keeps serving (SEC2).
 *
 * This file is the composition: it makes the Hub, checks the protocol version at the handshake,
 * and hands each connection to the handlers of each domain (handlers/*.ts). Presence lives in
 * presence.ts, what is sent after a change in broadcast.ts, the one event path in route.ts.
 */
import { PROTOCOL_VERSION } from '../protocol/index.ts';
import type { Store } from '../persistence/store.ts';
import { broadcast } from './broadcast.ts';
import { DEFAULT_RATE_LIMIT, Guard, LogThrottle, defaultLimits, type Limits, type RateLimit } from './guard.ts';
import { clientAddress } from './origins.ts';
import { stopBots } from './bots.ts';
import { adminHandlers } from './handlers/admin.ts';
import { botHandlers } from './handlers/bots.ts';
import { consensusHandlers } from './handlers/consensus.ts';
import { lessonHandlers } from './handlers/lesson.ts';
import { incidentHandlers } from './handlers/incident.ts';
import { postHandlers } from './handlers/post.ts';
import { replayHandlers } from './handlers/replay.ts';
import { sessionHandlers } from './handlers/session.ts';
import { rooms, serveStored, type AppServer, type AppSocket, type Hub } from './hub.ts';
import { detach, recovered } from './presence.ts';
import { LastReadable } from './readable.ts';
import { answerUnknownEvents } from './route.ts';
import { SessionRestoreError, SessionRuntime, type Clock } from './session-runtime.ts';
import { startCluster, type ClusterDeps } from './cluster/index.ts';

export type { AppServer } from './hub.ts';

export interface RealtimeDeps {
  store: Store;
  clock?: Clock;
  log?: (message: string) => void;
  /** Per-participant write limit (SEC3); null turns every write and join limit off (benchmarks that post as fast as they can). */
  rateLimit?: RateLimit | null;
  /** Overrides of single SEC5 limits; ignored when `rateLimit` is null. */
  limits?: Partial<Limits>;
  /** The client address comes from X-Forwarded-For (behind a trusted proxy). */
  trustProxy?: boolean;
  /** Sessions with no write for this long end by themselves (SEC6); absent: never. */
  idleMs?: number;
  /** How often a session's state is snapshotted (REL1); absent: SNAPSHOT_EVERY. */
  snapshotEvery?: { ops: number; ms: number };
  /** Cluster mode: several processes share the sessions of one PostgreSQL database (cluster/). */
  cluster?: ClusterDeps;
}

export interface Realtime {
  /**
   * Rebuilds every stored session from its newest snapshot and the log after it (REL1); one that
   * cannot be replayed is reported and skipped (REL4). Each answers `loading` until it is served,
   * so the port can open first and a big session does not hold up the others.
   */
  restore(): Promise<void>;
  /** Resolves once every command received so far is stored and answered (graceful shutdown, REL7). */
  settle(): Promise<void>;
  /** Settles, then stops every session's timers. */
  close(): Promise<void>;
  /** The live session behind a join code, for tests and benchmarks. */
  session(code: string): SessionRuntime | undefined;
}

/** Every domain's handlers: on each connection, and on the facade of a socket whose event was forwarded here. */
function handlersOn(hub: Hub, socket: AppSocket): void {
  sessionHandlers(hub, socket);
  postHandlers(hub, socket);
  adminHandlers(hub, socket);
  consensusHandlers(hub, socket);
  replayHandlers(hub, socket);
  lessonHandlers(hub, socket);
  incidentHandlers(hub, socket);
  botHandlers(hub, socket);
}

/** In cluster mode a new session's lease is taken as it is stored, before anyone can know its code. */
function leasedOnCreate(hub: () => Hub, store: Store): Store {
  return Object.assign(Object.create(store) as Store, {
    async createSession(record: Parameters<Store['createSession']>[0]) {
      await store.createSession(record);
      await hub().cluster?.created(record);
    },
  });
}

export function createRealtime(io: AppServer, deps: RealtimeDeps): Realtime {
  const log = deps.log ?? ((message: string) => console.warn(`[realtime] ${message}`));
  const hub: Hub = {
    io,
    store: deps.cluster ? leasedOnCreate(() => hub, deps.store) : deps.store,
    clock: deps.clock ?? Date.now,
    log,
    byId: new Map(),
    byCode: new Map(),
    guard: new Guard(deps.rateLimit === null ? null : { ...defaultLimits(deps.rateLimit ?? DEFAULT_RATE_LIMIT), ...deps.limits }),
    noisy: new LogThrottle(log),
    connections: new WeakMap(),
    readable: new LastReadable(),
    known: new Set(),
    consensus: new Map(),
    loading: new Set(),
    hooks: {
      onCommitted: (runtime, change) => broadcast(hub, runtime, change),
      onError: (error) => log(`session error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
      onEnded: (runtime) => {
        const end = runtime.ended;
        if (end) io.to(rooms.all(runtime.record.id)).emit('session:ended', end);
      },
      idleMs: deps.idleMs,
      ...(deps.snapshotEvery ? { snapshotEvery: deps.snapshotEvery } : {}),
    },
    cluster: null,
  };
  if (deps.cluster) hub.cluster = startCluster(hub, deps.cluster, (socket) => handlersOn(hub, socket));

  io.use((socket, next) => {
    const auth = socket.handshake.auth as { protocol?: unknown } | undefined;
    if (auth?.protocol !== PROTOCOL_VERSION) {
      next(new Error(`This page speaks protocol ${String(auth?.protocol)}, the server ${PROTOCOL_VERSION}: reload the page.`));
      return;
    }
    next();
  });

  io.on('connection', (socket: AppSocket) => {
    const address = clientAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], deps.trustProxy ?? false);
    hub.connections.set(socket, { who: { connection: socket.id, address }, people: new Set() });
    socket.on('disconnect', () => {
      hub.cluster?.left(socket);
      detach(hub, socket);
    });
    if (socket.recovered) recovered(hub, socket);
    answerUnknownEvents(hub, socket);
    handlersOn(hub, socket);
  });

  return {
    async restore() {
      // Cluster mode loads a session lazily, where its lease is taken (cluster/owners.ts).
      if (hub.cluster) return;
      const records = (await hub.store.listSessions()).filter((record) => !hub.byId.has(record.id));
      for (const record of records) hub.loading.add(record.code);
      for (const record of records) {
        // Let the sockets waiting since the port opened be answered (`loading`) between sessions.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          await serveStored(hub, record);
        } catch (error) {
          if (!(error instanceof SessionRestoreError)) throw error;
          log(error.message);
        }
      }
    },
    async settle() {
      await Promise.all([...hub.byId.values()].map((runtime) => runtime.settle()));
    },
    async close() {
      stopBots(hub);
      await this.settle();
      // A snapshot on the way out: the next start replays nothing (REL1). A failure only costs a longer replay.
      await Promise.all([...hub.byId.values()].map((runtime) => runtime.snapshot().catch((error: unknown) => log(`snapshot of ${runtime.code} failed: ${String(error)}`))));
      for (const runtime of hub.byId.values()) runtime.close();
      for (const view of hub.consensus.values()) view.stop();
      await hub.cluster?.close().catch((error: unknown) => log(`leases not released: ${String(error)}`));
    },
    session: (code) => hub.byCode.get(code),
  };
}
