/**
 * Healing a split: the three ways of putting the truth back together (LWW, merge everything,
 * human choice). Each strategy is one function from the two sides' replicas and the messages the
 * link held to the merged posts and a report; both datacenters then hold the same posts
 * (convergence), whatever order the held messages were sent in.
 */
import { applyOps, likeCount } from './replica.ts';
import {
  DATACENTERS,
  type DcId,
  type HealReport,
  type LikeMerge,
  type LostWrite,
  type Op,
  type Post,
  type PostId,
  type Replica,
  type SimEvent,
  type SimState,
  type Sibling,
  type Stamp,
  type Strategy,
  type WriteRef,
} from './types.ts';
import { mergeVV } from './vv.ts';

/** What every strategy starts from. */
interface HealInput {
  /** Each side as it was when the link came back. */
  readonly before: Readonly<Record<DcId, Replica>>;
  /** Both sides after applying everything held with the foundation's merge rule (they agree). */
  readonly merged: Readonly<Record<PostId, Post>>;
  /** What each side wrote that the other had not seen, in send order. */
  readonly held: Readonly<Record<DcId, readonly Op[]>>;
  /** Those ops grouped by post, per side. */
  readonly byPost: Readonly<Record<DcId, ReadonlyMap<PostId, readonly Op[]>>>;
  /** Posts both sides wrote to during the split: where the strategies differ. */
  readonly both: readonly PostId[];
  readonly now: number;
}

interface HealResult {
  readonly posts: Record<PostId, Post>;
  readonly report: HealReport;
  readonly touched: readonly PostId[];
}

type EmptyReport = Omit<HealReport, 'strategy' | 'at' | 'held'>;

const NOTHING: EmptyReport = { lost: [], duplicates: [], brokenThreads: [], phantomLikes: [], resurrected: [], likeMerges: [], conflicts: [] };

const LABEL: Record<DcId, string> = { west: 'West', east: 'East' };
const CONTENT_KINDS = new Set<Op['kind']>(['edit', 'delete', 'resolve']);

function seconds(ms: number): string {
  return `${(Math.abs(ms) / 1000).toFixed(1)} s`;
}

function ref(op: Op): WriteRef {
  return { opId: op.opId, kind: op.kind, by: op.author, dc: op.origin, wall: op.wall, at: op.at, ...(op.text === undefined ? {} : { text: op.text }) };
}

/**
 * LWW1's order: the later wall timestamp wins; on an equal timestamp a delete beats anything else
 * (Cassandra's rule), then West beats East. Positive when `a` wins.
 */
export function compareLww(a: Op, b: Op): number {
  if (a.wall !== b.wall) return a.wall - b.wall;
  const aDel = a.kind === 'delete' ? 1 : 0;
  const bDel = b.kind === 'delete' ? 1 : 0;
  if (aDel !== bDel) return aDel - bDel;
  return DATACENTERS.indexOf(b.origin) - DATACENTERS.indexOf(a.origin);
}

function newest(ops: readonly Op[]): Op {
  return ops.reduce((best, op) => (compareLww(op, best) > 0 ? op : best));
}

/** LWW3's explanation of one loss, including "the clock was behind" when skew decided it. */
function explainLoss(lost: Op, winner: Op): { reason: string; skewNote: string | null } {
  const w = LABEL[winner.origin];
  const l = LABEL[lost.origin];
  const reason =
    winner.wall === lost.wall
      ? winner.kind === 'delete' && lost.kind !== 'delete'
        ? `Same timestamp on both clocks: a delete beats an edit.`
        : `Same timestamp on both clocks: ${w} wins ties.`
      : `${w}'s version has the later timestamp (${seconds(winner.wall - lost.wall)} later on the clocks): the last write wins.`;
  const behind = winner.wall - winner.at - (lost.wall - lost.at);
  const skewNote =
    lost.at > winner.at && behind > 0
      ? `${l}'s clock was ${seconds(behind)} behind ${w}'s: this write really came ${seconds(lost.at - winner.at)} later, and still lost.`
      : null;
  return { reason, skewNote };
}

function lww(input: HealInput): HealResult {
  const posts: Record<PostId, Post> = { ...input.merged };
  const lost: LostWrite[] = [];
  for (const id of input.both) {
    const westOps = input.byPost.west.get(id) ?? [];
    const eastOps = input.byPost.east.get(id) ?? [];
    const westNewest = newest(westOps);
    const eastNewest = newest(eastOps);
    const winner: DcId = compareLww(westNewest, eastNewest) > 0 ? 'west' : 'east';
    const winnerOp = winner === 'west' ? westNewest : eastNewest;
    const kept = input.before[winner].posts[id];
    const other = input.before[winner === 'west' ? 'east' : 'west'].posts[id];
    if (!kept || !other) continue;
    // The whole object is the winner's version, likes included (LWW2: a count each side overwrote).
    posts[id] = { ...kept, vv: mergeVV(kept.vv, other.vv), lamport: Math.max(kept.lamport, other.lamport) };
    for (const op of winner === 'west' ? eastOps : westOps) {
      lost.push({ postId: id, lost: ref(op), winner: ref(winnerOp), ...explainLoss(op, winnerOp) });
    }
  }
  return { posts, report: { ...NOTHING, strategy: 'lww', at: input.now, held: heldCounts(input), lost }, touched: input.both };
}

