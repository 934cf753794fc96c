/**
 * Healing a split: the three ways of putting the truth back together (LWW, merge everything,
 * human choice). Each strategy is one function from what each side wrote during the split (the
 * split's index, one-way cuts included) to the merged posts and a report; both datacenters then
 * hold the same posts (convergence), whatever order the held messages were sent in.
 */
import { List, Map as IMap } from 'immutable';
import { NO_DIVERGENCE } from './divergence.ts';
import { EMPTY_LINK } from './network.ts';
import { otherDc } from './vocab.ts';
import { NO_LIKES, applyOps, likeCount } from './replica.ts';
import { startSplit, versionOf } from './split.ts';
import {
  DATACENTERS,
  PINNED_POST_ID,
  type Chooser,
  type DcId,
  type HealReport,
  type LikeMerge,
  type LostWrite,
  type Op,
  type Post,
  type PostId,
  type Message,
  type Replica,
  type SimEvent,
  type SimState,
  type Sibling,
  type Stamp,
  type Strategy,
  type WriteRef,
} from './types.ts';

/** What every strategy starts from. */
interface HealInput {
  /**
   * A side's version of a post when the link came back, as if the other side's split writes had
   * not crossed early over a one-way cut (split.ts): what each side would show on its own.
   */
  readonly version: (dc: DcId, id: PostId) => Post | undefined;
  /** Both sides after applying everything held with the foundation's merge rule (they agree). */
  readonly merged: IMap<PostId, Post>;
  /** How many messages the link still held, by sending side (the report's `held`). */
  readonly held: Readonly<Record<DcId, number>>;
  /** What each side wrote during the split, delivered across a one-way cut or not, in order. */
  readonly written: Readonly<Record<DcId, readonly Op[]>>;
  /** Those ops grouped by post, per side: the split's index, kept as they were written. */
  readonly byPost: Readonly<Record<DcId, IMap<PostId, List<Op>>>>;
  /** Replies each side wrote, grouped by the post replied to (the split's index too). */
  readonly replies: Readonly<Record<DcId, IMap<PostId, List<Op>>>>;
  /** Posts both sides wrote to during the split: where the strategies differ. */
  readonly both: readonly PostId[];
  readonly now: number;
}

interface HealResult {
  readonly posts: IMap<PostId, Post>;
  readonly report: HealReport;
  readonly touched: readonly PostId[];
}

type EmptyReport = Omit<HealReport, 'strategy' | 'at' | 'held'>;

const NOTHING: EmptyReport = { lost: [], duplicates: [], brokenThreads: [], phantomLikes: [], resurrected: [], likeMerges: [], conflicts: [] };

const CONTENT_KINDS = new Set<Op['kind']>(['edit', 'delete', 'resolve']);

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

/**
 * LWW3's facts about one loss: which part of LWW1's order decided it, by how much, and whether a
 * skewed clock did (the loser really wrote later, on a clock that was behind). Numbers, not
 * words: app/lib phrases them the same way on every screen.
 */
function explainLoss(lost: Op, winner: Op): Pick<LostWrite, 'decidedBy' | 'aheadMs' | 'skew'> {
  const decidedBy = winner.wall !== lost.wall ? 'later-timestamp' : winner.kind === 'delete' && lost.kind !== 'delete' ? 'delete-on-tie' : 'datacenter-on-tie';
  const behindMs = winner.wall - winner.at - (lost.wall - lost.at);
  const laterMs = lost.at - winner.at;
  return { decidedBy, aheadMs: winner.wall - lost.wall, skew: laterMs > 0 && behindMs > 0 ? { behindMs, laterMs } : null };
}

/**
 * HUM2's rule, written once: the author chooses between a post's versions, anyone does for the
 * pinned class post (the instructor always may). step.ts enforces it; the views carry it.
 */
export function whoChooses(postId: PostId): Chooser {
  return postId === PINNED_POST_ID ? 'anyone' : 'author';
}

/** The ops one side wrote to a post during the split, in send order. */
function opsOn(input: HealInput, dc: DcId, id: PostId): Op[] {
  return input.byPost[dc].get(id)?.toArray() ?? [];
}

