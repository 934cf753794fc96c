/**
 * After a change is stored and acknowledged: what each screen is told (validate, core, persist,
 * ack, broadcast). Changes are collected per session and sent once per tick: a post's view goes to
 * its side's students when its content changes there, a delivery on the link is a list of ids that
 * are no longer pending, and the board and the admin get one `class:changed` batch. After a heal
 * each screen gets its converged view in one message (SNAP1).
 */
import type { FeedCounts, PostView } from '../protocol/index.ts';
import { DATACENTERS, type DcId, type TimelineOp } from '../sim/index.ts';
import { countsView, incidentView } from './counts.ts';
import { rooms, type AppSocket, type Hub } from './hub.ts';
import { moveSockets } from './presence.ts';
import type { Committed, SessionRuntime } from './session-runtime.ts';
import { classSnapshotOf, sideWindow, snapshotFor } from './snapshots.ts';
import { divergenceView, inFlightView, linkView, participantView, postViewIn, settingsView, settledIn, timelineOpView } from './views.ts';

/** What a session's screens have not been told yet. */
interface Batch {
  /** Posts whose content changed in each side. */
  content: Record<DcId, Set<string>>;
  /** Posts of each side whose ops reached the other side: maybe no longer pending. */
  delivered: Record<DcId, Set<string>>;
  timeline: Map<string, TimelineOp>;
  bands: boolean;
  queued: boolean;
}

const emptyBatch = (): Batch => ({ content: { west: new Set(), east: new Set() }, delivered: { west: new Set(), east: new Set() }, timeline: new Map(), bands: false, queued: false });

const batches = new WeakMap<SessionRuntime, Batch>();

function batchOf(runtime: SessionRuntime): Batch {
  let batch = batches.get(runtime);
  if (!batch) {
    batch = emptyBatch();
    batches.set(runtime, batch);
  }
  return batch;
}

/** Sends what the session's batch holds, from the newest committed state (views only move forward). */
export function flush(hub: Hub, runtime: SessionRuntime): void {
  const batch = batches.get(runtime);
  if (!batch) return;
  batches.delete(runtime);
  const empty = !batch.bands && batch.timeline.size === 0 && DATACENTERS.every((dc) => batch.content[dc].size === 0 && batch.delivered[dc].size === 0);
  if (empty) return;
  const { io, readable } = hub;
  const sid = runtime.record.id;
  const state = runtime.state;
  const posts: Record<DcId, PostView[]> = { west: [], east: [] };
  const settled: Record<DcId, string[]> = { west: [], east: [] };
  const counts: Record<DcId, FeedCounts> = { west: runtime.feed.counts('west'), east: runtime.feed.counts('east') };
  for (const dc of DATACENTERS) {
    // CAP4: a side that cannot read is told nothing newer; the board still sees both.
    const students = readable.view(sid, state, dc) ? null : io.to(rooms.dc(sid, dc));
    for (const id of batch.content[dc]) {
      const post = postViewIn(state, dc, id);
      if (!post) continue;
      posts[dc].push(post);
      students?.emit('post:changed', { dc, post });
    }
    for (const id of batch.delivered[dc]) if (!batch.content[dc].has(id) && settledIn(state, dc, id)) settled[dc].push(id);
    if (settled[dc].length > 0) students?.emit('posts:settled', { dc, ids: settled[dc] });
  }
  const timeline = batch.bands || batch.timeline.size > 0 ? { ops: [...batch.timeline.values()].map((op) => timelineOpView(state, op)), bands: runtime.timeline.bands.map((b) => ({ ...b })) } : null;
  io.to(rooms.class(sid)).emit('class:changed', { posts, settled, counts, inFlight: inFlightView(state), divergence: divergenceView(state), timeline });
}

function queue(hub: Hub, runtime: SessionRuntime, batch: Batch): void {
  if (batch.queued) return;
  batch.queued = true;
  setImmediate(() => flush(hub, runtime));
}

/**
 * Calls `each` for every socket in `room`: this process's at once, or in cluster mode every
 * process's once they are found (the room's students may be on any of them).
 */
