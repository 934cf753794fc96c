/** Projects the core's state onto the protocol's views: what each kind of screen is sent. */
import {
  type DivergenceView,
  type FeedWindowView,
  type LinkView,
  type ParticipantView,
  type PostView,
  type QuorumView,
  type SettingsView,
  type SiblingView,
  type TimelineOpView,
  type TimelineView,
} from '../protocol/index.ts';
import {
  CLASS_AUTHOR,
  INSTRUCTOR,
  PINNED_POST_ID,
  divergence,
  inFlightCounts,
  presetOf,
  quorumStatus,
  likeCount,
  otherDc,
  vvCovers,
  whoChooses,
  type DcId,
  type Participant,
  type Post,
  type Sibling,
  type SimState,
  type Timeline,
  type TimelineOp,
} from '../sim/index.ts';
import type { WindowIds } from './feed-index.ts';

export function authorName(state: SimState, id: string): string {
  if (id === CLASS_AUTHOR) return 'The class';
  if (id === INSTRUCTOR) return 'The instructor';
  return state.participants.get(id)?.name ?? 'Someone';
}

/** Whether the other side has not yet seen this version of the post. */
function pendingIn(state: SimState, dc: DcId, post: Post): boolean {
  const there = state.replicas[otherDc(dc)].posts.get(post.id);
  return !there?.created || !vvCovers(there.vv, post.vv);
}

/** A post of `dc` that the other side now holds as it is here: its `pending` turned false. */
export function settledIn(state: SimState, dc: DcId, postId: string): boolean {
  const post = state.replicas[dc].posts.get(postId);
  return post?.created === true && !pendingIn(state, dc, post);
}

/** A post as datacenter `dc` holds it; `pending` while the other side has not seen this version. */
export function postView(state: SimState, dc: DcId, post: Post): PostView {
  const edited = post.textStamp !== null && post.textStamp.opId !== post.id;
  return {
    id: post.id,
    parentId: post.parentId,
    pinned: post.id === PINNED_POST_ID,
    authorId: post.author,
    authorName: authorName(state, post.author),
    text: post.text,
    deleted: post.deleted,
    createdAt: post.createdAt,
    createdIn: post.createdIn,
    editedBy: edited && post.textStamp ? authorName(state, post.textStamp.by) : null,
    editedAt: edited && post.textStamp ? post.textStamp.wall : null,
    likeCount: likeCount(post),
    likedBy: likedBy(post),
    vv: { west: post.vv.west, east: post.vv.east },
    lamport: post.lamport,
    pending: pendingIn(state, dc, post),
    siblings: post.siblings?.map((s) => siblingView(state, s)) ?? null,
    mayChoose: post.siblings ? whoChooses(post.id) : null,
    duplicateOf: post.duplicateOf,
  };
}

function likedBy(post: Post): string[] {
  const ids: string[] = [];
  for (const [id, mark] of post.likes) if (mark.on) ids.push(id);
  return ids;
}

export function siblingView(state: SimState, s: Sibling): SiblingView {
  return { dc: s.dc, text: s.text, deleted: s.deleted, byId: s.by, byName: authorName(state, s.by), wall: s.wall, lamport: s.lamport, vv: { ...s.vv } };
}

/** The posts a datacenter shows: those whose create has arrived there. O(session): CAP4's frozen view only. */
export function feedView(state: SimState, dc: DcId): PostView[] {
  const posts: PostView[] = [];
  for (const post of state.replicas[dc].posts.values()) if (post.created) posts.push(postView(state, dc, post));
  return posts;
}

/** The posts of a window, and where it stands: O(window), whatever the session holds. */
export function windowPosts(state: SimState, dc: DcId, ids: WindowIds): { posts: PostView[]; window: FeedWindowView } {
  const posts: PostView[] = [];
  for (const id of ids.ids) {
    const view = postViewIn(state, dc, id);
    if (view) posts.push(view);
  }
  // One order however the index was built (live, or rebuilt at a restart): a restart shows the same window.
  posts.sort((a, b) => a.createdAt - b.createdAt || a.lamport - b.lamport || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { posts, window: { before: ids.before, threads: ids.threads, posts: ids.posts } };
}

/** One post's view in `dc`, or null where it is not (yet) there. */
export function postViewIn(state: SimState, dc: DcId, postId: string): PostView | null {
  const post = state.replicas[dc].posts.get(postId);
  return post?.created ? postView(state, dc, post) : null;
}

/** A person as every screen shows them; simulated students are marked (BOT1). */
export function participantView(p: Participant, online: boolean, bot = false): ParticipantView {
  return bot ? { id: p.id, name: p.name, home: p.home, online, bot } : { id: p.id, name: p.name, home: p.home, online };
}

export function linkView(state: SimState): LinkView {
  const { latencyMs, jitterMs, mode, since, slowLatencyMs } = state.link;
  return { latencyMs, jitterMs, mode, since, slowLatencyMs };
}

function quorumView(state: SimState, dc: DcId): QuorumView {
  const q = quorumStatus(state, dc);
  return {
    reachable: [...q.reachable],
    w: q.w,
    r: q.r,
    overlapping: q.overlapping,
    canWrite: q.canWrite,
    canRead: q.canRead,
    writeRefusal: q.writeRefusal,
    readRefusal: q.readRefusal,
  };
}

export function settingsView(state: SimState): SettingsView {
  const { w, r } = state.consistency;
  return {
    link: linkView(state),
    skew: { ...state.skew },
    w,
    r,
    preset: presetOf(w, r),
    quorum: { west: quorumView(state, 'west'), east: quorumView(state, 'east') },
    switchLocked: state.settings.switchLocked,
    strategy: state.strategy,
  };
}

export function divergenceView(state: SimState): DivergenceView {
  return { ...divergence(state) };
}

/** Messages on the link, counted by the datacenter that sent them. */
export function inFlightView(state: SimState): Record<DcId, number> {
  return inFlightCounts(state);
}

export function timelineOpView(state: SimState, op: TimelineOp): TimelineOpView {
  return { ...op, authorName: authorName(state, op.author), vv: { west: op.vv.west, east: op.vv.east } };
}

export function timelineView(state: SimState, timeline: Timeline): TimelineView {
  return { ops: timeline.ops.map((op) => timelineOpView(state, op)), bands: timeline.bands.map((b) => ({ ...b })) };
}
