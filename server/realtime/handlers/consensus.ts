/** Consensus domain: the Raft view beside the feeds, played while a board or admin page watches. */
import { schemas } from '../../protocol/index.ts';
import { cutOfLinkMode } from '../../sim/raft/index.ts';
import { ConsensusRuntime } from '../consensus.ts';
import { fail, rooms, type AppSocket, type Hub } from '../hub.ts';
import { adminOf, classViewOf } from '../presence.ts';
import { route } from '../route.ts';
import type { SessionRuntime } from '../session-runtime.ts';

/** When each view last asked every process whether anyone watches. */
const lastAsked = new WeakMap<ConsensusRuntime, number>();

/** Cluster mode: the watchers may be on any process; asked of all of them at most every 2 s. */
function stopUnwatched(hub: Hub, sid: string, view: ConsensusRuntime): void {
  const now = Date.now();
  if (now - (lastAsked.get(view) ?? 0) < 2000) return;
  lastAsked.set(view, now);
  hub.io
    .in(rooms.class(sid))
    .fetchSockets()
    .then((watchers) => watchers.length === 0 && view.stop(), () => {});
}

/** The session's consensus view, made on first watch; it plays only while a board or admin watches. */
export function consensusOf(hub: Hub, runtime: SessionRuntime): ConsensusRuntime {
  const sid = runtime.record.id;
  const existing = hub.consensus.get(sid);
  if (existing) return existing;
  const created: ConsensusRuntime = new ConsensusRuntime(
    runtime.record.seed,
    cutOfLinkMode(runtime.state.link.mode),
    (frame) => {
      if (hub.cluster) stopUnwatched(hub, sid, created);
      else if (!hub.io.sockets.adapter.rooms.get(rooms.class(sid))?.size) created.stop();
      hub.io.to(rooms.class(sid)).emit('consensus:frame', frame);
    },
    (analysis) => hub.io.to(rooms.class(sid)).emit('consensus:analysis', analysis),
  );
  hub.consensus.set(sid, created);
  return created;
}

export function consensusHandlers(hub: Hub, socket: AppSocket): void {
  route(hub, socket, 'consensus:watch', schemas.consensusWatch, () => {
    const runtime = classViewOf(hub, socket);
    if (!runtime) return Promise.resolve(fail('forbidden', 'The consensus view is for the board and the instructor.'));
    const view = consensusOf(hub, runtime);
    view.start();
    return Promise.resolve({ ok: true, data: { frame: view.frame(), analysis: view.analysis() } });
  });
  route(hub, socket, 'admin:consensus', schemas.adminConsensus, (payload) => {
    const runtime = adminOf(hub, socket);
    if (!runtime) return Promise.resolve(fail('forbidden', 'Only the instructor drives the consensus view.'));
    const view = consensusOf(hub, runtime);
    view.start();
    return Promise.resolve({ ok: true, data: view.control(payload) });
  });
}
