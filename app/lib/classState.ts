/**
 * The board and the admin page watch the whole class: both datacenters' posts, the
 * participants, the link, the settings, the divergence, the timeline and the last heal. This
 * hook keeps that view current from broadcasts and fetches a fresh snapshot on (re)connect and
 * on reset. It never merges truth: every broadcast replaces what it names.
 */
import { useEffect, useRef, useState } from 'react';
import type {
  Ack,
  ClassChange,
  ClassSnapshot,
  Dc,
  ParticipantView,
  TimelineBandView,
  TimelineOpView,
  TimelineView,
} from '../../server/protocol/wire';
import { replacePosts, settlePosts } from './feed';
import { getSocket, request } from './socket';
import { useSocketEvents } from './useSocketEvents';

export type ClassState =
  | { kind: 'loading' }
  | { kind: 'failed'; code: string; message: string }
  | {
      kind: 'ready';
      snapshot: ClassSnapshot;
      /** Server time minus this browser's clock, from the snapshot: live clocks add it to Date.now(). */
      clockOffset: number;
    };

/** The timeline the page keeps; the server keeps the newest 500 ops too, so memory stays flat. */
export const TIMELINE_KEEP = 500;

/** Replaces a participant in place (a move keeps their row where it was), or adds a newcomer at the end. */
function replaceParticipant(list: readonly ParticipantView[], participant: ParticipantView): ParticipantView[] {
  return list.some((p) => p.id === participant.id) ? list.map((p) => (p.id === participant.id ? participant : p)) : [...list, participant];
}

/** Applies a timeline change: each op replaces the one with its opId (or is added), bands are replaced whole. */
export function applyTimelineChange(timeline: TimelineView, change: { ops: readonly TimelineOpView[]; bands: readonly TimelineBandView[] }): TimelineView {
  let ops = timeline.ops;
  if (change.ops.length > 0) {
    const index = new Map<string, number>();
    ops.forEach((op, i) => index.set(op.opId, i));
    const next = ops.slice();
    for (const op of change.ops) {
      const at = index.get(op.opId);
      if (at === undefined) {
        index.set(op.opId, next.length);
        next.push(op);
      } else {
        next[at] = op;
      }
    }
    ops = next.length > TIMELINE_KEEP ? next.slice(next.length - TIMELINE_KEEP) : next;
  }
  return { ops, bands: [...change.bands] };
}

type Change = (s: ClassSnapshot) => ClassSnapshot;

/** How long to wait before asking again while the server is still loading the session after a restart. */
export const LOADING_RETRY_MS = 1000;

/** Applies the board's batch: posts replaced, deliveries settled, counters and timeline replaced. */
export function applyClassChange(s: ClassSnapshot, change: ClassChange): ClassSnapshot {
  const side = (dc: Dc) => settlePosts(replacePosts(s.posts[dc], change.posts[dc]), change.settled[dc]);
  return {
    ...s,
    posts: { west: side('west'), east: side('east') },
    windows: {
      west: { ...s.windows.west, ...change.counts.west },
      east: { ...s.windows.east, ...change.counts.east },
    },
    inFlight: change.inFlight,
    divergence: change.divergence,
    timeline: change.timeline ? applyTimelineChange(s.timeline, change.timeline) : s.timeline,
  };
}

/**
 * Watches a class through `watch` (board:watch or admin:watch). Pass null to wait (e.g. no
 * secret yet). `update` lets the admin page apply its own acks (e.g. the new settings) at once.
 *
 * Broadcasts arrive one socket message at a time (a burst of posts is hundreds of them); they are
 * queued and applied together once per animation frame, so the page renders once per frame.
 */
export function useClassWatch(watch: (() => Promise<Ack<ClassSnapshot>>) | null): {
  state: ClassState;
  update: (change: Change) => void;
  /** Fetches the next window of older threads of a side ("Show older posts"). */
  more: (dc: Dc) => Promise<void>;
} {
  const [state, setState] = useState<ClassState>({ kind: 'loading' });
  /** The current watch's entry points (set while it runs): the broadcasts below feed it. */
  const watching = useRef<{ rewatch: () => void; edit: (change: Change) => void; take: (snapshot: ClassSnapshot) => void } | null>(null);

  useEffect(() => {
    if (!watch) return undefined;
    const socket = getSocket();
    let live = true;
    let queue: Change[] = [];
    let frame: number | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;

    const flush = () => {
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
      frame = null;
      timer = null;
      const changes = queue;
      queue = [];
      if (!live || changes.length === 0) return;
      setState((s) => (s.kind === 'ready' ? { ...s, snapshot: changes.reduce((acc, change) => change(acc), s.snapshot) } : s));
    };
    const edit = (change: Change) => {
      queue.push(change);
      if (frame !== null || timer !== null) return;
      // A hidden tab gets no animation frames; the timer keeps it current anyway.
      frame = requestAnimationFrame(flush);
      timer = setTimeout(flush, 100);
    };

    const take = (snapshot: ClassSnapshot) => {
      // The snapshot already holds everything broadcast before it.
      queue = [];
      setState({ kind: 'ready', snapshot, clockOffset: snapshot.serverNow - Date.now() });
    };
    const rewatch = () => {
      clearTimeout(retry);
      void watch().then((result) => {
        if (!live) return;
        if (result.ok) {
          take(result.data);
        } else if (result.error.code === 'loading') {
          // Just restarted: the session is still being rebuilt. Ask again shortly.
          retry = setTimeout(rewatch, LOADING_RETRY_MS);
        } else {
          setState((s) => (s.kind === 'ready' && result.error.code === 'internal' ? s : { kind: 'failed', ...result.error }));
        }
      });
    };
    watching.current = { rewatch, edit, take };
    if (socket.connected) rewatch();
    return () => {
      live = false;
      watching.current = null;
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
      clearTimeout(retry);
    };
  }, [watch]);
  const rewatch = () => watching.current?.rewatch();
  const edit = (change: Change) => watching.current?.edit(change);
  const onJoined = (participant: ParticipantView) => edit((s) => ({ ...s, participants: replaceParticipant(s.participants, participant) }));
  useSocketEvents(watch ? getSocket : null, {
    connect: rewatch,
    'session:reset': rewatch,
    'session:ended': rewatch,
    'incident:replayed': rewatch,
    'class:changed': (change) => edit((s) => applyClassChange(s, change)),
    // SNAP1: after a heal, the converged view in one message replaces everything.
    'class:healed': (snapshot) => watching.current?.take(snapshot),
    'participant:joined': onJoined,
    'participant:moved': onJoined,
    'participant:presence': ({ id, online }) => edit((s) => ({ ...s, participants: s.participants.map((p) => (p.id === id ? { ...p, online } : p)) })),
    'settings:changed': (settings) => edit((s) => ({ ...s, settings, link: settings.link })),
    'link:configured': (link) => edit((s) => ({ ...s, link, settings: { ...s.settings, link } })),
  });

  const update = (change: Change) => setState((s) => (s.kind === 'ready' ? { ...s, snapshot: change(s.snapshot) } : s));
  const before = { west: state.kind === 'ready' ? state.snapshot.windows.west.before : null, east: state.kind === 'ready' ? state.snapshot.windows.east.before : null };
  const more = async (dc: Dc) => {
    const cursor = before[dc];
    if (cursor === null) return;
    const page = await request('feed:more', { dc, before: cursor });
    if (!page.ok) return;
    update((s) => ({ ...s, posts: { ...s.posts, [dc]: replacePosts(s.posts[dc], page.data.posts) }, windows: { ...s.windows, [dc]: page.data.window } }));
  };
  return { state, update, more };
}
