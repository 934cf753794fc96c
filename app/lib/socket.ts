/**
 * The one client socket. Every page talks to the server through this module so there is a
 * single connection per tab, one place for timeouts, and one place that retries writes.
 */
import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type Ack,
  type ClientToServerEvents,
  type HandshakeAuth,
  type ServerToClientEvents,
} from '../../server/protocol/wire';

/** The socket typed by the protocol's event maps. */
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type C2S = ClientToServerEvents;
/** Every event the browser may send; each one is acknowledged. */
export type RequestEvent = keyof C2S;
/** The payload an event takes. */
export type PayloadOf<E extends RequestEvent> = Parameters<C2S[E]>[0];
/** The data an event's successful Ack carries. */
export type DataOf<E extends RequestEvent> = Parameters<C2S[E]>[1] extends (result: Ack<infer T>) => void ? T : never;
/** Events that write to a datacenter: they carry an op id, so resending them is safe (REL2). */
export type WriteEvent = { [E in RequestEvent]: PayloadOf<E> extends { opId: string } ? E : never }[RequestEvent];

/** How long one request waits for its Ack before it counts as unanswered. */
export const REQUEST_TIMEOUT_MS = 5000;
/** How long a write waits for the page to be back in its session after a disconnect. */
const RECONNECT_WAIT_MS = 30_000;
/** A write is sent at most this many times, always with the same op id. */
const WRITE_ATTEMPTS = 3;

const NO_ANSWER = { code: 'internal', message: 'The server did not answer; check your connection.' } as const;

let socket: ClientSocket | null = null;

/** Connection state as the pages show it; a new object on every change so React sees it. */
export interface ConnectionState {
  status: 'connecting' | 'connected' | 'reconnecting';
  /** The last handshake refusal or transport error, shown to the person. */
  error: string | null;
}

let connection: ConnectionState = { status: 'connecting', error: null };
const connectionListeners = new Set<() => void>();

function setConnection(next: ConnectionState): void {
  connection = next;
  for (const listener of connectionListeners) listener();
}

/** The socket, created on first use (never during server rendering). */
export function getSocket(): ClientSocket {
  if (socket) return socket;
  const auth: HandshakeAuth = { protocol: PROTOCOL_VERSION };
  const created: ClientSocket = io({ auth: { ...auth }, transports: ['websocket', 'polling'] });
  created.on('connect', () => setConnection({ status: 'connected', error: null }));
  created.on('disconnect', () => {
    sessionReady = false;
    setConnection({ status: 'reconnecting', error: null });
  });
  created.on('connect_error', (err) => {
    setConnection({ status: connection.status === 'connected' ? 'reconnecting' : connection.status, error: err.message });
  });
  socket = created;
  return created;
}

/** For useSyncExternalStore: subscribe to connection changes. */
export function subscribeConnection(listener: () => void): () => void {
  getSocket();
  connectionListeners.add(listener);
  return () => connectionListeners.delete(listener);
}

/** For useSyncExternalStore: the current connection state (stable between changes). */
export function getConnection(): ConnectionState {
  return connection;
}

/** A fresh op id: 32 random hex digits. getRandomValues works on plain-http classroom LANs, randomUUID does not. */
export function newOpId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const TIMED_OUT = Symbol('timed out');

/** The narrow shape of `socket.timeout(ms)` used here; the generic typings cannot follow a generic event name. */
interface AckEmitter {
  emitWithAck(event: string, payload: unknown): Promise<unknown>;
}

async function attempt<E extends RequestEvent>(event: E, payload: PayloadOf<E>): Promise<Ack<DataOf<E>> | typeof TIMED_OUT> {
  const emitter = getSocket().timeout(REQUEST_TIMEOUT_MS) as unknown as AckEmitter;
  try {
    return (await emitter.emitWithAck(event, payload)) as Ack<DataOf<E>>;
  } catch {
    return TIMED_OUT;
  }
}

/** Sends one request and returns its Ack; no answer within 5 s becomes an error a person can read. */
export async function request<E extends RequestEvent>(event: E, payload: PayloadOf<E>): Promise<Ack<DataOf<E>>> {
  const result = await attempt(event, payload);
  return result === TIMED_OUT ? { ok: false, error: NO_ANSWER } : result;
}

// ---- writes: wait for the session, retry with the same op id -------------------------------

let sessionReady = false;
const readyListeners = new Set<() => void>();

/**
 * The student page says when it is (again) joined to its session. Writes wait for it: a write
 * sent before the re-join would reach the server as a stranger's and be refused.
 */
export function setSessionReady(ready: boolean): void {
  sessionReady = ready;
  if (!ready) return;
  for (const listener of [...readyListeners]) listener();
}

function whenReady(timeoutMs: number): Promise<boolean> {
  if (sessionReady && socket?.connected === true) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      readyListeners.delete(onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    readyListeners.add(onReady);
  });
}

/**
 * Sends a write. An unanswered write may or may not have been applied, so it is sent again
 * with the same op id (the server applies an op id once): immediately if still connected,
 * else after the page has re-joined its session on reconnect.
 */
export async function write<E extends WriteEvent>(event: E, payload: PayloadOf<E>): Promise<Ack<DataOf<E>>> {
  for (let i = 0; i < WRITE_ATTEMPTS; i += 1) {
    if (!(await whenReady(RECONNECT_WAIT_MS))) break;
    const result = await attempt(event, payload);
    if (result !== TIMED_OUT) return result;
  }
  return { ok: false, error: NO_ANSWER };
}
