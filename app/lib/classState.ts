/**
 * The board and the admin page watch the whole class: both datacenters' posts, the
 * participants, the link, the settings, the divergence, the timeline and the last heal. This
 * hook keeps that view current from broadcasts and fetches a fresh snapshot on (re)connect and
 * on reset. It never merges truth: every broadcast replaces what it names.
 */
import { useEffect, useState } from 'react';
import type {
  Ack,
  ClassSnapshot,
  Dc,
  DivergenceView,
  HealReportView,
  LinkView,
  ParticipantView,
  PostView,
  SettingsView,
  TimelineBandView,
  TimelineOpView,
  TimelineView,
} from '../../server/protocol';
import { replacePost } from './feed';
import { getSocket } from './socket';

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
} {
  const [state, setState] = useState<ClassState>({ kind: 'loading' });

  useEffect(() => {
    if (!watch) return undefined;
    const socket = getSocket();
    let live = true;
    let queue: Change[] = [];
    let frame: number | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;

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

    const rewatch = () => {
      void watch().then((result) => {
        if (!live) return;
        if (result.ok) {
          // The snapshot already holds everything broadcast before it.
          queue = [];
          setState({ kind: 'ready', snapshot: result.data, clockOffset: result.data.serverNow - Date.now() });
        } else {
          setState((s) => (s.kind === 'ready' && result.error.code === 'internal' ? s : { kind: 'failed', ...result.error }));
        }
      });
    };
    const onPost = ({ dc, post }: { dc: Dc; post: PostView }) => edit((s) => ({ ...s, posts: { ...s.posts, [dc]: replacePost(s.posts[dc], post) } }));
    const onJoined = (participant: ParticipantView) => edit((s) => ({ ...s, participants: replaceParticipant(s.participants, participant) }));
    const onPresence = ({ id, online }: { id: string; online: boolean }) =>
      edit((s) => ({ ...s, participants: s.participants.map((p) => (p.id === id ? { ...p, online } : p)) }));
    const onLink = (link: LinkView) => edit((s) => ({ ...s, link, settings: { ...s.settings, link } }));
    const onSettings = (settings: SettingsView) => edit((s) => ({ ...s, settings, link: settings.link }));
    const onInFlight = (inFlight: Record<Dc, number>) => edit((s) => ({ ...s, inFlight }));
    const onDivergence = (divergence: DivergenceView) => edit((s) => ({ ...s, divergence }));
    const onTimeline = (change: { ops: TimelineOpView[]; bands: TimelineBandView[] }) =>
      edit((s) => ({ ...s, timeline: applyTimelineChange(s.timeline, change) }));
    const onHeal = (report: HealReportView) => edit((s) => ({ ...s, lastHeal: report }));

    socket.on('connect', rewatch);
    socket.on('session:reset', rewatch);
    socket.on('session:ended', rewatch);
    socket.on('incident:replayed', rewatch);
    socket.on('post:changed', onPost);
    socket.on('participant:joined', onJoined);
    socket.on('participant:moved', onJoined);
    socket.on('participant:presence', onPresence);
    socket.on('settings:changed', onSettings);
    socket.on('link:configured', onLink);
    socket.on('link:inflight', onInFlight);
    socket.on('divergence:changed', onDivergence);
    socket.on('timeline:changed', onTimeline);
    socket.on('heal:reported', onHeal);
    if (socket.connected) rewatch();
    return () => {
      live = false;
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
      socket.off('connect', rewatch);
      socket.off('session:reset', rewatch);
      socket.off('session:ended', rewatch);
      socket.off('incident:replayed', rewatch);
      socket.off('post:changed', onPost);
      socket.off('participant:joined', onJoined);
      socket.off('participant:moved', onJoined);
      socket.off('participant:presence', onPresence);
      socket.off('settings:changed', onSettings);
      socket.off('link:configured', onLink);
      socket.off('link:inflight', onInFlight);
      socket.off('divergence:changed', onDivergence);
      socket.off('timeline:changed', onTimeline);
      socket.off('heal:reported', onHeal);
    };
  }, [watch]);

  const update = (change: Change) => setState((s) => (s.kind === 'ready' ? { ...s, snapshot: change(s.snapshot) } : s));
  return { state, update };
}