/** Replies written during the split whose parent ended up deleted (MRG3). */
function brokenThreads(input: HealInput, posts: Readonly<Record<PostId, Post>>): HealReport['brokenThreads'] {
  const broken: { postId: PostId; parentId: PostId; by: string }[] = [];
  for (const dc of DATACENTERS) {
    for (const op of input.held[dc]) {
      if (op.kind === 'create' && op.parentId && posts[op.parentId]?.deleted) broken.push({ postId: op.postId, parentId: op.parentId, by: op.author });
    }
  }
  return broken;
}

/** MRG2: what each side added to a like count, and the merged total (a set of likers). */
function likeMerges(input: HealInput, posts: Readonly<Record<PostId, Post>>): LikeMerge[] {
  const merges: LikeMerge[] = [];
  for (const id of input.both) {
    const liked = (dc: DcId) => (input.byPost[dc].get(id) ?? []).some((op) => op.kind === 'like' || op.kind === 'unlike');
    const post = posts[id];
    const west = input.before.west.posts[id];
    const east = input.before.east.posts[id];
    if (!post || !west || !east || !liked('west') || !liked('east')) continue;
    const total = likeCount(post);
    merges.push({ postId: id, west: total - likeCount(east), east: total - likeCount(west), total });
  }
  return merges;
}

function contentOps(ops: readonly Op[] | undefined): Op[] {
  return (ops ?? []).filter((op) => CONTENT_KINDS.has(op.kind));
}

function stampOf(op: Op): Stamp {
  return { lamport: op.lamport, wall: op.wall, origin: op.origin, opId: op.opId, by: op.author };
}

function mergeAll(input: HealInput): HealResult {
  const posts: Record<PostId, Post> = { ...input.merged };
  const duplicates: { postId: PostId; duplicateId: PostId; by: string }[] = [];
  const resurrected: { postId: PostId; deletedBy: string; editedBy: string }[] = [];
  const phantomLikes: { postId: PostId; by: string }[] = [];
  const touched: PostId[] = [...input.both];
  for (const id of input.both) {
    const post = posts[id];
    const west = input.before.west.posts[id];
    const east = input.before.east.posts[id];
    if (!post || !west || !east) continue;
    const ops = { west: input.byPost.west.get(id) ?? [], east: input.byPost.east.get(id) ?? [] };
    const edits = { west: ops.west.filter((o) => o.kind === 'edit'), east: ops.east.filter((o) => o.kind === 'edit') };
    const deletes = { west: ops.west.filter((o) => o.kind === 'delete'), east: ops.east.filter((o) => o.kind === 'delete') };
    const deleter = deletes.west.length > 0 ? 'west' : deletes.east.length > 0 ? 'east' : null;
    const editorSide = deleter === 'west' ? 'east' : 'west';
    if (deleter && deletes[editorSide].length === 0 && edits[editorSide].length > 0) {
      // Deleted on one side, edited on the other: merging everything brings the post back (MRG3).
      const edit = newest(edits[editorSide]);
      const deleteStamp = post.deleteStamp;
      const restore: Stamp = { ...stampOf(edit), lamport: Math.max(edit.lamport, deleteStamp?.lamport ?? 0) + 1 };
      const edited = input.before[editorSide].posts[id] ?? post;
      posts[id] = { ...post, text: edited.text, textStamp: edited.textStamp, restoreStamp: restore, deleted: false };
      resurrected.push({ postId: id, deletedBy: newest(deletes[deleter]).author, editedBy: edit.author });
      continue;
    }
    if (deleter) {
      // Likes given on the other side to a post deleted on this one: counted, on a deleted post.
      const other = deleter === 'west' ? 'east' : 'west';
      for (const op of ops[other]) if (op.kind === 'like') phantomLikes.push({ postId: id, by: op.author });
      continue;
    }
    if (edits.west.length > 0 && edits.east.length > 0) {
      // Edited on both sides: West's version stays, East's becomes a post of its own (MRG1).
      const edit = newest(edits.east);
      const duplicateId = `${id}~${edit.opId}`;
      posts[id] = { ...post, text: west.text, textStamp: west.textStamp };
      posts[duplicateId] = {
        ...east,
        id: duplicateId,
        text: east.text,
        likes: {},
        siblings: null,
        duplicateOf: id,
        createdAt: edit.wall,
        createdIn: 'east',
        deleteStamp: null,
        restoreStamp: null,
        deleted: false,
      };
      duplicates.push({ postId: id, duplicateId, by: edit.author });
      touched.push(duplicateId);
    }
  }
  const report: HealReport = {
    ...NOTHING,
    strategy: 'merge',
    at: input.now,
    held: heldCounts(input),
    duplicates,
    resurrected,
    phantomLikes,
    brokenThreads: brokenThreads(input, posts),
    likeMerges: likeMerges(input, posts),
  };
  return { posts, report, touched };
}

