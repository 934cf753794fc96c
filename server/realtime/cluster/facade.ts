/**
 * The owner's stand-in for a socket held by another process (forward.ts): what the handlers read and
 * do to a socket (presence.ts, hub.ts), kept here so the answer can carry it back to the real one.
 */
import type { Ack } from '../../protocol/index.ts';
import type { AppSocket, Hub, SocketData } from '../hub.ts';

/** What the owner needs of the sending socket. */
export interface OriginSocket {
  id: string;
  data: SocketData;
  connection: string;
  address: string;
  rooms: string[];
  people: string[];
}

export type Listener = (payload: unknown, ack: (answer: Ack<unknown>) => void) => void;

export interface Facade {
  facade: AppSocket;
  /** The handlers registered on it, by event. */
  listeners: Map<string, Listener>;
  rooms: Set<string>;
  people: Set<string>;
}

/** A stand-in for a socket on another process, with the handlers of every domain registered on it. */
export function facadeOf(hub: Hub, origin: OriginSocket, handlersOn: (socket: AppSocket) => void): Facade {
  const listeners = new Map<string, Listener>();
  const rooms = new Set(origin.rooms);
  const people = new Set(origin.people);
  const shape = {
    id: origin.id,
    data: { ...origin.data },
    rooms,
    disconnected: false,
    handshake: { address: origin.address, headers: {} },
    join: (room: string | string[]) => void (Array.isArray(room) ? room : [room]).forEach((r) => rooms.add(r)),
    leave: (room: string) => void rooms.delete(room),
    // The socket's own room reaches it on whichever process holds it.
    emit: (event: string, ...args: unknown[]) => (hub.io.to(origin.id) as unknown as { emit(event: string, ...args: unknown[]): boolean }).emit(event, ...args),
    on: (event: string, listener: Listener) => void listeners.set(event, listener),
    onAny: () => {},
  };
  // Handlers use exactly the members above; the cast names that contract once.
  const facade = shape as unknown as AppSocket;
  hub.connections.set(facade, { who: { connection: origin.connection, address: origin.address }, people });
  handlersOn(facade);
  return { facade, listeners, rooms, people };
}
