/**
 * What a screen gets whole: a student's join (and re-join, switch, heal), a board's or admin's
 * watch. Each is a window (the newest threads per side, built from the FeedIndex without touching
 * the rest of the session) plus counts, so its cost does not grow with the session.
 */
import type { ClassSnapshot, FeedWindowView, HealReportView, PostView, StudentSnapshot } from '../protocol/index.ts';
import type { DcId, Participant, SimState, Timeline } from '../sim/index.ts';
import type { FeedIndex } from './feed-index.ts';
import { withEnd, type Hub } from './hub.ts';
import { reportFor, reportSample } from './report.ts';
import type { SessionRuntime } from './session-runtime.ts';
import { divergenceView, inFlightView, linkView, participantView, settingsView, timelineView, windowPosts } from './views.ts';

type Feed = { posts: PostView[]; window: FeedWindowView };

/**
 * A student's whole view. `readable` is the last readable view of their side while it cannot
 * read (CAP4): then its posts replace the live feed and `readableAsOf` says as of when.
 */
export function studentSnapshot(
  code: string,
  state: SimState,
  me: Participant,
  now: number,
  feed: Feed,
  lastHeal: HealReportView | null,
  readable: { asOf: number; posts: readonly PostView[] } | null = null,
): StudentSnapshot {
  return {
    code,
    me: participantView(me, true),
    dc: me.home,
    posts: readable ? [...readable.posts] : feed.posts,
    window: readable ? { before: null, threads: readable.posts.length, posts: readable.posts.length } : feed.window,
    readableAsOf: readable?.asOf ?? null,
    link: linkView(state),
    settings: settingsView(state),
    lastHeal,
    serverNow: now,
  };
}

/** Both sides' newest windows, for the board and the admin page. */
export function classWindows(state: SimState, index: FeedIndex): Pick<ClassSnapshot, 'posts' | 'windows'> {
  const west = windowPosts(state, 'west', index.window(state, 'west'));
  const east = windowPosts(state, 'east', index.window(state, 'east'));
  return { posts: { west: west.posts, east: east.posts }, windows: { west: west.window, east: east.window } };
}

export function classSnapshot(
  code: string,
  state: SimState,
  timeline: Timeline,
  online: (id: string) => boolean,
  now: number,
  windows: Pick<ClassSnapshot, 'posts' | 'windows'>,
  bot: (id: string) => boolean = () => false,
): ClassSnapshot {
  return {
    code,
    ...windows,
    participants: [...state.participants.values()].map((p) => participantView(p, online(p.id), bot(p.id))),
    link: linkView(state),
    inFlight: inFlightView(state),
    settings: settingsView(state),
    divergence: divergenceView(state),
    timeline: timelineView(state, timeline),
    lastHeal: reportSample(state),
    serverNow: now,
  };
}

/** One side's newest window. */
export function sideWindow(runtime: SessionRuntime, state: SimState, dc: DcId): Feed {
  return windowPosts(state, dc, runtime.feed.window(state, dc));
}

/** A student's snapshot, holding back what their side cannot read (CAP4); `feed` when already built for their side. */
export function snapshotFor(hub: Hub, runtime: SessionRuntime, state: SimState, me: Participant, feed?: Feed): StudentSnapshot {
  const readable = hub.readable.view(runtime.record.id, state, me.home);
  const window = readable ? { posts: [], window: { before: null, threads: 0, posts: 0 } } : (feed ?? sideWindow(runtime, state, me.home));
  return withEnd(runtime, studentSnapshot(runtime.code, state, me, hub.clock(), window, reportFor(state, me.id), readable));
}

/** The board's and admin's snapshot. */
export function classSnapshotOf(hub: Hub, runtime: SessionRuntime): ClassSnapshot {
  const state = runtime.state;
  return withEnd(runtime, classSnapshot(runtime.code, state, runtime.timeline, (id) => runtime.isOnline(id), hub.clock(), classWindows(state, runtime.feed), (id) => runtime.bots.has(id)));
}
