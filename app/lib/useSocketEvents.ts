/**
 * A page's subscriptions to the server's broadcasts, in one place: the page names its handlers
 * once, and they are subscribed while it is mounted and removed when it goes (no `on` list with
 * an `off` list to keep in step). Each event calls the page's latest handler, so a handler may use
 * fresh state without the socket being unsubscribed and subscribed again on every render.
 */
import { useEffect, useRef } from 'react';
import type { ServerToClientEvents } from '../../server/protocol/wire';
import type { ClientSocket } from './socket';

/** What a page listens to: broadcasts by name, and `connect` (every reconnect asks again). */
export type SocketHandlers = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] } & { connect?: () => void };

/** A handler of some event; which arguments it takes depends on the event's name. */
type Handler = (...args: never[]) => void;
type Listener = (...args: unknown[]) => void;

/** The part of a socket this needs: Socket.IO's emitter (its typed overloads cannot follow a name held in a variable). */
export interface EventSource {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

/**
 * Subscribes one listener per named event that calls `latest()`'s handler for it at the time of
 * the event; returns what removes exactly those listeners (other listeners stay).
 */
export function listen(source: EventSource, events: readonly string[], latest: () => Partial<Record<string, Handler>>): () => void {
  const bound = events.map((event) => {
    // The emitter passes what the server sent for this event, which is what its handler takes.
    const listener: Listener = (...args) => (latest()[event] as Listener | undefined)?.(...args);
    source.on(event, listener);
    return [event, listener] as const;
  });
  return () => {
    for (const [event, listener] of bound) source.off(event, listener);
  };
}

/**
 * Subscribes `handlers` to the socket `getSocket` gives (null: not now, e.g. not joined yet).
 * The socket is asked for in an effect, so server rendering never opens one.
 */
export function useSocketEvents(getSocket: (() => ClientSocket) | null, handlers: SocketHandlers): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  // Resubscribe only when the set of events changes, not when a handler does.
  const events = Object.keys(handlers).sort().join(' ');
  useEffect(() => {
    if (!getSocket) return undefined;
    const source = getSocket() as unknown as EventSource;
    return listen(source, events.split(' ').filter(Boolean), () => latest.current);
  }, [getSocket, events]);
}
