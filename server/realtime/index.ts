/**
 * Adapts Socket.IO to the core: validate -> core -> persist -> ack -> broadcast.
 * Nothing throws across the socket: bad input gets an error ack, a frame without an ack
 * callback is dropped with a log line, and the server keeps serving (SEC2).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import {
  PROTOCOL_VERSION,
  schemas,
  type Ack,
  type ClientToServerEvents,
  type ErrorCode,
  type PostView,
  type ServerToClientEvents,
  type SessionEndView,
  type SettingsView,
  type StudentSnapshot,
} from '../protocol/index.ts';
import { DuplicateCodeError, type Store } from '../persistence/store.ts';
import { DATACENTERS, previewHeal, quorumStatus, type Command, type PostCommand, type DcId, type Participant, type Rejection, type SimState } from '../sim/index.ts';
import { cutOfLinkMode } from '../sim/raft/index.ts';
import { ConsensusRuntime } from './consensus.ts';
import { DEFAULT_RATE_LIMIT, Guard, LogThrottle, clientAddress, defaultLimits, type Limits, type RateLimit, type Requester } from './guard.ts';
import { LastReadable } from './readable.ts';
import { SessionRestoreError, SessionRuntime, type Clock, type Committed, type RuntimeHooks } from './session-runtime.ts';
import { hashSecret, newJoinCode, newSecret, secretMatches } from './secrets.ts';
import {
  classSnapshot,
  divergenceView,
  inFlightView,
  linkView,
  participantView,
  postViewIn,
  healReportView,
  settingsView,
  studentSnapshot,
  timelineOpView,
} from './views.ts';

interface SocketData {
  sessionId?: string;
  participantId?: string;
  /** The session whose instructor secret this socket presented. */
  adminOf?: string;
}

/** What a connection is, kept beside the socket (its data is cleared whenever it leaves a session). */
interface Connection {
  /** Whose budgets it spends (SEC5). */
  who: Requester;
  /** The people it has been: at most `participantsPerConnection` (SEC5). */
  people: Set<string>;
}

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

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
}

export interface Realtime {
  /** Rebuilds every stored session by replaying its log (REL1); one that cannot be replayed is reported and skipped (REL4). */
  restore(): Promise<void>;
  /** Resolves once every command received so far is stored and answered (graceful shutdown, REL7). */
  settle(): Promise<void>;
  /** Settles, then stops every session's timers. */
  close(): Promise<void>;
  /** The live session behind a join code, for tests and benchmarks. */
  session(code: string): SessionRuntime | undefined;
}

type DataOf<K extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[K]>[1] extends (result: Ack<infer T>) => void ? T : never;

const rooms = {
  all: (sessionId: string) => `${sessionId}`,
  dc: (sessionId: string, dc: DcId) => `${sessionId}:${dc}`,
  /** The board and the admin page: both datacenters. */
  class: (sessionId: string) => `${sessionId}:class`,
};

function fail<T>(code: ErrorCode, message: string): Ack<T> {
  return { ok: false, error: { code, message } };
}

function refused<T>(rejection: Rejection | { code: 'ended'; message: string }): Ack<T> {
  return fail(rejection.code, rejection.message);
}

function tooManyPeople<T>(): Ack<T> {
  return fail('rate_limited', 'This page has joined as too many people: reload it to join as someone else.');
}

