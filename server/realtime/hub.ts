/**
 * What every part of the realtime adapter shares: the Socket.IO server, the store, the live
 * sessions, the guards, and the small answers every handler gives. Handlers (handlers/*.ts),
 * presence and broadcast take a Hub; only index.ts makes one.
 */
import type { Server, Socket } from 'socket.io';
import type { Ack, ClientToServerEvents, ErrorCode, ServerToClientEvents, SessionEndView } from '../protocol/index.ts';
import type { SessionRecord, Store } from '../persistence/store.ts';
import { DATACENTERS, quorumStatus, type DcId, type Rejection } from '../sim/index.ts';
import type { ConsensusRuntime } from './consensus.ts';
import type { Guard, LogThrottle, Requester } from './guard.ts';
import type { LastReadable } from './readable.ts';
import { SessionRuntime, type Clock, type RuntimeHooks } from './session-runtime.ts';
import type { Cluster } from './cluster/index.ts';
import type { ClusterEvents } from './cluster/forward.ts';

export interface SocketData {
  sessionId?: string;
  participantId?: string;
  /** The session whose instructor secret this socket presented. */
  adminOf?: string;
}

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, ClusterEvents, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, ClusterEvents, SocketData>;

/** What a connection is, kept beside the socket (its data is cleared whenever it leaves a session). */
export interface Connection {
  /** Whose budgets it spends (SEC5). */
  who: Requester;
  /** The people it has been: at most `participantsPerConnection` (SEC5). */
  people: Set<string>;
}

export interface Hub {
  readonly io: AppServer;
  readonly store: Store;
  readonly clock: Clock;
  readonly log: (message: string) => void;
  readonly byId: Map<string, SessionRuntime>;
  readonly byCode: Map<string, SessionRuntime>;
  readonly guard: Guard;
  /** Lines a client can cause (frames without ack, unknown events) are rate-limited too. */
  readonly noisy: LogThrottle;
  readonly connections: WeakMap<AppSocket, Connection>;
  readonly readable: LastReadable;
  /** The inbound events there are handlers for; anything else gets an error ack (SEC9). */
  readonly known: Set<string>;
  readonly consensus: Map<string, ConsensusRuntime>;
  /** Join codes of stored sessions still being rebuilt after a start: they answer `loading`. */
  readonly loading: Set<string>;
  readonly hooks: RuntimeHooks;
  /** Cluster mode (several processes on one PostgreSQL database): sessions owned elsewhere are forwarded there. */
  cluster: Cluster | null;
}

export const rooms = {
  all: (sessionId: string) => `${sessionId}`,
  dc: (sessionId: string, dc: DcId) => `${sessionId}:${dc}`,
  /** The board and the admin page: both datacenters. */
  class: (sessionId: string) => `${sessionId}:class`,
};

export function fail<T>(code: ErrorCode, message: string): Ack<T> {
  return { ok: false, error: { code, message } };
}

export function refused<T>(rejection: Rejection | { code: 'ended'; message: string }): Ack<T> {
  return fail(rejection.code, rejection.message);
}

export function tooFast<T>(): Ack<T> {
  return fail('rate_limited', 'Slow down a little: too many requests at once. Try again in a moment.');
}

export function tooManyPeople<T>(): Ack<T> {
  return fail('rate_limited', 'This page has joined as too many people: reload it to join as someone else.');
}

export function forbidden<T>(): Ack<T> {
  return fail('forbidden', 'Only the instructor can do that: open the admin link again.');
}

export function register(hub: Hub, runtime: SessionRuntime): void {
  hub.byId.set(runtime.record.id, runtime);
  hub.byCode.set(runtime.code, runtime);
}

/**
 * Loads a stored session (snapshot + log tail) and serves it: registered, and a side that cannot
 * read keeps the view it could last read, as before (CAP4). It answers `loading` meanwhile. Rejects
 * with a SessionRestoreError when its log cannot be replayed (REL4).
 */
export async function serveStored(hub: Hub, record: SessionRecord): Promise<SessionRuntime> {
  hub.loading.add(record.code);
  try {
    const runtime = await SessionRuntime.load(record, hub.store, hub.clock, hub.hooks);
    register(hub, runtime);
    if (DATACENTERS.some((dc) => !quorumStatus(runtime.state, dc).canRead)) hub.readable.restore(record.id, record.seed, await hub.store.readLog(record.id));
    return runtime;
  } finally {
    hub.loading.delete(record.code);
  }
}

/** A snapshot with the session's end, when it has ended (SEC6). */
export function withEnd<T extends object>(runtime: SessionRuntime, snapshot: T): T & { ended?: SessionEndView } {
  return runtime.ended ? { ...snapshot, ended: runtime.ended } : snapshot;
}

/** Whose budgets a socket spends: its connection and address, and the person when it writes (SEC5). */
export function requester(hub: Hub, socket: AppSocket, participant?: string): Requester {
  const who = hub.connections.get(socket)?.who ?? { connection: socket.id, address: socket.handshake.address };
  return participant ? { ...who, participant } : who;
}

/** A wrong code, token or secret: spends a guess (SEC5). */
export async function wrongGuess<T>(hub: Hub, socket: AppSocket, answer: Ack<T>): Promise<Ack<T>> {
  await hub.guard.take('guess', requester(hub, socket));
  return answer;
}

/** A join or watch: spends a join, and is refused outright once the guesses are spent (even a right code). */
export async function mayLookUp(hub: Hub, socket: AppSocket): Promise<boolean> {
  const who = requester(hub, socket);
  return (await hub.guard.take('join', who)) && !(await hub.guard.exhausted('guess', who));
}