function lww(input: HealInput): HealResult {
  const posts = input.merged.asMutable();
  const lost: LostWrite[] = [];
  for (const id of input.both) {
    const westOps = opsOn(input, 'west', id);
    const eastOps = opsOn(input, 'east', id);
    const westNewest = newest(westOps);
    const eastNewest = newest(eastOps);
    const winner: DcId = compareLww(westNewest, eastNewest) > 0 ? 'west' : 'east';
    const winnerOp = winner === 'west' ? westNewest : eastNewest;
    const kept = input.version(winner, id);
    const merged = posts.get(id);
    if (!kept || !merged) continue;
    // The whole object is the winner's version, likes included (LWW2: a count each side overwrote),
    // without anything the loser wrote, even what crossed a one-way cut early.
    posts.set(id, { ...kept, vv: merged.vv, lamport: merged.lamport });
    for (const op of winner === 'west' ? eastOps : westOps) {
      // A create that crossed early is not lost: the winner wrote on top of it.
      if (op.kind === 'create') continue;
      lost.push({ postId: id, lost: ref(op), winner: ref(winnerOp), ...explainLoss(op, winnerOp) });
    }
  }
  return { posts: posts.asImmutable(), report: { ...NOTHING, strategy: 'lww', at: input.now, held: heldCounts(input), lost }, touched: input.both };
}

/** Replies written during the split whose parent ended up deleted (MRG3). */
function brokenThreads(input: HealInput, posts: IMap<PostId, Post>): HealReport['brokenThreads'] {
  const broken: { postId: PostId; parentId: PostId; by: string }[] = [];
  for (const dc of DATACENTERS) {
    for (const op of input.written[dc]) {
      if (op.kind === 'create' && op.parentId && posts.get(op.parentId)?.deleted) broken.push({ postId: op.postId, parentId: op.parentId, by: op.author });
    }
  }
  return broken;
}

/** MRG2: what each side added to a like count, and the merged total (a set of likers). */
function likeMerges(input: HealInput, posts: IMap<PostId, Post>): LikeMerge[] {
  const merges: LikeMerge[] = [];
  for (const id of input.both) {
    const liked = (dc: DcId) => input.byPost[dc].get(id)?.some(isLike) === true;
    const post = posts.get(id);
    const west = input.version('west', id);
    const east = input.version('east', id);
    if (!post || !west || !east || !liked('west') || !liked('east')) continue;
    const total = likeCount(post);
    merges.push({ postId: id, west: total - likeCount(east), east: total - likeCount(west), total });
  }
  return merges;
}

function isLike(op: Op): boolean {
  return op.kind === 'like' || op.kind === 'unlike';
}

function contentOps(ops: readonly Op[]): Op[] {
  return ops.filter((op) => CONTENT_KINDS.has(op.kind));
}

function stampOf(op: Op): Stamp {
  return { lamport: op.lamport, wall: op.wall, origin: op.origin, opId: op.opId, by: op.author };
}

function mergeAll(input: HealInput): HealResult {
  const posts = input.merged.asMutable();
  const duplicates: { postId: PostId; duplicateId: PostId; by: string }[] = [];
  const resurrected: { postId: PostId; deletedBy: string; editedBy: string }[] = [];
  const phantomLikes: { postId: PostId; by: string }[] = [];
  const touched: PostId[] = [...input.both];
  for (const id of input.both) {
    const post = posts.get(id);
    const west = input.version('west', id);
    const east = input.version('east', id);
    if (!post || !west || !east) continue;
    const ops = { west: opsOn(input, 'west', id), east: opsOn(input, 'east', id) };
    const edits = { west: ops.west.filter((o) => o.kind === 'edit'), east: ops.east.filter((o) => o.kind === 'edit') };
    const deletes = { west: ops.west.filter((o) => o.kind === 'delete'), east: ops.east.filter((o) => o.kind === 'delete') };
    const deleter = deletes.west.length > 0 ? 'west' : deletes.east.length > 0 ? 'east' : null;
    const editorSide = deleter === 'west' ? 'east' : 'west';
    if (deleter && deletes[editorSide].length === 0 && edits[editorSide].length > 0) {
      // Deleted on one side, edited on the other: merging everything brings the post back (MRG3).
      const edit = newest(edits[editorSide]);
      const deleteStamp = post.deleteStamp;
      const restore: Stamp = { ...stampOf(edit), lamport: Math.max(edit.lamport, deleteStamp?.lamport ?? 0) + 1 };
      const edited = input.version(editorSide, id) ?? post;
      posts.set(id, { ...post, text: edited.text, textStamp: edited.textStamp, restoreStamp: restore, deleted: false });
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
      posts.set(id, { ...post, text: west.text, textStamp: west.textStamp });
      posts.set(duplicateId, {
        ...east,
        id: duplicateId,
        text: east.text,
        likes: NO_LIKES,
        likeTotal: 0,
        siblings: null,
        duplicateOf: id,
        createdAt: edit.wall,
        createdIn: 'east',
        deleteStamp: null,
        restoreStamp: null,
        deleted: false,
      });
      duplicates.push({ postId: id, duplicateId, by: edit.author });
      touched.push(duplicateId);
    }
  }
  const merged = posts.asImmutable();
  const report: HealReport = {
    ...NOTHING,
    strategy: 'merge',
    at: input.now,
    held: heldCounts(input),
    duplicates,
    resurrected,
    phantomLikes,
    brokenThreads: brokenThreads(input, merged),
    likeMerges: likeMerges(input, merged),
  };
  return { posts: merged, report, touched };
}