export function createRealtime(io: AppServer, deps: RealtimeDeps): Realtime {
  const { store } = deps;
  const clock = deps.clock ?? Date.now;
  const log = deps.log ?? ((message: string) => console.warn(`[realtime] ${message}`));
  const byId = new Map<string, SessionRuntime>();
  const byCode = new Map<string, SessionRuntime>();
  const guard = new Guard(deps.rateLimit === null ? null : { ...defaultLimits(deps.rateLimit ?? DEFAULT_RATE_LIMIT), ...deps.limits });
  /** Lines a client can cause (frames without ack, unknown events) are rate-limited too. */
  const noisy = new LogThrottle(log);
  const connections = new WeakMap<AppSocket, Connection>();
  const readable = new LastReadable();
  /** The inbound events there are handlers for; anything else gets an error ack (SEC9). */
  const known = new Set<string>();
  const consensus = new Map<string, ConsensusRuntime>();

  /** The session's consensus view, made on first watch; it plays only while a board or admin watches. */
  function consensusOf(runtime: SessionRuntime): ConsensusRuntime {
    const sid = runtime.record.id;
    let view = consensus.get(sid);
    if (!view) {
      const created: ConsensusRuntime = new ConsensusRuntime(
        runtime.record.seed,
        cutOfLinkMode(runtime.state.link.mode),
        (frame) => {
          if (!io.sockets.adapter.rooms.get(rooms.class(sid))?.size) created.stop();
          io.to(rooms.class(sid)).emit('consensus:frame', frame);
        },
        (analysis) => io.to(rooms.class(sid)).emit('consensus:analysis', analysis),
      );
      consensus.set(sid, created);
      view = created;
    }
    return view;
  }

  const hooks: RuntimeHooks = {
    onCommitted: broadcast,
    onError: (error) => log(`session error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    onEnded: (runtime) => {
      const end = runtime.ended;
      if (end) io.to(rooms.all(runtime.record.id)).emit('session:ended', end);
    },
    idleMs: deps.idleMs,
  };

  /** A snapshot with the session's end, when it has ended (SEC6). */
  const withEnd = <T extends object>(runtime: SessionRuntime, snapshot: T): T & { ended?: SessionEndView } =>
    runtime.ended ? { ...snapshot, ended: runtime.ended } : snapshot;

  function register(runtime: SessionRuntime): void {
    byId.set(runtime.record.id, runtime);
    byCode.set(runtime.code, runtime);
  }

  /** Sends each change as a small diff: every touched post, as each datacenter now holds it. */
  function broadcast(runtime: SessionRuntime, { state, events, timeline, timelineChanged }: Committed): void {
    const sid = runtime.record.id;
    readable.observe(sid, state, events.some((e) => e.type === 'session.reset'));
    const touched = new Set<string>();
    let diverged = false;
    for (const event of events) {
      switch (event.type) {
        case 'participant.joined':
          io.to(rooms.class(sid)).emit('participant:joined', participantView(event.participant, runtime.isOnline(event.participant.id)));
          break;
        case 'op.applied':
          touched.add(event.op.postId);
          if (event.local && (event.op.kind === 'create' || event.op.kind === 'edit')) {
            consensus.get(sid)?.classWrite(`${event.op.kind === 'create' ? 'post' : 'edit'}: ${(event.op.text ?? '').slice(0, 24)}`, event.dc);
          }
          break;
        case 'settings.changed':
          consensus.get(sid)?.setCut(cutOfLinkMode(state.link.mode));
          io.to(rooms.all(sid)).emit('settings:changed', settingsView(state));
          io.to(rooms.all(sid)).emit('link:configured', linkView(state));
          diverged = true;
          break;
        case 'participant.moved':
          io.to(rooms.class(sid)).emit('participant:moved', participantView(event.participant, runtime.isOnline(event.participant.id)));
          void moveSockets(sid, event.participant.id, event.from, event.participant.home);
          break;
        case 'session.reset':
          io.to(rooms.all(sid)).emit('session:reset');
          diverged = true;
          break;
        case 'heal.resolved':
          for (const id of event.touched) touched.add(id);
          io.to(rooms.all(sid)).emit('heal:reported', healReportView(state, event.report));
          diverged = true;
          break;
        default: {
          const unknown: never = event;
          log(`unhandled event ${JSON.stringify(unknown)}`);
        }
      }
    }
    for (const postId of touched) {
      for (const dc of DATACENTERS) {
        const post = postViewIn(state, dc, postId);
        // CAP4: a side that cannot read is told nothing newer; the board still sees both.
        const to = readable.view(sid, state, dc) ? [rooms.class(sid)] : [rooms.dc(sid, dc), rooms.class(sid)];
        if (post) io.to(to).emit('post:changed', { dc, post });
      }
    }
    if (touched.size > 0) io.to(rooms.class(sid)).emit('link:inflight', inFlightView(state));
    if (touched.size > 0 || diverged) io.to(rooms.class(sid)).emit('divergence:changed', divergenceView(state));
    if (timelineChanged.length > 0 || diverged) {
      io.to(rooms.class(sid)).emit('timeline:changed', {
        ops: timelineChanged.map((op) => timelineOpView(state, op)),
        bands: timeline.bands.map((b) => ({ ...b })),
      });
    }
  }

  /** A moved person's open screens change rooms at once, then re-join to get the new side's view (FO1). */
  async function moveSockets(sessionId: string, participantId: string, from: DcId, to: DcId): Promise<void> {
    for (const socket of await io.in(rooms.dc(sessionId, from)).fetchSockets()) {
      if (socket.data.participantId !== participantId) continue;
      socket.leave(rooms.dc(sessionId, from));
      socket.join(rooms.dc(sessionId, to));
      socket.emit('me:moved', { to });
    }
  }

  /** Registers a handler that validates its payload and always answers, whatever happens. */
  function route<K extends keyof ClientToServerEvents, S extends z.ZodType>(
    socket: AppSocket,
    event: K,
    schema: S,
    handler: (payload: z.output<S>) => Promise<Ack<DataOf<K>>>,
  ): void {
    const listener = async (payload: unknown, ack: unknown): Promise<void> => {
      if (typeof ack !== 'function') {
        noisy.line('no-ack', `dropped ${event} without an ack callback from ${socket.id}`);
        return;
      }
      const reply = ack as (result: Ack<DataOf<K>>) => void;
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        reply(fail('bad_request', parsed.error.issues.map((i) => i.message).join('; ')));
        return;
      }
      try {
        reply(await handler(parsed.data));
      } catch (error) {
        // A client can repeat what fails: its lines are rate-limited per event like the others.
        noisy.line(`failed ${event}`, `${event} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        reply(fail('internal', 'The server could not store that; please try again.'));
      }
    };
    known.add(event);
    (socket as unknown as { on(event: string, fn: (payload: unknown, ack: unknown) => void): void }).on(event, (payload, ack) => {
      void listener(payload, ack);
    });
  }

  function setPresence(runtime: SessionRuntime, participantId: string, delta: number): void {
    const before = runtime.isOnline(participantId);
    runtime.presence.set(participantId, Math.max(0, (runtime.presence.get(participantId) ?? 0) + delta));
    const after = runtime.isOnline(participantId);
    if (before !== after) io.to(rooms.class(runtime.record.id)).emit('participant:presence', { id: participantId, online: after });
  }

  /** Leaves whatever session this socket was in, so a socket belongs to one place at a time. */
  function detach(socket: AppSocket): void {
    const { sessionId, participantId } = socket.data;
    if (sessionId) {
      for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
      const runtime = byId.get(sessionId);
      if (runtime && participantId) setPresence(runtime, participantId, -1);
    }
    socket.data = {};
  }

  function attachStudent(socket: AppSocket, runtime: SessionRuntime, participant: Participant): void {
    detach(socket);
    // Gone while its join was being stored: counting it would leave a ghost online (PRES1).
    if (socket.disconnected) return;
    const sid = runtime.record.id;
    socket.data = { sessionId: sid, participantId: participant.id };
    void socket.join([rooms.all(sid), rooms.dc(sid, participant.home)]);
    setPresence(runtime, participant.id, +1);
  }

  function attachClassView(socket: AppSocket, runtime: SessionRuntime, admin: boolean): void {
    detach(socket);
    if (socket.disconnected) return;
    const sid = runtime.record.id;
    socket.data = admin ? { sessionId: sid, adminOf: sid } : { sessionId: sid };
    void socket.join([rooms.all(sid), rooms.class(sid)]);
  }

  function studentOf(socket: AppSocket): { runtime: SessionRuntime; participant: Participant } | null {
    const { sessionId, participantId } = socket.data;
    const runtime = sessionId ? byId.get(sessionId) : undefined;
    const participant = participantId ? runtime?.state.participants.get(participantId) : undefined;
    return runtime && participant ? { runtime, participant } : null;
  }

  /** The session a board or admin socket watches; null for students and strangers. */
  function classViewOf(socket: AppSocket): SessionRuntime | null {
    const { sessionId, participantId } = socket.data;
    return (!participantId && sessionId && byId.get(sessionId)) || null;
  }

  function adminOf(socket: AppSocket): SessionRuntime | null {
    const { adminOf: sid } = socket.data;
    return (sid && byId.get(sid)) || null;
  }

  /** A student's write: runs as the socket's own participant only (SEC1), answered with the post's new view. */
  async function write(
    socket: AppSocket,
    makeCommand: (participantId: string) => PostCommand | Extract<Command, { type: 'conflict.resolve' }>,
    postId: string,
  ): Promise<Ack<PostView>> {
    const who = studentOf(socket);
    if (!who) return fail('not_joined', 'Join the session first.');
    if (!(await guard.take('write', requester(socket, who.participant.id)))) return tooFast();
    const command = makeCommand(who.participant.id);
    const sid = who.runtime.record.id;
    // CAP4: while my side cannot read, I may write only to what I can see: the last readable view, or my own post.
    const before = readable.view(sid, who.runtime.state, who.participant.home);
    if (before && command.type !== 'post.create' && !before.byId.has(postId) && postViewIn(who.runtime.state, who.participant.home, postId)?.authorId !== who.participant.id) {
      return fail('unknown_post', 'That post is not in your datacenter.');
    }
    const outcome = await who.runtime.execute(command, command.opId);
    if (!outcome.ok) return refused(outcome.error);
    const home = outcome.state.participants.get(who.participant.id)?.home ?? who.participant.home;
    const view = readable.view(sid, outcome.state, home)?.byId.get(postId) ?? postViewIn(outcome.state, home, postId);
    return view ? { ok: true, data: view } : fail('unknown_post', 'That post is not in your datacenter.');
  }

  function requester(socket: AppSocket, participant?: string): Requester {
    const who = connections.get(socket)?.who ?? { connection: socket.id, address: socket.handshake.address };
    return participant ? { ...who, participant } : who;
  }

  function tooFast<T>(): Ack<T> {
    return fail('rate_limited', 'Slow down a little: too many requests at once. Try again in a moment.');
  }

  /** A wrong code, token or secret: spends a guess (SEC5). */
  async function wrongGuess<T>(socket: AppSocket, answer: Ack<T>): Promise<Ack<T>> {
    await guard.take('guess', requester(socket));
    return answer;
  }

  /** A join or watch: spends a join, and is refused outright once the guesses are spent (even a right code). */
  async function mayLookUp(socket: AppSocket): Promise<boolean> {
    const who = requester(socket);
    return (await guard.take('join', who)) && !(await guard.exhausted('guess', who));
  }

  /** A student's snapshot, holding back what their side cannot read (CAP4). */
  function snapshotFor(runtime: SessionRuntime, state: SimState, me: Participant): StudentSnapshot {
    return withEnd(runtime, studentSnapshot(runtime.code, state, me, clock(), readable.view(runtime.record.id, state, me.home)));
  }

  /** An instructor's command (SEC1): only from a socket that presented the session's secret. */
  async function admin<T>(socket: AppSocket, command: Command, answer: (state: SimState) => Ack<T>): Promise<Ack<T>> {
    const runtime = adminOf(socket);
    if (!runtime) return fail('forbidden', 'Only the instructor can do that: open the admin link again.');
    const outcome = await runtime.execute(command, `admin-${randomUUID()}`);
    return outcome.ok ? answer(outcome.state) : refused(outcome.error);
  }

  const settingsAck = (state: SimState): Ack<SettingsView> => ({ ok: true, data: settingsView(state) });

  io.use((socket, next) => {
    const auth = socket.handshake.auth as { protocol?: unknown } | undefined;
    if (auth?.protocol !== PROTOCOL_VERSION) {
      next(new Error(`This page speaks protocol ${String(auth?.protocol)}, the server ${PROTOCOL_VERSION}: reload the page.`));
      return;
    }
    next();
  });

  io.on('connection', (socket: AppSocket) => {
    const who: Requester = {
      connection: socket.id,
      address: clientAddress(socket.handshake.address, socket.handshake.headers['x-forwarded-for'], deps.trustProxy ?? false),
    };
    connections.set(socket, { who, people: new Set() });
    socket.on('disconnect', () => detach(socket));
    // PRES1: a socket restored by connection-state recovery is back in its rooms and its session: online again.
    if (socket.recovered) {
      const { sessionId, participantId } = socket.data;
      const runtime = sessionId ? byId.get(sessionId) : undefined;
      if (runtime && participantId && runtime.state.participants.has(participantId)) {
        connections.get(socket)?.people.add(participantId);
        setPresence(runtime, participantId, +1);
      }
    }
    // SEC9: an event nobody handles is answered with an error, or dropped with a (rate-limited) line.
    socket.onAny((event: string, ...args: unknown[]) => {
      if (known.has(event)) return;
      const ack = args.at(-1);
      if (typeof ack === 'function') (ack as (result: Ack<never>) => void)(fail('bad_request', `Unknown event ${JSON.stringify(String(event).slice(0, 40))}.`));
      else noisy.line('unknown-event', `dropped unknown event ${JSON.stringify(String(event).slice(0, 40))} from ${socket.id}`);
    });

    route(socket, 'session:create', schemas.sessionCreate, async () => {
      if (!(await guard.take('create', requester(socket)))) return tooFast();
      const secret = newSecret();
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const record = { id: randomUUID(), code: newJoinCode(), secretHash: hashSecret(secret), seed: randomInt(2 ** 31), createdAt: clock() };
        try {
          await store.createSession(record);
        } catch (error) {
          if (error instanceof DuplicateCodeError) continue;
          throw error;
        }
        register(SessionRuntime.fromLog(record, [], store, clock, hooks));
        return { ok: true, data: { code: record.code, secret } };
      }
      return fail('internal', 'Could not find a free join code; try again.');
    });

    route(socket, 'session:join', schemas.sessionJoin, async ({ code, name, token }) => {
      if (!(await mayLookUp(socket))) return tooFast();
      const runtime = byCode.get(code);
      if (!runtime) return wrongGuess(socket, fail('unknown_session', `No session has the code ${code}.`));
      const people = connections.get(socket)?.people ?? new Set<string>();
      let participantId: string | null = null;
      if (token) {
        const found = await store.findParticipantByToken(runtime.record.id, hashSecret(token));
        if (found && runtime.state.participants.has(found)) participantId = found;
      }
      let keptToken = token;
      if (participantId && !people.has(participantId) && !guard.allowsParticipant(people.size)) return tooManyPeople();
      if (!participantId) {
        if (!name) return wrongGuess(socket, fail('not_joined', 'Your place in this session was not found: join again with a name.'));
        if (!guard.allowsParticipant(people.size)) return tooManyPeople();
        participantId = randomUUID();
        keptToken = newSecret();
        const outcome = await runtime.execute({ type: 'participant.join', participantId, name }, `join-${participantId}`, {
          participantId,
          tokenHash: hashSecret(keptToken),
        });
        if (!outcome.ok) return refused(outcome.error);
      }
      const participant = runtime.state.participants.get(participantId);
      if (!participant || !keptToken) return fail('internal', 'Joining failed; please try again.');
      people.add(participantId);
      attachStudent(socket, runtime, participant);
      return { ok: true, data: { token: keptToken, snapshot: snapshotFor(runtime, runtime.state, participant) } };
    });

    route(socket, 'board:watch', schemas.boardWatch, async ({ code }) => {
      if (!(await mayLookUp(socket))) return tooFast();
      const runtime = byCode.get(code);
      if (!runtime) return wrongGuess(socket, fail('unknown_session', `No session has the code ${code}.`));
      attachClassView(socket, runtime, false);
      return { ok: true, data: withEnd(runtime, classSnapshot(runtime.code, runtime.state, runtime.timeline, (id) => runtime.isOnline(id), clock())) };
    });

    route(socket, 'admin:watch', schemas.adminWatch, async ({ code, secret }) => {
      if (!(await mayLookUp(socket))) return tooFast();
      const runtime = byCode.get(code);
      if (!runtime || !secretMatches(secret, runtime.record.secretHash)) {
        return wrongGuess(socket, fail('forbidden', 'That instructor link is not valid for this session.'));
      }
      attachClassView(socket, runtime, true);
      return { ok: true, data: withEnd(runtime, classSnapshot(runtime.code, runtime.state, runtime.timeline, (id) => runtime.isOnline(id), clock())) };
    });

    route(socket, 'post:create', schemas.postCreate, (p) =>
      write(socket, (participantId) => ({ type: 'post.create', opId: p.opId, participantId, parentId: p.parentId, text: p.text }), p.opId),
    );
    route(socket, 'post:edit', schemas.postEdit, (p) =>
      write(socket, (participantId) => ({ type: 'post.edit', opId: p.opId, participantId, postId: p.postId, text: p.text }), p.postId),
    );
    route(socket, 'post:delete', schemas.postTarget, (p) =>
      write(socket, (participantId) => ({ type: 'post.delete', opId: p.opId, participantId, postId: p.postId }), p.postId),
    );
    route(socket, 'post:like', schemas.postTarget, (p) =>
      write(socket, (participantId) => ({ type: 'post.like', opId: p.opId, participantId, postId: p.postId }), p.postId),
    );
    route(socket, 'post:unlike', schemas.postTarget, (p) =>
      write(socket, (participantId) => ({ type: 'post.unlike', opId: p.opId, participantId, postId: p.postId }), p.postId),
    );

    route(socket, 'admin:link', schemas.adminLink, ({ latencyMs, jitterMs }) =>
      admin(socket, { type: 'link.configure', latencyMs, jitterMs }, (state) => ({ ok: true, data: linkView(state) })),
    );
    route(socket, 'admin:reset', schemas.adminReset, () => admin(socket, { type: 'session.reset' }, () => ({ ok: true, data: null })));
    route(socket, 'admin:end', schemas.adminEnd, async () => {
      const runtime = adminOf(socket);
      if (!runtime) return fail('forbidden', 'Only the instructor can do that: open the admin link again.');
      await runtime.end('instructor');
      return runtime.ended ? { ok: true, data: runtime.ended } : fail('internal', 'The session could not be ended; please try again.');
    });
    route(socket, 'admin:partition', schemas.adminPartition, ({ mode, slowLatencyMs }) =>
      admin(socket, { type: 'link.mode', mode, ...(slowLatencyMs === undefined ? {} : { slowLatencyMs }) }, settingsAck),
    );
    route(socket, 'admin:skew', schemas.adminSkew, ({ dc, skewMs }) => admin(socket, { type: 'clock.skew', dc, skewMs }, settingsAck));
    route(socket, 'admin:consistency', schemas.adminConsistency, ({ w, r }) => admin(socket, { type: 'consistency.set', w, r }, settingsAck));
    route(socket, 'admin:lockSwitch', schemas.adminLockSwitch, ({ locked }) =>
      admin(socket, { type: 'settings.lockSwitch', locked }, settingsAck),
    );
    route(socket, 'admin:move', schemas.adminMove, ({ participantId, to }) =>
      admin(socket, { type: 'participant.move', participantId, to }, (state) => {
        const moved = state.participants.get(participantId);
        return moved ? { ok: true, data: participantView(moved, adminOf(socket)?.isOnline(participantId) ?? false) } : fail('unknown_participant', 'No such participant.');
      }),
    );

    route(socket, 'admin:strategy', schemas.adminStrategy, ({ strategy }) => admin(socket, { type: 'strategy.set', strategy }, settingsAck));
    route(socket, 'admin:resolve', schemas.adminResolve, ({ opId, postId, keep, dc }) =>
      admin(socket, { type: 'conflict.resolve', opId, participantId: null, dc, postId, keep }, (state) => {
        const view = postViewIn(state, dc, postId);
        return view ? { ok: true, data: view } : fail('unknown_post', 'That post is not there.');
      }),
    );
    route(socket, 'conflict:resolve', schemas.conflictResolve, ({ opId, postId, keep }) =>
      write(socket, (participantId) => ({ type: 'conflict.resolve', opId, participantId, postId, keep }), postId),
    );
    route(socket, 'heal:preview', schemas.healPreview, () => {
      const runtime = classViewOf(socket);
      if (!runtime) return Promise.resolve(fail('forbidden', 'The preview is for the board and the instructor.'));
      const state = runtime.state;
      const preview = previewHeal(state, Math.max(clock(), state.now));
      return Promise.resolve({
        ok: true,
        data: { lww: healReportView(state, preview.lww), merge: healReportView(state, preview.merge), human: healReportView(state, preview.human) },
      });
    });

    route(socket, 'consensus:watch', schemas.consensusWatch, () => {
      const runtime = classViewOf(socket);
      if (!runtime) return Promise.resolve(fail('forbidden', 'The consensus view is for the board and the instructor.'));
      const view = consensusOf(runtime);
      view.start();
      return Promise.resolve({ ok: true, data: { frame: view.frame(), analysis: view.analysis() } });
    });
    route(socket, 'admin:consensus', schemas.adminConsensus, (payload) => {
      const runtime = adminOf(socket);
      if (!runtime) return Promise.resolve(fail('forbidden', 'Only the instructor drives the consensus view.'));
      const view = consensusOf(runtime);
      view.start();
      return Promise.resolve({ ok: true, data: view.control(payload) });
    });

    route(socket, 'me:switch', schemas.meSwitch, async () => {
      const who = studentOf(socket);
      if (!who) return fail('not_joined', 'Join the session first.');
      // Every switch is stored: it spends a write (SEC5).
      if (!(await guard.take('write', requester(socket, who.participant.id)))) return tooFast();
      const outcome = await who.runtime.execute({ type: 'participant.switch', participantId: who.participant.id }, `switch-${randomUUID()}`);
      if (!outcome.ok) return refused(outcome.error);
      const me = outcome.state.participants.get(who.participant.id);
      if (!me) return fail('internal', 'Switching failed; please try again.');
      attachStudent(socket, who.runtime, me);
      return { ok: true, data: snapshotFor(who.runtime, outcome.state, me) };
    });
  });

  return {
    async restore() {
      for (const record of await store.listSessions()) {
        if (byId.has(record.id)) continue;
        try {
          const runtime = await SessionRuntime.load(record, store, clock, hooks);
          register(runtime);
          // CAP4: a side that cannot read keeps the view it could last read, as before the restart.
          if (DATACENTERS.some((dc) => !quorumStatus(runtime.state, dc).canRead)) readable.restore(record.id, record.seed, await store.readLog(record.id));
        } catch (error) {
          if (!(error instanceof SessionRestoreError)) throw error;
          log(error.message);
        }
      }
    },
    async settle() {
      await Promise.all([...byId.values()].map((runtime) => runtime.settle()));
    },
    async close() {
      await this.settle();
      for (const runtime of byId.values()) runtime.close();
      for (const view of consensus.values()) view.stop();
    },
    session: (code) => byCode.get(code),
  };
}
