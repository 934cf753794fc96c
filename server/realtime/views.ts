/** Projects the core's state onto the protocol's views: what each kind of screen is sent. */
import type {
  ClassSnapshot,
  DivergenceView,
  HealReportView,
  LinkView,
  ParticipantView,
  PostView,
  QuorumView,
  SettingsView,
  SiblingView,
  StudentSnapshot,
  TimelineOpView,
  TimelineView,
  WriteView,
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
  type DcId,
  type Participant,
  type Post,
  type HealReport,
  type Sibling,
  type SimState,
  type WriteRef,
  type Timeline,
  type TimelineOp,
} from '../sim/index.ts';

function authorName(state: SimState, id: string): string {
  if (id === CLASS_AUTHOR) return 'The class';
  if (id === INSTRUCTOR) return 'The instructor';
  return state.participants.get(id)?.name ?? 'Someone';
}

/** A post as datacenter `dc` holds it; `pending` while the other side has not seen this version. */
export function postView(state: SimState, dc: DcId, post: Post): PostView {
  const there = state.replicas[otherDc(dc)].posts.get(post.id);
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
    pending: !there?.created || !vvCovers(there.vv, post.vv),
    siblings: post.siblings?.map((s) => siblingView(state, s)) ?? null,
    duplicateOf: post.duplicateOf,
  };
}

function likedBy(post: Post): string[] {
  const ids: string[] = [];
  for (const [id, mark] of post.likes) if (mark.on) ids.push(id);
  return ids;
}

function siblingView(state: SimState, s: Sibling): SiblingView {
  return { dc: s.dc, text: s.text, deleted: s.deleted, byId: s.by, byName: authorName(state, s.by), wall: s.wall, lamport: s.lamport, vv: { ...s.vv } };
}

function writeView(state: SimState, w: WriteRef): WriteView {
  return { opId: w.opId, kind: w.kind, byId: w.by, byName: authorName(state, w.by), dc: w.dc, wall: w.wall, at: w.at, text: w.text ?? null };
}

/** A heal report with names: the board's lists and each student's "what I lost". */
export function healReportView(state: SimState, report: HealReport): HealReportView {
  const name = (id: string) => authorName(state, id);
  return {
    strategy: report.strategy,
    at: report.at,
    held: { ...report.held },
    lost: report.lost.map((l) => ({ postId: l.postId, lost: writeView(state, l.lost), winner: writeView(state, l.winner), reason: l.reason, skewNote: l.skewNote })),
    duplicates: report.duplicates.map((d) => ({ postId: d.postId, duplicateId: d.duplicateId, byId: d.by, byName: name(d.by) })),
    brokenThreads: report.brokenThreads.map((b) => ({ postId: b.postId, parentId: b.parentId, byId: b.by, byName: name(b.by) })),
    phantomLikes: report.phantomLikes.map((p) => ({ postId: p.postId, byId: p.by, byName: name(p.by) })),
    resurrected: report.resurrected.map((r) => ({ postId: r.postId, deletedById: r.deletedBy, deletedByName: name(r.deletedBy), editedById: r.editedBy, editedByName: name(r.editedBy) })),
    likeMerges: report.likeMerges.map((m) => ({ ...m })),
    conflicts: report.conflicts.map((c) => ({ postId: c.postId, authorId: c.author, authorName: name(c.author), siblings: c.siblings.map((s) => siblingView(state, s)) })),
  };
}

/** The posts a datacenter shows: those whose create has arrived there. */
export function feedView(state: SimState, dc: DcId): PostView[] {
  const posts: PostView[] = [];
  for (const post of state.replicas[dc].posts.values()) if (post.created) posts.push(postView(state, dc, post));
  return posts;
}

/** One post's view in `dc`, or null where it is not (yet) there. */
export function postViewIn(state: SimState, dc: DcId, postId: string): PostView | null {
  const post = state.replicas[dc].posts.get(postId);
  return post?.created ? postView(state, dc, post) : null;
}

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

/**
 * A student's whole view. `readable` is the last readable view of their side while it cannot
 * read (CAP4): then its posts replace the live feed and `readableAsOf` says as of when.
 */
export function studentSnapshot(
  code: string,
  state: SimState,
  me: Participant,
  now: number,
  readable: { asOf: number; posts: readonly PostView[] } | null = null,
): StudentSnapshot {
  return {
    code,
    me: participantView(me, true),
    dc: me.home,
    posts: readable ? [...readable.posts] : feedView(state, me.home),
    readableAsOf: readable?.asOf ?? null,
    link: linkView(state),
    settings: settingsView(state),
    lastHeal: state.lastHeal ? healReportView(state, state.lastHeal) : null,
    serverNow: now,
  };
}

export function timelineOpView(state: SimState, op: TimelineOp): TimelineOpView {
  return { ...op, authorName: authorName(state, op.author), vv: { west: op.vv.west, east: op.vv.east } };
}

export function timelineView(state: SimState, timeline: Timeline): TimelineView {
  return { ops: timeline.ops.map((op) => timelineOpView(state, op)), bands: timeline.bands.map((b) => ({ ...b })) };
}

export function classSnapshot(code: string, state: SimState, timeline: Timeline, online: (id: string) => boolean, now: number, bot: (id: string) => boolean = () => false): ClassSnapshot {
  const posts = { west: feedView(state, 'west'), east: feedView(state, 'east') };
  return {
    code,
    posts,
    participants: [...state.participants.values()].map((p) => participantView(p, online(p.id), bot(p.id))),
    link: linkView(state),
    inFlight: inFlightView(state),
    settings: settingsView(state),
    divergence: divergenceView(state),
    timeline: timelineView(state, timeline),
    lastHeal: state.lastHeal ? healReportView(state, state.lastHeal) : null,
    serverNow: now,
  };
}

