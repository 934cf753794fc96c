/**
 * Forwarding (MP1): an event for a session another process owns is sent to that owner, which runs the
 * SAME handler (route.ts: validate -> core -> persist -> ack -> broadcast) against a facade of the
 * sending socket, and its answer becomes the client's ack. The facade carries what handlers read of a
 * socket (id, data, address, rooms, the people it has been); what the handler changed comes back with
 * the answer and is applied to the real socket.
 *
 * Requests and answers travel as two `serverSideEmit`s of the Socket.IO PostgreSQL adapter rather
 * than one with an ack: an ack waits for every server the adapter knows, a dead one included until
 * its heartbeat times out, where an answer from the owner is all we need. While waiting, the origin
 * watches the lease: when it is no longer the owner's (the owner died and its lease expired), the
 * request is sent again to whoever owns the session then, maybe this process after taking it over.
 * A write's key is its op id, so one that the dead owner had stored is answered, not applied again.
 */
import { randomUUID } from 'node:crypto';
import type { Ack } from '../../protocol/index.ts';
import { fail, type AppSocket, type Hub, type SocketData } from '../hub.ts';
import { detach } from '../presence.ts';
import { facadeOf, type OriginSocket } from './facade.ts';
import type { Owners } from './owners.ts';

export interface ForwardRequest {
  id: string;
  from: string;
  to: string;
  sessionId: string;
  /** Its join code when the sender knows it: the owner loads the session by it. */
  code?: string;
  /** An inbound event, or `cluster:disconnect` when the socket went away (presence). */
  event: string;
  payload: unknown;
  origin: OriginSocket;
}

export type ForwardAnswer = { moved: true } | { moved: false; ack: Ack<unknown>; data: SocketData; rooms: string[]; people: string[] };

export interface ForwardReply {
  id: string;
  to: string;
  answer: ForwardAnswer;
}

/** The events server processes send each other (Socket.IO's fourth type parameter). */
export interface ClusterEvents {
  'cluster:forward': (request: ForwardRequest) => void;
  'cluster:reply': (reply: ForwardReply) => void;
}

/** The events that name their session by join code; every other one acts in the socket's session. */
const BY_CODE = new Set(['session:join', 'board:watch', 'admin:watch']);

/** How long an event may wait for its session to find an owner again (a takeover is one lease plus a load). */
const MOVE_DEADLINE_MS = 30_000;

/** The longest an owner may take to answer one request (an incident of 100K posts per side takes seconds). */
const ASK_LIMIT_MS = 60_000;

const MOVING = 'The session is moving to another server; try again in a moment.';

export class Forwarder {
  private readonly pending = new Map<string, (answer: ForwardAnswer) => void>();
  private readonly facades = new WeakSet<object>();

  constructor(
    private readonly hub: Hub,
    private readonly owners: Owners,
    /** Registers every domain's handlers on a socket (index.ts), here on a facade. */
    private readonly handlersOn: (socket: AppSocket) => void,
  ) {
    hub.io.on('cluster:forward', (request) => void this.serve(request));
    hub.io.on('cluster:reply', (reply) => {
      if (reply.to === owners.leases.owner) this.pending.get(reply.id)?.(reply.answer);
    });
  }