function sibling(post: Post, dc: DcId, ops: readonly Op[]): Sibling {
  const last = newest(ops);
  const text = post.textStamp;
  return {
    dc,
    text: post.text,
    deleted: post.deleted,
    vv: post.vv,
    by: last.author,
    wall: last.wall,
    lamport: last.lamport,
    textBy: text?.by ?? post.author,
    textWall: text?.wall ?? post.createdAt,
  };
}

/**
 * HUM4: posts deleted on one side while the other side, which kept it, liked it or replied to it.
 * Found from each side's held deletes through the link's indexes: O(held deletes).
 */
function deletedWhileUsed(input: HealInput): Map<PostId, { deleter: DcId; used: Op[] }> {
  const found = new Map<PostId, { deleter: DcId; used: Op[] }>();
  for (const deleter of DATACENTERS) {
    const other = otherDc(deleter);
    for (const op of input.written[deleter]) {
      if (op.kind !== 'delete' || found.has(op.postId)) continue;
      const id = op.postId;
      const theirs = opsOn(input, other, id);
      if (theirs.some((o) => o.kind === 'delete')) continue;
      const used = [...theirs.filter(isLike), ...(input.replies[other].get(id)?.toArray() ?? [])];
      if (used.length > 0) found.set(id, { deleter, used });
    }
  }
  return found;
}

function humanChoice(input: HealInput): HealResult {
  const posts = input.merged.asMutable();
  const conflicts: HealReport['conflicts'][number][] = [];
  const used = deletedWhileUsed(input);
  const candidates = new Set<PostId>([...input.both, ...used.keys()]);
  for (const id of candidates) {
    const westContent = contentOps(opsOn(input, 'west', id));
    const eastContent = contentOps(opsOn(input, 'east', id));
    const post = posts.get(id);
    const west = input.version('west', id);
    const east = input.version('east', id);
    if (!post || !west || !east || !west.created || !east.created) continue;
    let siblings: Sibling[];
    if (westContent.length > 0 && eastContent.length > 0) {
      siblings = [sibling(west, 'west', westContent), sibling(east, 'east', eastContent)];
      posts.set(id, { ...post, siblings });
    } else {
      const deleted = used.get(id);
      // Likes on both sides, or content on one side only, merge by themselves (HUM1).
      if (!deleted) continue;
      // Deleted on one side, liked or replied to on the other: nothing is lost until a person
      // chooses (HUM3, HUM4), so the post stays visible, with both versions, until then.
      const keeper = otherDc(deleted.deleter);
      const versions = {
        [deleted.deleter]: sibling(input.version(deleted.deleter, id) ?? post, deleted.deleter, contentOps(opsOn(input, deleted.deleter, id))),
        [keeper]: sibling(input.version(keeper, id) ?? post, keeper, deleted.used),
      } as Record<DcId, Sibling>;
      siblings = [versions.west, versions.east];
      const use = newest(deleted.used);
      const restore: Stamp = { ...stampOf(use), lamport: Math.max(use.lamport, post.deleteStamp?.lamport ?? 0, post.restoreStamp?.lamport ?? 0) + 1 };
      posts.set(id, { ...post, siblings, restoreStamp: restore, deleted: false });
    }
    conflicts.push({ postId: id, author: post.author, mayChoose: whoChooses(id), siblings });
  }
  const merged = posts.asImmutable();
  const report: HealReport = {
    ...NOTHING,
    strategy: 'human',
    at: input.now,
    held: heldCounts(input),
    conflicts,
    brokenThreads: brokenThreads(input, merged),
    likeMerges: likeMerges(input, merged),
  };
  return { posts: merged, report, touched: [...candidates] };
}

function heldCounts(input: HealInput): Record<DcId, number> {
  return { ...input.held };
}

const STRATEGY: Readonly<Record<Strategy, (input: HealInput) => HealResult>> = { lww, merge: mergeAll, human: humanChoice };

