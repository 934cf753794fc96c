/** Consensus domain: the Raft view beside the feeds, played while a board or admin watches; the instructor's actions on it are logged. */
import { randomUUID } from 'node:crypto';
import { schemas, type ConsensusFrame } from '../../protocol/index.ts';
import type { ConsensusAct } from '../../sim/raft/index.ts';
import { ConsensusRuntime } from '../consensus.ts';
import { journalOf } from '../consensus-journal.ts';
import { fail, refused, rooms, type AppSocket, type Hub } from '../hub.ts';
import { adminOf, classViewOf } from '../presence.ts';
import { route } from '../route.ts';
import type { SessionRuntime } from '../session-runtime.ts';

const loading = new WeakMap<SessionRuntime, Promise<ConsensusRuntime>>();

/**
 * Whether a board or admin watches the session. In cluster mode the watchers may be on any process:
 * every process is asked at most every 2 s, and the last answer is kept with the view.
 */
function watchedBy(hub: Hub, sid: string): () => boolean {
  if (!hub.cluster) return () => (hub.io.sockets.adapter.rooms.get(rooms.class(sid))?.size ?? 0) > 0;
  let known = { at: 0, any: true };
  return () => {
    if (Date.now() - known.at >= 2000) {
      known = { ...known, at: Date.now() };
      hub.io
        .in(rooms.class(sid))
        .fetchSockets()
        .then((found) => (known = { at: Date.now(), any: found.length > 0 }), () => {});
    }
    return known.any;
  };
}

/**
 * The session's consensus view, made on first use from the journal in its stored log. It is told
 * of commits from the moment it is made (broadcast.ts), and keeps those the log read did not hold.
 */
export function consensusOf(hub: Hub, runtime: SessionRuntime): Promise<ConsensusRuntime> {
  const sid = runtime.record.id;
  const existing = hub.consensus.get(sid);
  if (existing?.loaded) return Promise.resolve(existing);
  const pending = loading.get(runtime);
  if (pending) return pending;
  const created = new ConsensusRuntime(
    hub.clock,
    (frame) => hub.io.to(rooms.class(sid)).emit('consensus:frame', frame),
    (analysis) => hub.io.to(rooms.class(sid)).emit('consensus:analysis', analysis),
    watchedBy(hub, sid),
  );
  hub.consensus.set(sid, created);
  const made = (async () => {
    const journal = await journalOf(runtime, await hub.store.readLog(sid));
    // The stretch since the last input is run in slices (a restart after an hour of play), then kept up by the timer.
    created.load(await journal.start(hub.clock()));
    created.start();
    return created;
  })();
  loading.set(runtime, made);
  made.catch(() => {
    hub.consensus.delete(sid);
    loading.delete(runtime);
  });
  return made;
}

/**
 * The instructor acts on the consensus view: a logged command like any other (the view's journal),
 * answered with the frame once the view has played it.
 */
export async function actOn(hub: Hub, runtime: SessionRuntime, act: ConsensusAct): Promise<{ ok: true; frame: ConsensusFrame } | { ok: false; error: Parameters<typeof refused>[0] }> {
  const view = await consensusOf(hub, runtime);
  const outcome = await runtime.execute({ type: 'consensus.act', act }, `admin-${randomUUID()}`);
  if (!outcome.ok) return outcome;
  // The view plays the commit when broadcast hears of it, right after this task.
  await new Promise((resolve) => setImmediate(resolve));
  return { ok: true, frame: view.frame() };
}

export function consensusHandlers(hub: Hub, socket: AppSocket): void {
  route(hub, socket, 'consensus:watch', schemas.consensusWatch, async () => {
    const runtime = classViewOf(hub, socket);
    if (!runtime) return fail('forbidden', 'The consensus view is for the board and the instructor.');
    const view = await consensusOf(hub, runtime);
    return { ok: true, data: { frame: view.frame(), analysis: view.analysisNow() } };
  });
  route(hub, socket, 'admin:consensus', schemas.adminConsensus, async (payload) => {
    const runtime = adminOf(hub, socket);
    if (!runtime) return fail('forbidden', 'Only the instructor drives the consensus view.');
    const done = await actOn(hub, runtime, payload);
    return done.ok ? { ok: true, data: done.frame } : refused(done.error);
  });
}