  /** The session an event acts on; null for one that needs none (creating a session, an unknown code). */
  private async sessionOf(event: string, payload: unknown, data: SocketData): Promise<string | null> {
    if (event === 'session:create') return null;
    if (!BY_CODE.has(event)) return data.sessionId ?? null;
    const code = (payload as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? this.owners.sessionIdOf(code) : null;
  }

  /**
   * Sends the event to its session's owner and resolves to the owner's answer, applied to the
   * socket; null when this process serves it (the caller runs the handler).
   */
  async forward(socket: AppSocket, event: string, payload: unknown): Promise<Ack<unknown> | null> {
    if (this.facades.has(socket)) return null;
    const sessionId = await this.sessionOf(event, payload, socket.data);
    if (!sessionId) return null;
    const deadline = Date.now() + MOVE_DEADLINE_MS;
    for (;;) {
      const place = await this.owners.place(sessionId);
      if (place.here) return null;
      const origin = this.originOf(socket);
      const answer = await this.ask(place.owner, sessionId, event, payload, origin);
      if (answer && !answer.moved) {
        this.apply(socket, origin, answer);
        return answer.ack;
      }
      this.owners.forget(sessionId);
      if (Date.now() > deadline) return fail('loading', MOVING);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The socket went away: its session's owner counts it offline (PRES1). Call before its data is cleared. */
  left(socket: AppSocket): void {
    const sessionId = socket.data.sessionId;
    if (!sessionId || this.hub.byId.has(sessionId) || this.facades.has(socket)) return;
    const origin = this.originOf(socket);
    // Nobody to tell when the session has no live owner: whoever takes it counts who is there then.
    void this.owners
      .elsewhere(sessionId)
      .then((owner) => (owner ? this.ask(owner, sessionId, 'cluster:disconnect', null, origin) : undefined))
      .catch((error: unknown) => this.hub.log(`presence of ${socket.id} not forwarded: ${String(error)}`));
  }

  private originOf(socket: AppSocket): OriginSocket {
    const connection = this.hub.connections.get(socket);
    return {
      id: socket.id,
      data: { ...socket.data },
      connection: connection?.who.connection ?? socket.id,
      address: connection?.who.address ?? socket.handshake.address,
      rooms: [...socket.rooms],
      people: [...(connection?.people ?? [])],
    };
  }

  /**
   * One request to `owner`; null once the session's lease is no longer `owner`'s (it died, or handed
   * over), or after ASK_LIMIT_MS (a message lost while the adapter reconnected): then it is sent again.
   */
  private ask(owner: string, sessionId: string, event: string, payload: unknown, origin: OriginSocket): Promise<ForwardAnswer | null> {
    const id = randomUUID();
    const asked = Date.now();
    return new Promise<ForwardAnswer | null>((resolve) => {
      const done = (answer: ForwardAnswer | null) => {
        clearInterval(watch);
        this.pending.delete(id);
        resolve(answer);
      };
      const watch = setInterval(() => {
        if (Date.now() - asked > ASK_LIMIT_MS) return done(null);
        this.owners.leases.ownerOf(sessionId).then(
          (now) => now !== owner && done(null),
          () => {},
        );
      }, Math.max(100, Math.floor(this.owners.ttlMs / 4)));
      this.pending.set(id, done);
      const code = this.owners.codeOf(sessionId);
      this.hub.io.serverSideEmit('cluster:forward', { id, from: this.owners.leases.owner, to: owner, sessionId, ...(code ? { code } : {}), event, payload, origin });
    });
  }

  /** What the owner's handler did to the facade, done to the real socket. */
  private apply(socket: AppSocket, sent: OriginSocket, answer: Extract<ForwardAnswer, { moved: false }>): void {
    const people = this.hub.connections.get(socket)?.people;
    if (people) for (const person of answer.people) people.add(person);
    // Only what this handler changed: a write answered after a concurrent switch must not undo the switch's rooms.
    const same = JSON.stringify(answer.data) === JSON.stringify(sent.data) && answer.rooms.length === sent.rooms.length && answer.rooms.every((r) => sent.rooms.includes(r));
    if (same) return;
    socket.data = answer.data;
    const keep = new Set(answer.rooms);
    for (const room of socket.rooms) if (room !== socket.id && !keep.has(room)) void socket.leave(room);
    void socket.join(answer.rooms.filter((room) => room !== socket.id));
  }

  /** The owner's side: runs the handler against a facade of the origin socket and sends the answer back. */
  private async serve(request: ForwardRequest): Promise<void> {
    const { leases } = this.owners;
    if (request.to !== leases.owner) return;
    const reply = (answer: ForwardAnswer) => this.hub.io.serverSideEmit('cluster:reply', { id: request.id, to: request.from, answer });
    this.owners.remember(request.sessionId, request.code);
    const place = await this.owners.place(request.sessionId).catch(() => null);
    if (!place?.here) {
      reply({ moved: true });
      return;
    }
    const { facade, listeners, rooms, people } = facadeOf(this.hub, request.origin, this.handlersOn);
    this.facades.add(facade);
    const answered = (ack: Ack<unknown>) => {
      // Refused because the session left meanwhile (its lease was lost, route.ts): nothing was stored, the sender asks its new owner.
      if (!ack.ok && !this.hub.byId.has(request.sessionId)) reply({ moved: true });
      else reply({ moved: false, ack, data: facade.data, rooms: [...rooms], people: [...people] });
    };
    if (request.event === 'cluster:disconnect') {
      detach(this.hub, facade);
      answered({ ok: true, data: null });
      return;
    }
    const listener = listeners.get(request.event);
    if (listener) listener(request.payload, answered);
    else answered(fail('bad_request', `Unknown event ${JSON.stringify(request.event.slice(0, 40))}.`));
  }
}
