/** The one way in for every event: validate, run the handler, always answer (SEC2, SEC9). */
import type { z } from 'zod';
import type { Ack, ClientToServerEvents } from '../protocol/index.ts';
import { LeaseLostError } from '../persistence/pg-store.ts';
import { fail, type AppSocket, type Hub } from './hub.ts';

export type DataOf<K extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[K]>[1] extends (result: Ack<infer T>) => void ? T : never;

/** Registers a handler that validates its payload and always answers, whatever happens. */
export function route<K extends keyof ClientToServerEvents, S extends z.ZodType>(
  hub: Hub,
  socket: AppSocket,
  event: K,
  schema: S,
  handler: (payload: z.output<S>) => Promise<Ack<DataOf<K>>>,
): void {
  const listener = async (payload: unknown, ack: unknown): Promise<void> => {
    if (typeof ack !== 'function') {
      hub.noisy.line('no-ack', `dropped ${event} without an ack callback from ${socket.id}`);
      return;
    }
    const reply = ack as (result: Ack<DataOf<K>>) => void;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      reply(fail('bad_request', parsed.error.issues.map((i) => i.message).join('; ')));
      return;
    }
    for (let attempt = 0; ; attempt += 1) {
      try {
        // Cluster mode: a session another process owns is answered by that owner, through this same path.
        const remote = hub.cluster ? await hub.cluster.forward(socket, event, parsed.data) : null;
        reply(remote ? (remote as Ack<DataOf<K>>) : await handler(parsed.data));
      } catch (error) {
        if (error instanceof LeaseLostError && hub.cluster && attempt === 0) {
          // Another process took the session over (this one paused past its lease), and nothing was stored: ask the new owner.
          hub.cluster.lost(error.sessionId);
          continue;
        }
        // A client can repeat what fails: its lines are rate-limited per event like the others.
        hub.noisy.line(`failed ${event}`, `${event} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        reply(fail('internal', 'The server could not store that; please try again.'));
      }
      return;
    }
  };
  hub.known.add(event);
  // Socket.IO's typed `on` wants the event's own signature; the listener checks the payload itself.
  (socket as unknown as { on(event: string, fn: (payload: unknown, ack: unknown) => void): void }).on(event, (payload, ack) => {
    void listener(payload, ack);
  });
}

/** SEC9: an event nobody handles is answered with an error, or dropped with a (rate-limited) line. */
export function answerUnknownEvents(hub: Hub, socket: AppSocket): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    if (hub.known.has(event)) return;
    const ack = args.at(-1);
    if (typeof ack === 'function') (ack as (result: Ack<never>) => void)(fail('bad_request', `Unknown event ${JSON.stringify(String(event).slice(0, 40))}.`));
    else hub.noisy.line('unknown-event', `dropped unknown event ${JSON.stringify(String(event).slice(0, 40))} from ${socket.id}`);
  });
}