function sibling(post: Post, dc: DcId, ops: readonly Op[]): Sibling {
  const last = newest(ops);
  return { dc, text: post.text, deleted: post.deleted, vv: post.vv, by: last.author, wall: last.wall, lamport: last.lamport };
}

function humanChoice(input: HealInput): HealResult {
  const posts: Record<PostId, Post> = { ...input.merged };
  const conflicts: HealReport['conflicts'][number][] = [];
  for (const id of input.both) {
    const westContent = contentOps(input.byPost.west.get(id));
    const eastContent = contentOps(input.byPost.east.get(id));
    const post = posts[id];
    const west = input.before.west.posts[id];
    const east = input.before.east.posts[id];
    // Likes on both sides, or content on one side only, merge by themselves (HUM1).
    if (!post || !west || !east || westContent.length === 0 || eastContent.length === 0) continue;
    const siblings = [sibling(west, 'west', westContent), sibling(east, 'east', eastContent)];
    posts[id] = { ...post, siblings };
    conflicts.push({ postId: id, author: post.author, siblings });
  }
  const report: HealReport = {
    ...NOTHING,
    strategy: 'human',
    at: input.now,
    held: heldCounts(input),
    conflicts,
    brokenThreads: brokenThreads(input, posts),
    likeMerges: likeMerges(input, posts),
  };
  return { posts, report, touched: input.both };
}

function heldCounts(input: HealInput): Record<DcId, number> {
  return { west: input.held.west.length, east: input.held.east.length };
}

const STRATEGY: Readonly<Record<Strategy, (input: HealInput) => HealResult>> = { lww, merge: mergeAll, human: humanChoice };

function groupByPost(ops: readonly Op[]): Map<PostId, Op[]> {
  const map = new Map<PostId, Op[]>();
  for (const op of ops) {
    const list = map.get(op.postId);
    if (list) list.push(op);
    else map.set(op.postId, [op]);
  }
  return map;
}

/** Everything on the link, delivered in one go, and the strategy's merged posts for both sides. */
function resolve(state: SimState, strategy: Strategy, now: number): { west: Replica; east: Replica; result: HealResult; held: SimState['inFlight'] } {
  const held = [...state.inFlight].sort((a, b) => a.seq - b.seq);
  const ops = { west: held.filter((m) => m.from === 'west').map((m) => m.op), east: held.filter((m) => m.from === 'east').map((m) => m.op) };
  const west = applyOps(state.replicas.west, ops.east, false);
  const east = applyOps(state.replicas.east, ops.west, false);
  const byPost = { west: groupByPost(ops.west), east: groupByPost(ops.east) };
  const both = [...byPost.west.keys()].filter((id) => byPost.east.has(id) && state.replicas.west.posts[id]?.created && state.replicas.east.posts[id]?.created);
  const result = STRATEGY[strategy]({ before: state.replicas, merged: west.posts, held: ops, byPost, both, now });
  return { west, east, result, held };
}

/**
 * The heal path: the link is fully open again, so every message it still carries is delivered
 * now (NET2: none lost, none twice) and the session's strategy settles the posts both sides wrote.
 * West and East end with the same posts.
 */
export function heal(state: SimState, now: number): { state: SimState; events: SimEvent[] } {
  if (state.inFlight.length === 0) return { state, events: [] };
  const { west, east, result, held } = resolve(state, state.strategy, now);
  const events: SimEvent[] = held.map((m) => ({ type: 'op.applied', dc: m.to, op: m.op, local: false, at: now }));
  events.push({ type: 'heal.resolved', report: result.report, touched: result.touched });
  return {
    state: {
      ...state,
      replicas: { west: { ...west, posts: result.posts }, east: { ...east, posts: result.posts } },
      inFlight: [],
      lastHeal: result.report,
    },
    events,
  };
}

/**
 * PRE1: all three strategies applied to the current divergent state, without healing: what each
 * would lose, duplicate or leave to choose. Pure, so the board can ask as often as it likes.
 */
export function previewHeal(state: SimState, now: number): Record<Strategy, HealReport> {
  const preview = (strategy: Strategy) => resolve(state, strategy, now).result.report;
  return { lww: preview('lww'), merge: preview('merge'), human: preview('human') };
}