function forEachIn(hub: Hub, room: string, each: (socket: Pick<AppSocket, 'data' | 'emit'>) => void): void {
  if (!hub.cluster) {
    for (const id of hub.io.sockets.adapter.rooms.get(room) ?? []) {
      const socket = hub.io.sockets.sockets.get(id);
      if (socket) each(socket);
    }
    return;
  }
  hub.io
    .in(room)
    .fetchSockets()
    .then((sockets) => sockets.forEach(each), (error: unknown) => hub.log(`not sent to ${room}: ${String(error)}`));
}

/** SNAP1: one message per screen with its converged view, instead of one per merged post. */
function converge(hub: Hub, runtime: SessionRuntime): void {
  batches.delete(runtime);
  const sid = runtime.record.id;
  const state = runtime.state;
  hub.io.to(rooms.class(sid)).emit('class:healed', classSnapshotOf(hub, runtime));
  for (const dc of DATACENTERS) {
    const feed = sideWindow(runtime, state, dc);
    forEachIn(hub, rooms.dc(sid, dc), (socket) => {
      const me = socket.data.participantId ? state.participants.get(socket.data.participantId) : undefined;
      if (me) socket.emit('heal:converged', snapshotFor(hub, runtime, state, me, me.home === dc ? feed : undefined));
    });
  }
}

export function broadcast(hub: Hub, runtime: SessionRuntime, { state, events, timelineChanged }: Committed): void {
  const { io, readable } = hub;
  const sid = runtime.record.id;
  const consensus = hub.consensus.get(sid);
  readable.observe(sid, state, events.some((e) => e.type === 'session.reset' || e.type === 'heal.rewound'));
  // The consensus view reads its inputs (cuts, class writes, the instructor's actions) from each commit.
  consensus?.committed(state.now, events, state);
  const healed = events.some((e) => e.type === 'heal.resolved');
  // Rare events go out at once, after what was collected before them, so each screen sees changes in order.
  const now = () => flush(hub, runtime);
  // The board's O(1) counts panel (INC2): conflicts remaining, posts per side, the incident's numbers.
  let counted = false;
  for (const event of events) {
    switch (event.type) {
      case 'participant.joined':
        now();
        io.to(rooms.class(sid)).emit('participant:joined', participantView(event.participant, runtime.isOnline(event.participant.id), runtime.bots.has(event.participant.id)));
        break;
      case 'op.applied':
        if (event.op.kind === 'resolve') counted = true;
        if (healed) break;
        batchOf(runtime).content[event.dc].add(event.op.postId);
        if (!event.local) batchOf(runtime).delivered[event.op.origin].add(event.op.postId);
        break;
      case 'settings.changed':
        if (healed) break; // the converged view carries the settings
        now();
        batchOf(runtime).bands = true;
        io.to(rooms.all(sid)).emit('settings:changed', settingsView(state));
        io.to(rooms.all(sid)).emit('link:configured', linkView(state));
        break;
      case 'participant.moved':
        now();
        io.to(rooms.class(sid)).emit('participant:moved', participantView(event.participant, runtime.isOnline(event.participant.id), runtime.bots.has(event.participant.id)));
        void moveSockets(hub, sid, event.participant, event.from);
        break;
      case 'session.reset':
        batches.delete(runtime);
        io.to(rooms.all(sid)).emit('session:reset');
        break;
      case 'heal.rewound':
        // Every view went back to before the heal: each screen fetches a fresh snapshot, as after a reset.
        batches.delete(runtime);
        io.to(rooms.all(sid)).emit('session:reset');
        break;
      case 'heal.resolved':
        // The converged view is the one message a heal sends (SNAP1); the counts panel asks after it.
        break;
      case 'consensus.acted':
        // The consensus view heard of it above; its frames go to the board.
        break;
      case 'incident.replayed':
        // INC2: its numbers only; each page then fetches a fresh snapshot (a window, not 200K rows).
        now();
        io.to(rooms.all(sid)).emit('incident:replayed', incidentView(event.summary));
        counted = true;
        break;
      default: {
        const unknown: never = event;
        hub.log(`unhandled event ${JSON.stringify(unknown)}`);
      }
    }
  }
  if (counted) io.to(rooms.class(sid)).emit('counts:changed', countsView(state, runtime.incident));
  if (healed) {
    converge(hub, runtime);
    return;
  }
  const batch = batchOf(runtime);
  for (const op of timelineChanged) batch.timeline.set(op.opId, op);
  queue(hub, runtime, batch);
}