/** Both lanes' messages in one send order (a merge of two sorted lists: O(held)). */
function inSendOrder(state: SimState): Message[] {
  const west = state.inFlight.west.messages.toArray();
  const east = state.inFlight.east.messages.toArray();
  const all: Message[] = [];
  let i = 0;
  let j = 0;
  while (i < west.length || j < east.length) {
    const w = west[i];
    const e = east[j];
    if (w && (!e || w.seq < e.seq)) {
      all.push(w);
      i += 1;
    } else if (e) {
      all.push(e);
      j += 1;
    }
  }
  return all;
}

/** What every strategy starts from: everything held applied to both sides. O(held log n). */
interface Prepared {
  readonly west: Replica;
  readonly east: Replica;
  readonly input: HealInput;
}

function prepare(state: SimState, now: number): Prepared {
  const held = { west: state.inFlight.west.messages.map((m) => m.op), east: state.inFlight.east.messages.map((m) => m.op) };
  const west = applyOps(state.replicas.west, held.east, false);
  const east = applyOps(state.replicas.east, held.west, false);
  // A preview on a working link sees what is in flight as if the link were cut now.
  const split = state.split ?? startSplit(state.inFlight, now);
  const byPost = { west: split.written.west.byPost, east: split.written.east.byPost };
  const written = { west: split.written.west.ops.toArray(), east: split.written.east.ops.toArray() };
  // In the order West first wrote them, so a report lists posts the same way on every run.
  const both = new Set<PostId>();
  for (const { postId: id } of written.west) {
    if (byPost.east.has(id) && !both.has(id) && state.replicas.west.posts.get(id)?.created && state.replicas.east.posts.get(id)?.created) both.add(id);
  }
  const versions = new Map<string, Post | undefined>();
  const version = (dc: DcId, id: PostId): Post | undefined => {
    const key = `${dc}:${id}`;
    if (!versions.has(key)) versions.set(key, versionOf(split, state.replicas[dc], dc, id));
    return versions.get(key);
  };
  return {
    west,
    east,
    input: {
      version,
      merged: west.posts,
      held: { west: held.west.size, east: held.east.size },
      written,
      byPost,
      replies: { west: split.written.west.replies, east: split.written.east.replies },
      both: [...both],
      now,
    },
  };
}

/** Conflicts remaining once a strategy has rewritten `touched`: O(touched). */
function conflictsAfter(prepared: Prepared, result: HealResult): number {
  let count = prepared.west.conflicts;
  for (const id of new Set(result.touched)) {
    count += (result.posts.get(id)?.siblings ? 1 : 0) - (prepared.input.merged.get(id)?.siblings ? 1 : 0);
  }
  return count;
}

/**
 * The heal path: the link is fully open again, so every message it still carries is delivered
 * now (NET2: none lost, none twice) and the session's strategy settles the posts both sides wrote
 * during the split, whether a one-way cut let them cross already or not. West and East end with
 * the same posts, so the divergence meter reads zero, and the split is over.
 * O(split ops log n): the split's index says which posts both sides wrote.
 */
export function heal(state: SimState, now: number): { state: SimState; events: SimEvent[] } {
  const { split } = state;
  const wroteNothing = !split || (split.written.west.ops.size === 0 && split.written.east.ops.size === 0);
  if (wroteNothing && state.inFlight.west.messages.size === 0 && state.inFlight.east.messages.size === 0) return { state: { ...state, split: null }, events: [] };
  const prepared = prepare(state, now);
  const result = STRATEGY[state.strategy](prepared.input);
  const conflicts = conflictsAfter(prepared, result);
  const events: SimEvent[] = inSendOrder(state).map((m) => ({ type: 'op.applied', dc: m.to, op: m.op, local: false, at: now }));
  events.push({ type: 'heal.resolved', report: result.report, touched: result.touched });
  return {
    state: {
      ...state,
      replicas: { west: { ...prepared.west, posts: result.posts, conflicts }, east: { ...prepared.east, posts: result.posts, conflicts } },
      inFlight: EMPTY_LINK,
      split: null,
      lastHeal: result.report,
      divergence: NO_DIVERGENCE,
    },
    events,
  };
}

/**
 * PRE1: all three strategies applied to the current divergent state, without healing: what each
 * would lose, duplicate or leave to choose. Pure, so the board can ask as often as it likes; the
 * held ops are applied once for all three.
 */
export function previewHeal(state: SimState, now: number): Record<Strategy, HealReport> {
  const { input } = prepare(state, now);
  return { lww: lww(input).report, merge: mergeAll(input).report, human: humanChoice(input).report };
}
